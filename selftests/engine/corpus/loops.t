# Loops and the shapes real clang output has; fuel at run time.

# name: bounded loop summing the object with a checked index
# type: method
# expect: accept 0x15
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
L0:	if r2 > 63 goto next
	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2
	r2 += 1
	if r2 < 7 goto L0
next:	r0 = 0
	r2 = 0
L:	if r2 > 63 goto out
	r3 = r6
	r3 += r2
	r4 = *(u8 *)(r3 + 0)
	r0 += r4
	r2 += 1
	if r2 < 64 goto L
out:	exit

# name: loop index bounded by the exit test one past the object
# type: method
# expect: reject "R3 out of bounds: obj"
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
	r0 = 0
L:	r3 = r6
	r3 += r2
	r4 = *(u8 *)(r3 + 0)	; <-
	r0 += r4
	r2 += 1
	if r2 < 65 goto L
	exit

# name: loop index bounded by the exit test to the object's 64 bytes
# type: method
# expect: accept 0x0
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
	r0 = 0
L:	r3 = r6
	r3 += r2
	r4 = *(u8 *)(r3 + 0)
	r0 += r4
	r2 += 1
	if r2 < 64 goto L
	exit

# name: loop index bounded by <= one past the object
# type: method
# expect: reject "R3 out of bounds: obj"
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2	; <-
	r2 += 1
	if r2 <= 64 goto L
	r0 = 0
	exit

# name: loop index stepping by 2 under a signed exit test
# type: method
# expect: accept 0x0
# check obj+0: 00 00 02 00 04 00 06
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2
	r2 += 2
	if r2 s< 63 goto L
	r0 = 0
	exit

# name: the exit test bounds another register that steps with the index
# type: method
# expect: accept 0x0
# note: r2 = r5 on every pass (both from 0, both +1): r5 < 7 bounds r2
# check obj+0: 00 01 02 03 04 05 06 00
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
	r5 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2
	r2 += 1
	r5 += 1
	if r5 < 7 goto L
	r0 = 0
	exit

# name: the exit test bounds another register that steps slower
# type: method
# expect: reject "R3 out of bounds: obj"
# note: r2 = 16 * r5: r5 < 7 lets r2 reach 96, past the 64-byte object
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
	r5 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2	; <-
	r2 += 16
	r5 += 1
	if r5 < 7 goto L
	r0 = 0
	exit

# name: the exit test bounds a register that started elsewhere
# type: method
# expect: reject "R3 out of bounds: obj"
# note: r2 = r5 + 60: the relation carries the offset of the start
	r6 = *(u64 *)(r1 + 0)
	r2 = 60
	r5 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2	; <-
	r2 += 1
	r5 += 1
	if r5 < 7 goto L
	r0 = 0
	exit

# name: the index steps on one path only, the counter on both
# type: method
# expect: reject "R3 out of bounds: obj"
# note: the relation found on the first pass (r2 = r5) breaks on the
# note: path that adds 2 more: it goes, and r2 is unbounded
	r6 = *(u64 *)(r1 + 0)
	r7 = *(u32 *)(r1 + 24)
	r2 = 0
	r5 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2	; <-
	r2 += 1
	if r7 != 5 goto M
	r2 += 2
M:	r5 += 1
	if r5 < 7 goto L
	r0 = 0
	exit

# name: a relation from a start that is not one value
# type: method
# expect: reject "R3 out of bounds: obj"
# note: r2 starts at 0 or 40: no single offset b in r2 = r5 + b
	r6 = *(u64 *)(r1 + 0)
	r7 = *(u32 *)(r1 + 24)
	r2 = 0
	if r7 != 5 goto S
	r2 = 40
S:	r5 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2	; <-
	r2 += 1
	r5 += 1
	if r5 < 30 goto L
	r0 = 0
	exit

# name: a test inside the loop is no bound when the exit test is past the object
# type: method
# expect: reject "R3 out of bounds: obj"
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
L:	if r2 == 5 goto skip
	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2	; <-
skip:	r2 += 1
	if r2 < 100 goto L
	r0 = 0
	exit

# name: a counting-down index that goes below the object
# type: method
# expect: reject "R3 out of bounds: obj"
	r6 = *(u64 *)(r1 + 0)
	r2 = 63
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2	; <-
	r2 -= 1
	if r2 s> -2 goto L
	r0 = 0
	exit

