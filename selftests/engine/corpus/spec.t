# Speculation (Spectre v1).  A CPU that mispredicts a conditional jump
# runs on with the registers as they are, not as the verifier narrowed
# them on the edge it followed.  So the JIT masks every proven region
# access whose address a register scalar set (masked:, against the valid
# offsets the verifier proved: =V), makes a stack or context access
# through a pointer a register moved at its proven offset (exact:), and
# hard-wires a jump that only ever goes one way (wired:).  None of it may
# change a result: every case runs on both engines, which must agree.
# "region mem: rwd 16": at least 16 bytes, so accesses below are proven.

# name: an index bounded by a branch: masked, result unchanged
# region mem: rwd 16
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x7
# checked: none
# masked: 3=16
# wired: none
	r3 = *(u8 *)(r1 + 7)
	if r3 >= 16 goto out
	r1 += r3
	r0 = *(u8 *)(r1 + 0)
	exit
out:	r0 = 0
	exit

# name: a u64 through a bounded index: the last valid offset is 8
# region mem: rwd 16
# mem: 08 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x0f0e0d0c0b0a0908
# masked: 3=9
	r3 = *(u8 *)(r1 + 0)
	if r3 > 8 goto out
	r1 += r3
	r0 = *(u64 *)(r1 + 0)
	exit
out:	r0 = 0
	exit

# name: a register a branch made constant is masked all the same
# note: speculation past the != runs with any r3
# region mem: rwd 16
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x5
# masked: 3=16
	r3 = *(u8 *)(r1 + 5)
	if r3 != 5 goto out
	r1 += r3
	r0 = *(u8 *)(r1 + 0)
	exit
out:	r0 = 0
	exit

# name: an immediate offset is not masked
# region mem: rwd 16
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x5
# masked: none
	r1 += 5
	r0 = *(u8 *)(r1 + 0)
	exit

# name: the instruction offset on top of a masked index
# region mem: rwd 16
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0xf
# masked: 3=16
	r3 = *(u8 *)(r1 + 7)
	if r3 > 7 goto out
	r1 += r3
	r0 = *(u8 *)(r1 + 8)
	exit
out:	r0 = 0
	exit

# name: a store through a bounded index is masked too
# region mem: rwd 16
# mem: 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: accept 0
# masked: 4=15
# check mem+0: 03 00 00 aa bb 00 00 00
	r3 = *(u8 *)(r1 + 0)
	if r3 >= 15 goto out
	r1 += r3
	r4 = 0xbbaa
	*(u16 *)(r1 + 0) = r4
out:	r0 = 0
	exit

# name: an atomic add through a bounded index is masked
# region mem: rwd 16
# mem: 08 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00
# expect: accept 0
# masked: 5=9
# check mem+8: 06 00 00 00 00 00 00 00
	r3 = *(u8 *)(r1 + 0)
	if r3 > 8 goto out
	r3 &= 8
	r1 += r3
	r4 = 1
	lock *(u64 *)(r1 + 0) += r4
out:	r0 = 0
	exit

# name: a size the program tested bounds the mask
# note: mem is 32 bytes, the test proves 16
# mem-size: 32
# expect: accept 0
# checked: none
# fenced: 0
# masked: 5=16
	if r2 < 16 goto out
	r3 = *(u8 *)(r1 + 3)
	if r3 > 15 goto out
	r4 = r1
	r4 += r3
	r0 = *(u8 *)(r4 + 0)
out:	r0 = 0
	exit

# name: a join of two constant pointers is a variable offset: masked
# region mem: rwd 16
# mem: 01 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x8
# masked: 4=16
	r3 = *(u8 *)(r1 + 0)
	r4 = r1
	if r3 == 0 goto l
	r4 += 8
l:	r0 = *(u8 *)(r4 + 0)
	exit

# name: a counted loop over the proven bytes: masked in the body
# region mem: rwd 16
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x78
# checked: none
# masked: 4=16
	r0 = 0
	r3 = 0
l:	r4 = r1
	r4 += r3
	r5 = *(u8 *)(r4 + 0)
	r0 += r5
	r3 += 1
	if r3 < 16 goto l
	exit

