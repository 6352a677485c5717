# Relations: an index tested against a region's size (value + k <= size
# >> sh), a pointer stepping beside a counter (p = s * c + b at a loop's
# header), and copies narrowed together (ids).  Each rule with the cases
# that try to abuse it: they must keep their run-time check (and abort on
# the bad run) or be rejected.  "mem" programs: r1 the memory, r2 its
# size (at most 65536).

# name: an index tested against the size proves the access
# mem-size: 16
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# expect: accept 0x78
# checked: none
# note: i < size: i + 1 <= size, a 1-byte access at mem + i
	r3 = 0
	r0 = 0
	if r2 == 0 goto out
L:	r4 = r1
	r4 += r3
	r5 = *(u8 *)(r4 + 0)
	r0 += r5
	r3 += 1
	if r3 < r2 goto L
out:	exit

# name: one byte past what the test covers keeps the check
# mem-size: 16
# expect: abort bounds
# checked: 5
# note: the access reads mem + i + 1: i + 2 <= size is not known
	r3 = 0
	r0 = 0
	if r2 == 0 goto out
L:	r4 = r1
	r4 += r3
	r5 = *(u8 *)(r4 + 1)	; <-
	r0 += r5
	r3 += 1
	if r3 < r2 goto L
out:	exit

# name: i <= size is not i < size
# mem: 08 00 00 00 00 00 00 00
# expect: abort bounds
# checked: 0,4
	r3 = *(u8 *)(r1 + 0)
	if r3 > r2 goto out
	r4 = r1
	r4 += r3
	r0 = *(u8 *)(r4 + 0)	; <-
out:	r0 = 0
	exit

# name: an index moved after its test keeps the check
# mem: 07 00 00 00 00 00 00 00
# expect: abort bounds
# checked: 0,6
	r3 = *(u8 *)(r1 + 0)
	if r3 >= r2 goto out
	r3 += 1
	r4 = r1
	r4 += r3
	r3 = 0
	r0 = *(u8 *)(r4 + 0)	; <-
out:	r0 = 0
	exit

# name: an index scaled by 3 loses its relation
# mem: 07 00 00 00 00 00 00 00
# expect: abort bounds
# checked: 0,5
	r3 = *(u8 *)(r1 + 0)
	if r3 >= r2 goto out
	r3 *= 3
	r4 = r1
	r4 += r3
	r0 = *(u8 *)(r4 + 0)	; <-
out:	r0 = 0
	exit

# name: a 32-bit test of an index with its high half set teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 7
# note: w3 < w2 compares the low halves; r3 is 2^32 + 1
	r3 = 1
	r3 <<= 32
	r3 += 1
	if w3 >= w2 goto out
	r4 = r1
	r4 += r3
	r0 = 0
	r0 = *(u8 *)(r4 + 0)	; <-
out:	r0 = 0
	exit

# name: a signed test of an index that may be negative teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 5
	r3 = 0
	r3 -= 5
	if r3 s>= r2 goto out
	r4 = r1
	r4 += r3
	r0 = *(u8 *)(r4 + 0)	; <-
out:	r0 = 0
	exit

# name: a signed test of a non-negative index proves it
# mem: 05 00 00 00 00 00 00 00
# expect: accept 0
# checked: 0
	r3 = *(u8 *)(r1 + 0)
	if r3 s>= r2 goto out
	r4 = r1
	r4 += r3
	r0 = *(u8 *)(r4 + 0)
out:	r0 = 0
	exit

# name: size >> 3 as a count of u64s, the index shifted back
# mem-size: 24
# expect: accept 0
# checked: none
# note: i < size >> 3: 8 * i + 8 <= size
	r3 = r2
	r3 >>= 3
	r4 = 0
	if r3 == 0 goto out
L:	r5 = r4
	r5 <<= 3
	r6 = r1
	r6 += r5
	r0 = *(u64 *)(r6 + 0)
	r4 += 1
	if r4 < r3 goto L
out:	r0 = 0
	exit

# name: size >> 3 as a count, a 16-byte reach keeps the check
# mem-size: 24
# expect: abort bounds
# checked: 8
	r3 = r2
	r3 >>= 3
	r4 = 0
	if r3 == 0 goto out
