// SPDX-License-Identifier: GPL-2.0
/*
 * ipo ls: the objects and programs the caller can see, with their methods
 * and handles, and the module's counters.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libipo.h"
#include "ipo_tool.h"

#define LS_BATCH 64

static const char *prog_type_name(uint32_t type)
{
	switch (type) {
	case IPO_PROG_TYPE_METHOD:
		return "method";
	case IPO_PROG_TYPE_IRQ:
		return "irq";
	}
	return "?";
}

static int ls_objects(struct ipo_dev *dev)
{
	struct ipo_obj_entry e[LS_BATCH];
	uint64_t next = 0;
	int n, i, total = 0;
	uint32_t m;

	printf("%-6s %-24s %10s %6s %6s %5s %7s %6s  %s\n", "ID", "NAME",
	       "SIZE", "OWNER", "GROUP", "MODE", "HANDLES", "SEQ",
	       "METHODS (program ids)");
	do {
		n = ipo_dev_list(dev, IPO_LIST_OBJS, e, LS_BATCH, &next);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++, total++) {
			printf("%-6llu %-24s %10llu %6u %6u %04o %7u %6u  %u",
			       (unsigned long long)e[i].id,
			       e[i].name[0] ? e[i].name : "-",
			       (unsigned long long)e[i].data_size, e[i].owner,
			       e[i].group, e[i].mode, e[i].nr_handles,
			       e[i].seq, e[i].nr_methods);
			for (m = 0; m < e[i].nr_methods && m < IPO_MAX_METHODS;
			     m++)
				printf("%s%u", m ? "," : " (", m < 8 ?
				       e[i].methods[m] :
				       e[i].methods_more[m - 8]);
			printf("%s%s\n", e[i].nr_methods ? ")" : "",
			       e[i].flags & IPO_OBJ_ENTRY_PERSIST ?
			       "  persistent" : "");
		}
	} while (next);
	printf("%d object%s\n", total, total == 1 ? "" : "s");
	return 0;
}

static int ls_programs(struct ipo_dev *dev)
{
	struct ipo_prog_entry e[LS_BATCH];
	uint64_t next = 0;
	int n, i, total = 0;

	printf("%-6s %-24s %-7s %8s %6s %s\n", "ID", "NAME", "TYPE", "INSNS",
	       "OWNER", "CODE");
	do {
		n = ipo_dev_list(dev, IPO_LIST_PROGS, e, LS_BATCH, &next);
		if (n < 0)
			return n;
		for (i = 0; i < n; i++, total++) {
			printf("%-6u %-24s %-7s %8u %6u ", e[i].id,
			       e[i].name[0] ? e[i].name : "-",
			       prog_type_name(e[i].prog_type), e[i].insn_cnt,
			       e[i].owner);
			if (e[i].flags & IPO_PROG_ENTRY_JITED)
				printf("jit, %u bytes\n", e[i].jit_size);
			else
				printf("%s\n", ipo_jit_reason_str(e[i].jit_reason));
		}
	} while (next);
	printf("%d program%s\n", total, total == 1 ? "" : "s");
	return 0;
}

static void ls_rights(char *buf, uint32_t r)
{
	sprintf(buf, "%c%c%c%c", r & IPO_RIGHT_INVOKE ? 'i' : '-',
		r & IPO_RIGHT_READ ? 'r' : '-',
		r & IPO_RIGHT_NOTIFY ? 'n' : '-',
		r & IPO_RIGHT_ADMIN ? 'a' : '-');
}

/*
 * The handle tree of a named object, through a handle opened with ADMIN
 * for the purpose (itself left out of the list).
 */
