// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * libipo: the IRQ hook.  Handing a PCI device to the ipo-irq driver
 * through sysfs, and IRQ_ATTACH / IRQ_DETACH / IRQ_STAT.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libipo.h"
#include "libipo_internal.h"

#define PCI_DEVICES	"/sys/bus/pci/devices/"
#define IPO_IRQ_DRIVER	"ipo-irq"

/* A PCI name as sysfs spells it: no '/', no "..", not too long. */
static bool pci_name_ok(const char *device)
{
	return device && *device && device[0] != '.' &&
	       !strchr(device, '/') && strlen(device) < IPO_PCI_NAME_MAX;
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* The name of @device's driver into @buf ("" when unbound). */
static int pci_driver_of(const char *device, char *buf, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *name;
	ssize_t n;

	snprintf(path, sizeof(path), PCI_DEVICES "%s", device);
	if (access(path, F_OK))
		return -errno;
	snprintf(path, sizeof(path), PCI_DEVICES "%s/driver", device);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0) {
		buf[0] = 0;
		return 0;
	}
	target[n] = 0;
	name = strrchr(target, '/');
	name = name ? name + 1 : target;
	if (strlen(name) >= size)
		return -ENAMETOOLONG;
	memcpy(buf, name, strlen(name) + 1);
	return 0;
}

int ipo_irq_bind(const char *device)
{
	char path[PATH_MAX], drv[256];
	int err;

	if (!pci_name_ok(device))
		return libipo_err(-EINVAL);
	err = pci_driver_of(device, drv, sizeof(drv));
	if (err) {
		pr_warn("no PCI device %s: %s\n", device, strerror(-err));
		return libipo_err(err);
	}
	if (!strcmp(drv, IPO_IRQ_DRIVER))
		return 0;
	snprintf(path, sizeof(path), PCI_DEVICES "%s/driver_override",
		 device);
	err = sysfs_write(path, IPO_IRQ_DRIVER);
	if (err) {
		pr_warn("%s: %s\n", path, strerror(-err));
		return libipo_err(err);
	}
	if (drv[0]) {
		snprintf(path, sizeof(path), PCI_DEVICES "%s/driver/unbind",
			 device);
		err = sysfs_write(path, device);
		if (err) {
			pr_warn("%s: unbind from %s: %s\n", device, drv,
				strerror(-err));
			return libipo_err(err);
		}
	}
	err = sysfs_write("/sys/bus/pci/drivers_probe", device);
	if (!err)
		err = pci_driver_of(device, drv, sizeof(drv));
	if (!err && strcmp(drv, IPO_IRQ_DRIVER))
		err = -ENODEV;
	if (err) {
		pr_warn("%s: binding to %s: %s (is ipo.ko loaded?)\n", device,
			IPO_IRQ_DRIVER, strerror(-err));
		return libipo_err(err);
	}
	return 0;
}

int ipo_irq_unbind(const char *device)
{
	char path[PATH_MAX], drv[256];
	int err;

	if (!pci_name_ok(device))
		return libipo_err(-EINVAL);
	err = pci_driver_of(device, drv, sizeof(drv));
	if (err)
		return libipo_err(err);
	if (strcmp(drv, IPO_IRQ_DRIVER))
		return libipo_err(-ENODEV);
	err = sysfs_write("/sys/bus/pci/drivers/" IPO_IRQ_DRIVER "/unbind",
			  device);
	if (!err) {
		/* Let the device's own driver have it again next time. */
		snprintf(path, sizeof(path), PCI_DEVICES "%s/driver_override",
			 device);
		err = sysfs_write(path, "\n");
	}
	return err ? libipo_err(err) : 0;
}

int ipo_irq_attach(struct ipo_dev *dev, const char *device, int prog_fd,
		   struct ipo_irq_opts *opts)
{
	struct ipo_irq_attach cmd = {
		.size = sizeof(cmd),
		.flags = IPO_IRQ_CLOEXEC,
		.prog_fd = prog_fd,
		.widths = IPO_IRQ_W32,
		.out_fd = -1,
	};
	int err;

	if (!dev || !pci_name_ok(device) || !opts)
		return libipo_err(-EINVAL);
	if (!libipo_opts_valid(opts, sizeof(*opts), &err))
		return libipo_err(err);
	snprintf(cmd.device, sizeof(cmd.device), "%s", device);
	cmd.flags |= opts->flags;
	cmd.bar = opts->bar;
	if (opts->widths)
		cmd.widths = opts->widths;
	cmd.win_off = opts->win_off;
	cmd.win_len = opts->win_len;
	if (opts->has_obj) {
		cmd.flags |= IPO_IRQ_OBJ;
		cmd.obj_fd = opts->obj_fd;
	}
	if (opts->log_buf && opts->log_size) {
		opts->log_buf[0] = 0;
		cmd.log_buf = (uintptr_t)opts->log_buf;
		cmd.log_size = opts->log_size;
	}
	if (ioctl(ipo_dev_fd(dev), IPO_IRQ_ATTACH, &cmd)) {
		err = -errno;
		if (opts->log_buf && opts->log_size && opts->log_buf[0])
			pr_warn("IRQ_ATTACH %s: %s: %s\n", device,
				strerror(-err), opts->log_buf);
		else
			pr_warn("IRQ_ATTACH %s: %s\n", device, strerror(-err));
		return libipo_err(err);
	}
	opts->attach_id = cmd.attach_id;
	return cmd.out_fd;
}

int ipo_irq_detach(struct ipo_dev *dev, int attach_fd)
{
	struct ipo_irq_detach cmd = {
		.size = sizeof(cmd), .attach_fd = attach_fd,
	};

	if (!dev)
		return libipo_err(-EINVAL);
	if (ioctl(ipo_dev_fd(dev), IPO_IRQ_DETACH, &cmd))
		return libipo_err(-errno);
	return 0;
}

int ipo_irq_stat(struct ipo_dev *dev, int attach_fd, struct ipo_irq_stat *stat)
{
	if (!dev || !stat)
		return libipo_err(-EINVAL);
	memset(stat, 0, sizeof(*stat));
	stat->size = sizeof(*stat);
	stat->attach_fd = attach_fd;
	if (ioctl(ipo_dev_fd(dev), IPO_IRQ_STAT, stat))
		return libipo_err(-errno);
	return 0;
}
