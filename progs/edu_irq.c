// SPDX-License-Identifier: GPL-2.0
/*
 * edu_irq: acknowledge QEMU's edu device in the interrupt handler itself.
 *
 * On a shared line the hook runs for every interrupt of the line: it reads
 * its device's status and, when it is 0, says "not mine" (the other
 * devices' handlers run).  Otherwise it acknowledges exactly the bits it
 * saw, so its device drops INTx before the handler returns, counts the
 * interrupt in the object and tells the userspace driver (EDU_EV_IRQ).
 *
 * edu_irq_noack is the same without the acknowledgement: a broken hook,
 * kept for the fault containment tests (the kernel masks its device and
 * takes it off the line).
 */
#include "ipo.h"
#include "edu_irq.h"

IPO_OBJECT(struct edu_irq_state);

static __always_inline void edu_count(struct ipo_irq_ctx *ctx, __u32 status)
{
	struct edu_irq_state *s;

	if (ctx->obj_size < sizeof(*s))
		return;
	s = ctx->obj;
	s->count++;
	s->status_or |= status;
	s->last_status = status;
	s->last_ns = ipo_ktime_ns();
	ipo_notify(EDU_EV_IRQ);
}

IPO_IRQ(edu_irq)
int edu_irq(struct ipo_irq_ctx *ctx)
{
	__u32 status = ipo_mmio_read32(EDU_STATUS);

	if (!status)
		return IPO_IRQ_NONE;
	ipo_mmio_write32(EDU_ACK, status);
	edu_count(ctx, status);
	return IPO_IRQ_HANDLED;
}

IPO_IRQ(edu_irq_noack)
int edu_irq_noack(struct ipo_irq_ctx *ctx)
{
	__u32 status = ipo_mmio_read32(EDU_STATUS);

	if (!status)
		return IPO_IRQ_NONE;
	edu_count(ctx, status);
	return IPO_IRQ_HANDLED;
}

IPO_LICENSE("GPL");
