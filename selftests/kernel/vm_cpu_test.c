// SPDX-License-Identifier: GPL-2.0
/*
 * The test VM's CPU, not the module: QEMU 7.2's TCG emulates CMPXCHG16B
 * with the flags of a stale lazy-flags state.  Right after a POPF or an
 * IRET it takes the operand of the last flag-setting instruction as the
 * whole RFLAGS, so an interrupt returning into SLUB's per-CPU fast path
 * (every kmalloc() of a non-RT kernel) left the guest kernel running with
 * a pointer for RFLAGS: a double fault, or a general protection fault in
 * whichever task returned to user space next (irq_test, once, in CI).
 * scripts/vm.sh hides CX16 from the guest for that; this test fails if a
 * VM offers the instruction with the bug, and skips where it is absent.
 */
#include <cpuid.h>
#include <stdint.h>

#include "kselftest_harness.h"

TEST(cmpxchg16b_changes_only_zf)
{
	static _Alignas(16) uint64_t mem[2];
	unsigned int a, b, c, d;
	int i, wrong = 0;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_CMPXCHG16B))
		SKIP(return, "no CMPXCHG16B");
	for (i = 0; i < 1000; i++) {
		uint64_t rax = 0, rdx = 0, src = 0x800;	/* OF's bit */
		uint8_t of, zf;

		/*
		 * 0 + 0x800 clears OF; the compare fails (ZF clear) and must
		 * leave OF as ADD set it.  The bug returns src as RFLAGS.
		 */
		asm volatile("pushq $0x202\n\t"
			     "popfq\n\t"
			     "addq %[src], %%rax\n\t"
			     "cmpxchg16b %[mem]\n\t"
			     "seto %[of]\n\t"
			     "setz %[zf]\n\t"
			     : "+a"(rax), "+d"(rdx), [mem] "+m"(mem),
			       [of] "=&q"(of), [zf] "=&q"(zf)
			     : [src] "r"(src), "b"(0UL), "c"(0UL)
			     : "cc", "memory");
		if (of || zf)
			wrong++;
	}
	EXPECT_EQ(0, wrong) TH_LOG("RFLAGS after CMPXCHG16B wrong %d times in 1000",
				   wrong);
}

TEST_HARNESS_MAIN