L:	r5 = r4
	r5 <<= 3
	r6 = r1
	r6 += r5
	r0 = *(u64 *)(r6 + 8)	; <-
	r4 += 1
	if r4 < r3 goto L
out:	r0 = 0
	exit

# name: size >> 3 as a count, the index not scaled back keeps its bound
# mem-size: 24
# expect: accept 0
# checked: none
# note: i < size / 8 is also i < size: 1-byte reads at mem + i are fine
	r3 = r2
	r3 >>= 3
	r4 = 0
	if r3 == 0 goto out
L:	r6 = r1
	r6 += r4
	r0 = *(u8 *)(r6 + 0)
	r4 += 1
	if r4 < r3 goto L
out:	r0 = 0
	exit

# name: a relation to one region's size does not bound another region
# type: method
# arg-size: 8
# out-size: 8
# expect: accept 0
# checked: 5
# note: r3 < arg size; the access is to the output buffer: the check
# note: stays, and with r3 = 7 and 8 bytes of output it passes
	r2 = *(u32 *)(r1 + 24)
	r6 = *(u64 *)(r1 + 16)
	r3 = 7
	if r3 >= r2 goto out
	r6 += r3
	r0 = *(u8 *)(r6 + 0)
out:	r0 = 0
	exit

# name: a copy is narrowed with its original
# mem: 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: accept 0
# checked: none
# note: r4 = r3 before r3's test: the test bounds both
	if r2 < 16 goto out
	r3 = *(u8 *)(r1 + 0)
	r4 = r3
	if r3 > 15 goto out
	r5 = r1
	r5 += r4
	r0 = *(u8 *)(r5 + 0)
out:	r0 = 0
	exit

# name: a copy that changed after it was made is not narrowed
# mem: 0f 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: abort bounds
# checked: 8
	if r2 < 16 goto out
	r3 = *(u8 *)(r1 + 0)
	r4 = r3
	r4 += 1
	if r3 > 15 goto out
	r5 = r1
	r5 += r4
	r0 = 0
	r0 = *(u8 *)(r5 + 0)	; <-
out:	r0 = 0
	exit

# name: a spill and its fill are narrowed together
# mem: 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: accept 0
# checked: none
	if r2 < 16 goto out
	r3 = *(u8 *)(r1 + 0)
	*(u64 *)(r10 - 8) = r3
	if r3 > 15 goto out
	r4 = *(u64 *)(r10 - 8)
	r5 = r1
	r5 += r4
	r0 = *(u8 *)(r5 + 0)
out:	r0 = 0
	exit

# name: a spill half overwritten is not narrowed with the register
# mem: 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: abort bounds
# checked: 8
# note: the fill reads 200 (the u32 written over the low half)
	if r2 < 16 goto out
	r3 = *(u8 *)(r1 + 0)
	*(u64 *)(r10 - 8) = r3
	*(u32 *)(r10 - 8) = 200
	if r3 > 15 goto out
	r4 = *(u64 *)(r10 - 8)
	r5 = r1
	r5 += r4
	r0 = *(u8 *)(r5 + 0)	; <-
out:	r0 = 0
	exit

# name: a copy narrowed by a test, its spill overwritten at a variable offset
# mem: 00 08 00 00 00 00 00 00
# expect: abort bounds
# checked: 0,5,13
# note: r3 <= 7 narrows its spilled copy at fp-8 too, but the store through
# note: r4 may have hit fp-8 (it did: 255): the fill is unknown, the access
# note: keeps its check
	r3 = *(u8 *)(r1 + 0)
	*(u64 *)(r10 - 8) = r3
	*(u64 *)(r10 - 16) = 0
	r4 = r10
	r4 += -16
	r5 = *(u8 *)(r1 + 1)
	r5 &= 8
	r4 += r5
	r6 = 255
	*(u64 *)(r4 + 0) = r6
	if r3 > 7 goto out
	r7 = *(u64 *)(r10 - 8)
	r1 += r7
	r0 = *(u8 *)(r1 + 0)	; <-
out:	r0 = 0
	exit

