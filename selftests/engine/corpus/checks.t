# Run-time bounds checks: which accesses need the full check (a variable
# offset, or one not proved inside [0, IPO_PTR_BOUND]: IPO_AUX_RT_FULL)
# and which get the JIT's short one (a constant offset in that range), and that each aborts exactly at the last valid offset
# + 1, on both engines alike (--engine both).

# name: short check: u8 at the last valid offset, then one past
# mem-size: 16
# expect: abort bounds
# checked: 0,1
# full: none
	r0 = *(u8 *)(r1 + 15)
	r0 = *(u8 *)(r1 + 16)	; <-
	exit

# name: short check: u16 at the last valid offset, then one past
# mem-size: 16
# expect: abort bounds
# checked: 0,1
# full: none
	r0 = *(u16 *)(r1 + 14)
	r0 = *(u16 *)(r1 + 15)	; <-
	exit

# name: short check: u32 at the last valid offset, then one past
# mem-size: 16
# expect: abort bounds
# checked: 0,1
# full: none
	r0 = *(u32 *)(r1 + 12)
	r0 = *(u32 *)(r1 + 13)	; <-
	exit

# name: short check: u64 at the last valid offset, then one past
# mem-size: 16
# expect: abort bounds
# checked: 0,1
# full: none
	r0 = *(u64 *)(r1 + 8)
	r0 = *(u64 *)(r1 + 9)	; <-
	exit

# name: short check: every width at its last valid offset
# mem: 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10
# expect: accept 0x100f0e0d1c04141b
# checked: 0,1,3,5
# full: none
	r0 = *(u64 *)(r1 + 8)
	r2 = *(u32 *)(r1 + 12)
	r0 ^= r2
	r2 = *(u16 *)(r1 + 14)
	r0 ^= r2
	r2 = *(u8 *)(r1 + 15)
	r0 ^= r2
	exit

# name: short check: empty region, every access aborts
# mem-size: 0
# expect: abort bounds
# checked: 0
# full: none
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: short check: region shorter than the width
# mem-size: 3
# expect: abort bounds
# checked: 0,1
# full: none
	r0 = *(u16 *)(r1 + 1)
	r0 = *(u32 *)(r1 + 0)	; <-
	exit

# name: short check: stores of immediates at the last valid offset, then past
# mem-size: 16
# expect: abort bounds
# checked: 0,1,2,3,4
# full: none
# check mem+8: 08 00 00 00 04 00 02 01
	*(u64 *)(r1 + 8) = 8
	*(u32 *)(r1 + 12) = 4
	*(u16 *)(r1 + 14) = 2
	*(u8 *)(r1 + 15) = 1
	*(u16 *)(r1 + 15) = 3	; <-
	r0 = 0
	exit

# name: short check: atomics at the last valid offset, then past
# mem-size: 16
# expect: abort bounds
# checked: 1,2,3
# full: none
	r3 = 1
	lock *(u64 *)(r1 + 8) += r3
	r3 = atomic_fetch_add((u32 *)(r1 + 12), r3)
	lock *(u32 *)(r1 + 16) += w3	; <-
	r0 = 0
	exit

# name: full check: a variable offset, even one never below 0
# note: offset 8 + [0,15] - 8 is never below 0, but an index bounded by a branch gets both ends masked; mem is 17 bytes, r3 = 13
# mem-size: 17
# expect: abort bounds
# checked: 5,6
# full: 5,6
	r3 = r2
	r3 -= 4
	r3 &= 15
	r1 += 8
	r1 += r3
	r0 = *(u32 *)(r1 - 8)
	r0 = *(u32 *)(r1 - 7)	; <-
	exit

# name: full check: negative insn offset before the start
# mem-size: 16
# expect: abort bounds
# checked: 3
# full: 3
	r3 = r2
	r3 &= 15
	r1 += r3
	r0 = *(u32 *)(r1 - 1)	; <-
	exit

# name: full check: index from the length aborts at the end
# mem-size: 9
# expect: abort bounds
# checked: 1
# full: 1
	r1 += r2
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: full check: last byte via the length - 1
# mem: 01 02 03 04
# expect: accept 0x4
# checked: 1
# full: 1
	r1 += r2
	r0 = *(u8 *)(r1 - 1)
	exit

# name: short check: the whole access ends exactly at IPO_PTR_BOUND
# mem-size: 16
# expect: abort bounds
# checked: 1
# full: none
	r1 += 0x1fffffff
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: full check: the same constant offset, moved by a register
# note: a jump could have made r3 constant; only the full check masks below the base
# mem-size: 16
# expect: abort bounds
# checked: 2
# full: 2
	r3 = 0x1fffffff
	r1 += r3
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: full check: the whole access ends one past IPO_PTR_BOUND
# mem-size: 16
# expect: abort bounds
# checked: 2
# full: 2
	r3 = 0x1fffffff
	r1 += r3
	r0 = *(u16 *)(r1 + 0)	; <-
	exit

# name: full check: a huge offset aborts, never wraps
# mem: 01 02 03 04
# expect: abort bounds
# checked: 3
# full: 3
	r3 = 0x7fffffffffffffff ll
	r1 += r3
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: full check: counted loop reads up to its bound, aborts at the end
# note: r3 stays in [0, 99]; mem is 50 bytes
# mem-size: 50
# expect: abort bounds
# checked: 3
# full: 3
	r3 = 0
loop:	r4 = r1
	r4 += r3
	r0 = *(u8 *)(r4 + 0)	; <-
	r3 += 1
	if r3 < 100 goto loop
	exit

# name: full check: one visit proved the offset, a later one could not
# note: the first pass over the body has r3 = 0; widening loses its range
# mem: 01 02 03 04
# expect: accept 0x4
# checked: 3
# full: 3
	r3 = 0
loop:	r4 = r1
	r4 += r3
	r0 = *(u8 *)(r4 + 0)
	r3 += 1
	if r3 != r2 goto loop
	exit

# name: short check in a function: the run frame reaches the callee
# mem-size: 12
# expect: abort bounds
# checked: 3,4
# full: none
	call f
	r0 = 0
	exit
f:	r0 = *(u32 *)(r1 + 8)
	r0 = *(u32 *)(r1 + 9)	; <-
	exit

# name: short and full checks of one region and width side by side
# mem: 01 02 03 04 05 06 07 08
# expect: accept 0x10
# checked: 0,2
# full: 2
	r0 = *(u8 *)(r1 + 7)
	r1 += r2
	r3 = *(u8 *)(r1 - 8)
	r0 += r3
	r0 += 7
	exit

# name: short check on the output buffer of size 0
# type: method
# out-size: 0
# expect: abort bounds
# checked: 1
# full: none
	r2 = *(u64 *)(r1 + 16)
	*(u8 *)(r2 + 0) = 1	; <-
	r0 = 0
	exit

# name: short check on the argument buffer, last valid u16
# type: method
# arg: 01 02 03
# expect: abort bounds
# checked: 1,2
# full: none
	r2 = *(u64 *)(r1 + 8)
	r0 = *(u16 *)(r2 + 1)
	r0 = *(u16 *)(r2 + 2)	; <-
	exit
