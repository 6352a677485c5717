/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edu_irq: the IRQ hook of QEMU's `edu` PCI device (vendor 0x1234, device
 * 0x11e8), and the object it keeps for the userspace driver.
 *
 * The device's registers (BAR 0): writing a value to EDU_RAISE sets those
 * bits in EDU_STATUS and asserts INTx; writing bits to EDU_ACK clears them,
 * and INTx drops when the status is 0.  The hook's window is BAR 0 from 0,
 * EDU_WIN bytes, 32-bit accesses.
 */
#ifndef EDU_IRQ_H
#define EDU_IRQ_H

#include <linux/types.h>

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

#define EDU_STATUS	0x24	/* interrupt status (read) */
#define EDU_RAISE	0x60	/* raise: status |= value */
#define EDU_ACK		0x64	/* acknowledge: status &= ~value */
#define EDU_WIN		0x80	/* the window the hook needs */

/* Event bit the hook notifies on each interrupt it handles. */
#define EDU_EV_IRQ	(1ULL << 0)

/* The object (the userspace driver maps it read only). */
struct edu_irq_state {
	__u64 count;		/* interrupts handled */
	__u64 status_or;	/* every status bit seen */
	__u32 last_status;	/* status of the latest interrupt */
	__u32 __pad;
	__u64 last_ns;		/* CLOCK_MONOTONIC of the latest interrupt */
};

#endif /* EDU_IRQ_H */