# name: a counting-down index that stays in the object
# type: method
# expect: accept 0x0
# check obj+0: 00 01 02 03
	r6 = *(u64 *)(r1 + 0)
	r2 = 63
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2
	r2 -= 1
	if r2 s> -1 goto L
	r0 = 0
	exit

# name: nested loops
# expect: accept 0xc
	r0 = 0
	r1 = 0
outer:	r2 = 0
inner:	r0 += 1
	r2 += 1
	if r2 < 4 goto inner
	r1 += 1
	if r1 < 3 goto outer
	exit

# name: loop over the stack with a checked index
# expect: accept 0x0f
# note: a bounded variable offset into the frame; the bytes it may have
# note: written are not known to be written: the read at fp-1 is of the
# note: one the first store made
	*(u64 *)(r10 - 8) = 0
	*(u64 *)(r10 - 16) = 0
	r1 = 0
fill:	if r1 > 15 goto done
	r2 = r10
	r2 += -16
	r2 += r1
	r0 = r1
	*(u8 *)(r2 + 0) = r0
	r1 += 1
	goto fill
done:	r0 = *(u8 *)(r10 - 1)
	exit

# name: loop over the stack one byte too far
# expect: reject "R2 variable stack access: offset fp-16+[0,16] size 1 not proven inside the frame"
	r1 = 0
fill:	if r1 > 16 goto done
	r2 = r10
	r2 += -16
	r2 += r1
	r0 = r1
	*(u8 *)(r2 + 0) = r0	; <-
	r1 += 1
	goto fill
done:	r0 = 0
	exit

# name: infinite loop is accepted and stopped by fuel
# expect: abort fuel
# fuel: 1000
	r0 = 0
L:	r0 += 1
	goto L

# name: tight self-loop stopped by fuel
# expect: abort fuel
# fuel: 100
	r0 = 0
L:	if r0 == 0 goto L
	exit

# name: loop changing a register's type is rejected
# expect: reject "R3"
	r3 = 0
	r2 = 0
L:	r0 = *(u8 *)(r3 + 0)
	r3 = r1
	r2 += 1
	if r2 < 3 goto L
	exit

# name: loop that leaves a pointer stored as a scalar elsewhere is fine
# expect: accept 0x3
	r2 = 0
	r0 = 0
L:	r0 += 1
	r2 += 1
	if r2 < 3 goto L
	exit

# name: while loop over argument bytes, runtime checked, stops at len
# type: method
# arg: 01 02 03 04 05
# expect: accept 0xf
	r6 = *(u64 *)(r1 + 8)
	r7 = *(u32 *)(r1 + 24)
	r0 = 0
	r2 = 0
L:	if r2 >= r7 goto out
	r3 = r6
	r3 += r2
	r4 = *(u8 *)(r3 + 0)
	r0 += r4
	r2 += 1
	goto L
out:	exit

# name: loop reading one byte too far in the argument buffer aborts
# type: method
# arg: 01 02 03 04 05
# expect: abort bounds
	r6 = *(u64 *)(r1 + 8)
	r7 = *(u32 *)(r1 + 24)
	r0 = 0
	r2 = 0
L:	if r2 > r7 goto out
	r3 = r6
	r3 += r2
	r4 = *(u8 *)(r3 + 0)
	r0 += r4
	r2 += 1
	goto L
out:	exit

# name: loop with a helper call in the body
# expect: accept 0x14
	r6 = 0
	r7 = 0
L:	r1 = r7
	r2 = 4
	call 1
	r7 = r0
	r6 += 1
	if r6 < 5 goto L
	r0 = r7
	exit

# name: stack written in a loop is readable only if it surely ran
# expect: reject "invalid read from stack"
	r1 = 0
L:	if r1 > 0 goto done
	*(u64 *)(r10 - 8) = 1
	r1 += 1
	goto L
done:	if r2 > 100 goto skip
	r0 = 0
	exit
skip:	r3 = r10
	r0 = 1
	if r2 > 200 goto out
	*(u64 *)(r10 - 16) = 0
out:	r0 = *(u64 *)(r10 - 16)	; <-
	exit

# name: constant-bound loop indexing without an explicit check (clang -O2 shape)
# type: method
# expect: accept 0x0
# check obj+0: 00 01 02 03 04 05 06
# note: for (i = 0; i < 7; i++) obj[i] = i; the exit test bounds i
	r6 = *(u64 *)(r1 + 0)
	r2 = 0
L:	r3 = r6
	r3 += r2
	*(u8 *)(r3 + 0) = r2
	r2 += 1
	if r2 < 7 goto L
	r0 = 0
	exit