static int ls_handles(struct ipo_dev *dev, const char *name)
{
	struct ipo_handle_entry e[LS_BATCH];
	uint32_t self = 0;
	uint64_t next = 0;
	int fd, n, i, total = 0, err = 0;
	char rights[8];

	fd = ipo_obj_open(dev, name, IPO_RIGHT_ADMIN, NULL, NULL, &self);
	if (fd < 0) {
		fprintf(stderr, "ipo ls: cannot open '%s' with ADMIN: %s\n",
			name, strerror(-fd));
		return 1;
	}
	printf("%-8s %-8s %-6s %-18s %s\n", "HANDLE", "PARENT", "RIGHTS",
	       "METHODS", "STATE");
	do {
		n = ipo_obj_list_handles(dev, fd, e, LS_BATCH, &next);
		if (n < 0) {
			err = n;
			break;
		}
		for (i = 0; i < n; i++) {
			char parent[16];

			if (e[i].id == self)
				continue;
			ls_rights(rights, e[i].rights);
			if (e[i].parent_id)
				snprintf(parent, sizeof(parent), "%u",
					 e[i].parent_id);
			else
				strcpy(parent, e[i].flags &
				       IPO_HANDLE_ENTRY_OPENED ? "-" : "owner");
			printf("%-8u %-8s %-6s 0x%016llx %s%s\n", e[i].id,
			       parent, rights,
			       (unsigned long long)e[i].methods,
			       e[i].flags & IPO_HANDLE_ENTRY_REVOKED ?
			       "revoked" : "live",
			       e[i].flags & IPO_HANDLE_ENTRY_OPENED ?
			       ", opened by name" : "");
			total++;
		}
	} while (next);
	close(fd);
	if (err) {
		fprintf(stderr, "ipo ls: handles of '%s': %s\n", name,
			strerror(-err));
		return 1;
	}
	printf("%d handle%s\n", total, total == 1 ? "" : "s");
	return 0;
}

static int ls_run(int argc, char **argv)
{
	bool objs = true, progs = true;
	struct ipo_info info;
	struct ipo_dev *dev;
	int err = 0;

	if (argc == 3 && !strcmp(argv[1], "handles")) {
		dev = ipo_dev_open();
		if (!dev) {
			fprintf(stderr, "ipo ls: cannot open /dev/ipo: %s\n",
				strerror(errno));
			return 1;
		}
		err = ls_handles(dev, argv[2]);
		ipo_dev_close(dev);
		return err;
	}
	if (argc > 2 || (argc == 2 && !strcmp(argv[1], "--help"))) {
		printf("usage: ipo ls [objects|programs]\n"
		       "       ipo ls handles NAME\n"
		       "  Lists the objects (methods, handles, change counter) and the\n"
		       "  programs (type, size, JIT) the caller can see, then the\n"
		       "  module's counters.  Root sees everything.\n"
		       "  'handles NAME' lists the revocable handles of the named object\n"
		       "  (derived or opened by name) with the handle each was derived\n"
		       "  from ('owner': the creator's handle, '-': none), their rights\n"
		       "  (invoke, read, notify, admin), method masks and state; it\n"
		       "  needs the ADMIN right (the owner, or CAP_SYS_ADMIN).\n");
		return argc == 2 ? 0 : 2;
	}
	if (argc == 2) {
		objs = !strcmp(argv[1], "objects");
		progs = !strcmp(argv[1], "programs");
		if (!objs && !progs) {
			fprintf(stderr, "ipo ls: unknown kind '%s'\n", argv[1]);
			return 2;
		}
	}
	dev = ipo_dev_open();
	if (!dev) {
		fprintf(stderr, "ipo ls: cannot open /dev/ipo: %s\n",
			strerror(errno));
		return 1;
	}
	if (objs)
		err = ls_objects(dev);
	if (!err && progs) {
		if (objs)
			printf("\n");
		err = ls_programs(dev);
	}
	if (!err && !ipo_dev_info(dev, &info))
		printf("\nmine: %u objects, %u programs, %llu of my %llu bytes of JIT code; jit pool %llu of %llu bytes in use\n",
		       info.nr_objs, info.nr_progs,
		       (unsigned long long)info.jit_user_used,
		       (unsigned long long)info.jit_user_share,
		       (unsigned long long)info.jit_pool_used,
		       (unsigned long long)info.jit_pool_size);
	ipo_dev_close(dev);
	if (err) {
		fprintf(stderr, "ipo ls: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}

const struct ipo_verb ipo_verb_ls = {
	.name = "ls",
	.help = "list objects, methods, programs, handles and counters",
	.run = ls_run,
};