# name: the other edge of a test does not keep the narrowed copies
# mem: 14 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
# expect: abort bounds
# checked: 7
# note: on the fall-through r3 > 15; r4, its copy, must not keep r3 <= 15
# note: from the taken edge
	if r2 < 16 goto out
	r3 = *(u8 *)(r1 + 0)
	r4 = r3
	if r3 <= 15 goto out
	r5 = r1
	r5 += r4
	r0 = 0
	r0 = *(u8 *)(r5 + 0)	; <-
out:	r0 = 0
	exit

# name: a pointer stepping beside its counter is bounded by it
# type: method
# expect: accept 0x0
# check obj+0: 01 00 00 00 00 00 00 00 01
# note: p = obj + 8 * i, i < 8: the 8-byte stores stay inside 64 bytes
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
L:	*(u64 *)(r6 + 0) = 1
	r6 += 8
	r2 += 1
	if r2 < 8 goto L
	r0 = 0
	exit

# name: a pointer stepping faster than its counter allows is not
# type: method
# expect: reject "R6 out of bounds: obj"
# note: p = obj + 16 * i, i < 8: the stores reach 120
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
L:	*(u64 *)(r6 + 0) = 1	; <-
	r6 += 16
	r2 += 1
	if r2 < 8 goto L
	r0 = 0
	exit

# name: a pointer that steps on one path only has no relation
# type: method
# expect: reject "R6 out of bounds: obj"
# note: r6 = obj + 8 * (passes through the add): the relation found on
# note: the first pass breaks on the other path, and r6 is unbounded
	r6 = *(u64 *)(r1 + 0)
	r7 = *(u32 *)(r1 + 24)
	r2 = 0
L:	*(u64 *)(r6 + 0) = 1	; <-
	if r7 == 3 goto S
	r6 += 8
S:	r6 += 8
	r2 += 1
	if r2 < 4 goto L
	r0 = 0
	exit

# name: a constant moved into a register is no copy of anything
# fuel: 20000
# expect: accept 0x300
# note: found by the differential fuzzer in a draft: `r2 = 1` linked r2
# note: with r0 (an immediate's src field is 0), and narrowing r2 then
# note: made the accumulator r0 a constant 1: the JIT, trusting it, took
# note: another path than the interpreter
	r0 = 0
	r1 = 5
	r2 = 524288
	r0 += 5
L4:	r2 = 0
L5:	r0 += 1
	r2 += 38
L7:	if r2 < 4 goto L5
	r1 += 1
	if r1 < 1 goto L4
	r2 = 1
	if r2 < 0x800 goto L12
L12:	if r0 < 0x300 goto L7
	exit

# Extremes of the facts' arithmetic: each once was C undefined behaviour
# in the verifier (a trap under the sanitizers, ipo-corpus-san), reachable
# by any program.

# name: a register subtracted whose known bits are S64_MIN's
# expect: accept 0
# note: the subtrahend is no constant: its value is never negated
	r4 = r2
	r5 = 1
	r5 <<= 63
	r4 |= r5
	r0 = 0
	r0 -= r4
	r0 = 0
	exit

# name: the constant S64_MIN added to an index with a relation
# expect: accept 0
# note: the sum wraps below zero: the relation goes
	r3 = 0
	if r3 >= r2 goto out
	r5 = 1
	r5 <<= 63
	r3 += r5
out:	r0 = 0
	exit

# name: a relation to size >> 31 scaled by 2^31
# mem-size: 8
# expect: accept 0
# note: i <= size >> 31, i << 31 <= size: the gap 0 scaled by 2^31
	r4 = r2
	r4 >>= 31
	r3 = *(u8 *)(r1 + 0)
	if r3 > r4 goto out
	r3 <<= 31
out:	r0 = 0
	exit

# name: a relation's gap of S32_MIN in a message
# mem-size: 8
# expect: reject "<=mem+2147483648)"
# note: i < size, then i + 0x80000001: i <= size + 2^31
	r3 = *(u8 *)(r1 + 0)
	if r3 >= r2 goto out
	r5 = 0x80000001 ll
	r3 += r5
	r0 = *(u8 *)(r3 + 0)	; <-
out:	r0 = 0
	exit
