/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The program types as the verifier sees them, in the module and on the
 * host alike; see progtypes.c.
 */
#ifndef IPO_PROGTYPES_H
#define IPO_PROGTYPES_H

#include <linux/ipo.h>

#include "prog.h"

extern const struct ipo_prog_type ipo_progtype_method;

/*
 * What METHOD helpers find in ipo_run.priv; NULL is allowed (the events
 * then go nowhere, as in a test run).
 */
struct ipo_method_env {
	u64 events;		/* notify() masks of this call */
};
extern const struct ipo_prog_type ipo_progtype_irq;

/*
 * What IRQ helpers find in ipo_run.priv (never NULL for an IRQ run): the
 * granted register window and the events of this run.
 */
struct ipo_irq_env {
	void *win;		/* pci_iomap() cookie + window offset */
	u32 win_size;		/* bytes */
	u8 widths;		/* IPO_IRQ_W* allowed */
	u64 events;		/* notify() masks of this run */
};
extern const struct ipo_prog_type ipo_progtype_mem;

/* "method", "irq" or "mem"; NULL for anything else. */
const struct ipo_prog_type *ipo_progtype_by_name(const char *name);

/* The description of a uapi program type; NULL for UNSPEC. */
const struct ipo_prog_type *ipo_progtype_of(u32 uapi_type);

#endif /* IPO_PROGTYPES_H */
