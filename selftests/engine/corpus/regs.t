# Registers: uninitialised reads everywhere, writes to r10.

# name: r0 uninitialised at exit
# expect: reject "R0 !read_ok"
	exit		; <-

# name: r0 uninitialised at exit on one path only
# expect: reject "R0 !read_ok"
	if r2 > 3 goto L
	r0 = 1
L:	exit		; <-

# name: mem type r3 is not initialised at entry
# expect: reject "R3 !read_ok"
	r0 = r3		; <-
	exit

# name: method type r2 is not initialised at entry
# type: method
# expect: reject "R2 !read_ok"
	r0 = r2		; <-
	exit

# name: add reads uninitialised dst
# expect: reject "R4 !read_ok"
	r4 += 1		; <-
	r0 = 0
	exit

# name: add32 reads uninitialised src
# expect: reject "R5 !read_ok"
	w0 = 1
	w0 += w5	; <-
	exit

# name: sub reads uninitialised dst
# expect: reject "R6 !read_ok"
	r6 -= 2		; <-
	r0 = 0
	exit

# name: mul reads uninitialised src
# expect: reject "R7 !read_ok"
	r0 = 3
	r0 *= r7	; <-
	exit

# name: div reads uninitialised dst
# expect: reject "R8 !read_ok"
	r8 /= 3		; <-
	r0 = 0
	exit

# name: sdiv reads uninitialised src
# expect: reject "R9 !read_ok"
	r0 = 3
	r0 s/= r9	; <-
	exit

# name: or reads uninitialised dst
# expect: reject "R3 !read_ok"
	r3 |= 1		; <-
	r0 = 0
	exit

# name: and reads uninitialised dst
# expect: reject "R3 !read_ok"
	w3 &= 1		; <-
	r0 = 0
	exit

# name: lsh reads uninitialised shift amount
# expect: reject "R4 !read_ok"
	r0 = 1
	r0 <<= r4	; <-
	exit

# name: rsh reads uninitialised dst
# expect: reject "R4 !read_ok"
	r4 >>= 1	; <-
	r0 = 0
	exit

# name: arsh reads uninitialised dst
# expect: reject "R4 !read_ok"
	r4 s>>= 1	; <-
	r0 = 0
	exit

# name: neg reads uninitialised dst
# expect: reject "R5 !read_ok"
	r5 = -r5	; <-
	r0 = 0
	exit

# name: mod reads uninitialised src
# expect: reject "R5 !read_ok"
	r0 = 7
	r0 %= r5	; <-
	exit

# name: xor reads uninitialised dst (xor r,r idiom is still a read)
# expect: reject "R5 !read_ok"
	r5 ^= r5	; <-
	r0 = 0
	exit

# name: mov reads uninitialised src
# expect: reject "R6 !read_ok"
	r0 = r6		; <-
	exit

# name: movsx reads uninitialised src
# expect: reject "R6 !read_ok"
	r0 = (s8)r6	; <-
	exit

# name: byte swap reads uninitialised dst
# expect: reject "R7 !read_ok"
	r7 = be32 r7	; <-
	r0 = 0
	exit

# name: store of an uninitialised register
# expect: reject "R3 !read_ok"
	*(u64 *)(r10 - 8) = r3	; <-
	r0 = 0
	exit

# name: store through an uninitialised base
# expect: reject "R3 !read_ok"
	*(u32 *)(r3 + 0) = 1	; <-
	r0 = 0
	exit

# name: load through an uninitialised base
# expect: reject "R4 !read_ok"
	r0 = *(u8 *)(r4 + 0)	; <-
	exit

# name: conditional jump on an uninitialised register
# expect: reject "R6 !read_ok"
	r0 = 0
	if r6 > 3 goto +0	; <-
	exit

# name: conditional jump against an uninitialised register
# expect: reject "R7 !read_ok"
	r0 = 0
	if w0 != w7 goto +0	; <-
	exit

# name: helper argument uninitialised
# type: method
# expect: reject "R2 !read_ok"
	r1 = 1
	call 1		; <-
	exit

# name: helper clobbers r1-r5
# expect: reject "R1 !read_ok"
	r1 = 1
	r2 = 2
	call 1
	r0 = r1		; <-
	exit

# name: callx on an uninitialised register
# expect: reject "R3 !read_ok"
	r0 = 0
	callx r3	; <-
	exit

# name: atomic operand uninitialised
# expect: reject "R3 !read_ok"
	*(u64 *)(r10 - 8) = 0
	lock *(u64 *)(r10 - 8) += r3	; <-
	r0 = 0
	exit

# name: cmpxchg with r0 uninitialised
# expect: reject "R0 !read_ok"
	*(u64 *)(r10 - 8) = 0
	r2 = 1
	r0 = atomic64_cmpxchg((u64 *)(r10 - 8), r0, r2)	; <-
	exit

# name: join of initialised and uninitialised is uninitialised
# expect: reject "R3 !read_ok"
	if r2 > 5 goto L
	r3 = 1
L:	r0 = r3		; <-
	exit

# name: register uninitialised in the loop body on the first pass
# expect: reject "R4 !read_ok"
	r0 = 0
	r1 = 0
L:	r0 += r4	; <-
	r4 = 1
	r1 += 1
	if r1 < 4 goto L
	exit

# name: write to r10 with mov
# expect: reject "R10 is read only"
	r10 = 0		; <-
	r0 = 0
	exit

# name: write to r10 with add
# expect: reject "R10 is read only"
	r10 += 8	; <-
	r0 = 0
	exit

# name: write to w10
# expect: reject "R10 is read only"
	w10 = 1		; <-
	r0 = 0
	exit

# name: lddw into r10
# expect: reject "R10 is read only"
	r10 = 0x1000 ll	; <-
	r0 = 0
	exit

# name: load into r10
# expect: reject "R10 is read only"
	*(u64 *)(r10 - 8) = 0
	r10 = *(u64 *)(r10 - 8)	; <-
	r0 = 0
	exit

# name: atomic fetch into r10 (r10 is a pointer: caught as a leak first)
# expect: reject "pointer leak: atomic operand R10"
	*(u64 *)(r10 - 8) = 0
	r10 = atomic64_fetch_add((u64 *)(r10 - 8), r10)	; <-
	r0 = 0
	exit

# name: r6-r9 survive a helper call (callee-saved)
# expect: accept 0x7
	r6 = 7
	r1 = 1
	r2 = 2
	call 1
	r0 = r6
	exit

# name: uninitialised register never read is fine
# expect: accept 0x0
	if r2 > 5 goto L
	r3 = 1
L:	r0 = 0
	exit