# name: a moved pointer keeps its mark through a spill and a fill
# region mem: rwd 16
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x6
# masked: 5=16
	r3 = *(u8 *)(r1 + 6)
	if r3 != 6 goto out
	r1 += r3
	*(u64 *)(r10 - 8) = r1
	r2 = *(u64 *)(r10 - 8)
	r0 = *(u8 *)(r2 + 0)
	exit
out:	r0 = 0
	exit

# name: a checked access with a moved pointer gets the full check, no mask
# mem-size: 16
# expect: accept 0x0
# checked: 0,3
# full: 3
# masked: none
	r3 = *(u8 *)(r1 + 0)
	if r3 > 15 goto out
	r1 += r3
	r0 = *(u8 *)(r1 + 0)
	exit
out:	r0 = 0
	exit

# name: a stack pointer a register moved: the store is made at fp-8
# mem: 08 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: accept 0x55
# exact: 6
	r3 = *(u8 *)(r1 + 0)
	if r3 != 8 goto out
	r4 = r10
	r4 += -16
	r4 += r3
	r5 = 0x55
	*(u64 *)(r4 + 0) = r5
	r0 = *(u64 *)(r10 - 8)
	exit
out:	r0 = 0
	exit

# name: a load and an atomic through a moved stack pointer are exact too
# mem: 10 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: accept 0x7
# exact: 6,7
	r5 = 6
	*(u64 *)(r10 - 16) = r5
	r3 = *(u8 *)(r1 + 0)
	if r3 != 16 goto out
	r4 = r10
	r4 -= r3
	lock *(u64 *)(r4 + 0) += r5
	r0 = *(u64 *)(r4 + 0)
	r0 -= 5
	exit
out:	r0 = 0
	exit

# name: an unmoved stack pointer is used as it is
# expect: accept 0x55
# exact: none
	r4 = r10
	r4 += -8
	r5 = 0x55
	*(u64 *)(r4 + 0) = r5
	r0 = *(u64 *)(r10 - 8)
	exit

# name: a context pointer a register moved: the load is made at ctx+24
# type: method
# note: method is 7, arg_len 16
# expect: accept 0x10
# exact: 3
	r2 = *(u16 *)(r1 + 40)
	if r2 != 7 goto out
	r1 += r2
	r0 = *(u32 *)(r1 + 17)
	exit
out:	r0 = 0
	exit

# name: a pointer loaded through a moved context pointer works
# type: method
# expect: accept 0
# exact: 3
	r2 = *(u16 *)(r1 + 40)
	if r2 != 7 goto out
	r1 -= r2
	r3 = *(u64 *)(r1 + 7)
	r0 = *(u8 *)(r3 + 0)
	exit
out:	r0 = 0
	exit

# name: a moved context pointer is not a helper's context
# type: method
# expect: reject "expected ctx for helper"
	r3 = 0
	r1 += r3
	r2 = 5
	call 7	; <-
	exit

# name: a jump that is always taken is hard-wired
# expect: accept 0x1
# wired: 1
	r3 = 1
	if r3 == 1 goto l
	r0 = 2
	exit
l:	r0 = 1
	exit

# name: a jump that is never taken is hard-wired
# expect: accept 0x2
# wired: 1
	r3 = 1
	if r3 > 1 goto l
	r0 = 2
	exit
l:	r0 = 1
	exit

# name: a pointer's test against 0 is hard-wired
# expect: accept 0x1
# wired: 0,2
	if r1 == 0 goto l
	r0 = 1
	if r1 != 0 goto l2
l:	r0 = 2
l2:	exit

# name: a jump whose two edges the verifier followed is kept
# mem: 01
# expect: accept 0x1
# wired: none
	r3 = *(u8 *)(r1 + 0)
	r0 = 0
	if r3 == 0 goto l
	r0 = 1
l:	exit

# name: a loop's exit test is kept, its header is not wired
# expect: accept 0x10
# wired: none
	r0 = 0
l:	r0 += 1
	if r0 < 16 goto l
	exit
