# Pointer arithmetic (only pointer +/- scalar), comparisons and leaks.

# name: pointer multiply
# expect: reject "R1 pointer arithmetic 'mul' prohibited"
	r1 *= 2		; <-
	r0 = 0
	exit

# name: pointer divide
# expect: reject "R1 pointer arithmetic 'div' prohibited"
	r1 /= 2		; <-
	r0 = 0
	exit

# name: pointer modulo
# expect: reject "R1 pointer arithmetic 'mod' prohibited"
	r1 %= 4096	; <-
	r0 = 0
	exit

# name: pointer or
# expect: reject "R1 pointer arithmetic 'or' prohibited"
	r1 |= 1		; <-
	r0 = 0
	exit

# name: pointer and (alignment mask)
# expect: reject "R1 pointer arithmetic 'and' prohibited"
	r1 &= -8	; <-
	r0 = 0
	exit

# name: pointer xor
# expect: reject "R1 pointer arithmetic 'xor' prohibited"
	r1 ^= 1		; <-
	r0 = 0
	exit

# name: pointer left shift
# expect: reject "R1 pointer arithmetic 'lsh' prohibited"
	r1 <<= 1	; <-
	r0 = 0
	exit

# name: pointer right shift
# expect: reject "R1 pointer arithmetic 'rsh' prohibited"
	r1 >>= 32	; <-
	r0 = 0
	exit

# name: pointer arithmetic right shift
# expect: reject "R1 pointer arithmetic 'arsh' prohibited"
	r1 s>>= 1	; <-
	r0 = 0
	exit

# name: pointer negation
# expect: reject "R1 pointer arithmetic 'neg' prohibited"
	r1 = -r1	; <-
	r0 = 0
	exit

# name: 32-bit negation of a pointer
# expect: reject "R1 pointer arithmetic 'neg32' prohibited"
	w1 = -w1	; <-
	r0 = 0
	exit

# name: 32-bit add to a pointer
# expect: reject "R1 pointer arithmetic 'add32' prohibited"
	w1 += 4		; <-
	r0 = 0
	exit

# name: 32-bit move of a pointer (truncation)
# expect: reject "R1 pointer arithmetic 'mov32' prohibited"
	w0 = w1		; <-
	exit

# name: sign-extending move of a pointer
# expect: reject "R1 pointer arithmetic 'movsx' prohibited"
	r0 = (s32)r1	; <-
	exit

# name: byte swap of a pointer
# expect: reject "R1 pointer arithmetic 'be' prohibited"
	r1 = be64 r1	; <-
	r0 = 0
	exit

# name: bswap of a pointer
# expect: reject "R1 pointer arithmetic 'bswap' prohibited"
	r1 = bswap32 r1	; <-
	r0 = 0
	exit

# name: pointer plus pointer
# expect: reject "R1 pointer arithmetic 'add' of two pointers prohibited"
	r3 = r10
	r1 += r3	; <-
	r0 = 0
	exit

# name: scalar minus pointer
# expect: reject "R3 pointer arithmetic 'scalar - pointer' prohibited"
	r3 = 100
	r3 -= r1	; <-
	r0 = 0
	exit

# name: scalar plus pointer is a pointer (commutative), then leaked
# expect: reject "R0 leaks a pointer at exit"
	r0 = 8
	r0 += r1
	exit		; <-

# name: subtraction of pointers into different regions
# expect: reject "R1 subtraction of pointers into different regions"
	r1 -= r10	; <-
	r0 = 0
	exit

# name: difference of two pointers into one region is a scalar
# mem: 01 02 03 04
# expect: accept 0x3
	r3 = r1
	r3 += 3
	r3 -= r1
	r0 = r3
	exit

# name: pointer compared with a scalar
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	if r1 > 0x1000 goto +0	; <-
	exit

# name: pointer == 0 is never true (null check; the branch is pruned)
# mem: 2a 02 03 04
# expect: accept 0x2a
	r0 = *(u8 *)(r1 + 0)
	if r1 == 0 goto bad
	exit
bad:	r0 = r7
	exit

# name: pointer != 0 is always true (the fall-through is pruned)
# mem: 2a 02 03 04
# expect: accept 0x2a
	if r1 != 0 goto ok
	r0 = r7
	exit
ok:	r0 = *(u8 *)(r1 + 0)
	exit

# name: zero register compared with a pointer, either side
# mem: 2a 02 03 04
# expect: accept 0x2a
	r3 = 0
	if r3 == r1 goto bad
	if r1 == r3 goto bad
	if r3 != r1 goto ok
bad:	r0 = r7
	exit
ok:	r0 = *(u8 *)(r1 + 0)
	exit

# name: pointer with a bounded variable offset compared with zero
# mem: 03 02 03 04
# expect: accept 0x4
	r3 = *(u8 *)(r1 + 0)
	r2 = r1
	r2 += r3
	if r2 == 0 goto bad
	r0 = *(u8 *)(r2 + 0)
	exit
bad:	r0 = r7
	exit

# name: stack pointer compared with zero
# expect: accept 0x0
	r2 = r10
	r2 += -512
	if r2 == 0 goto bad
	r0 = 0
	exit
bad:	r0 = r7
	exit

# name: pointer compared with zero, 32-bit (low half may be 0)
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	if w1 == 0 goto +0	; <-
	exit

# name: pointer compared with a non-zero constant
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	if r1 != 1 goto +0	; <-
	exit

# name: pointer compared with a register that is 1
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	r3 = 1
	if r1 == r3 goto +0	; <-
	exit

# name: pointer compared with a register that may be 0
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	r3 = *(u8 *)(r1 + 0)
	if r1 == r3 goto +0	; <-
	exit

# name: pointer > 0 (only == and != against 0 are decided)
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	if r1 > 0 goto +0	; <-
	exit

# name: pointer signed-compared with 0 (the sign bit tells kernel from user)
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	if r1 s< 0 goto +0	; <-
	exit

# name: jset of a pointer with 0
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	if r1 & 0 goto +0	; <-
	exit

# name: pointer below its region's start compared with zero
# expect: reject "R2 pointer comparison prohibited"
	r0 = 0
	r2 = r1
	r2 += -8
	if r2 == 0 goto +0	; <-
	exit

# name: pointer with an unbounded offset compared with zero
# expect: reject "R2 pointer comparison prohibited"
	r0 = 0
	r3 = *(u64 *)(r1 + 0)
	r2 = r1
	r2 += r3
	if r2 == 0 goto +0	; <-
	exit

# name: pointer with a possibly negative offset compared with zero
# mem: 01 02 03 04
# expect: reject "R2 pointer comparison prohibited"
	r0 = 0
	r3 = *(u8 *)(r1 + 0)
	r2 = r1
	r2 -= r3
	if r2 != 0 goto +0	; <-
	exit

# name: stack pointer below the stack compared with zero
# expect: reject "R2 pointer comparison prohibited"
	r0 = 0
	r2 = r10
	r2 += -520
	if r2 == 0 goto +0	; <-
	exit

# name: the pruned null branch leaves no pointer behind in r0
# expect: reject "R0 leaks a pointer at exit"
	r0 = r1
	if r1 == 0 goto +1
	exit		; <-
	r0 = 0
	exit

# name: scalar compared with a pointer
# expect: reject "pointer comparison prohibited"
	r0 = 0
	if r2 < r1 goto +0	; <-
	exit

# name: 32-bit comparison of a pointer
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	r3 = r1
	if w1 > w3 goto +0	; <-
	exit

# name: jset on pointers
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	r3 = r1
	if r1 & r3 goto +0	; <-
	exit

# name: pointers into different regions compared
# expect: reject "R1 pointer comparison prohibited"
	r0 = 0
	if r1 > r10 goto +0	; <-
	exit

# name: pointer comparison within one region (end check idiom)
# mem: 01 02 03 04 05 06 07 08
# expect: accept 0x1
	r3 = r1
	r3 += 8
	r4 = r1
	r4 += 4
	r0 = 0
	if r4 > r3 goto out
	r0 = *(u8 *)(r1 + 0)
out:	exit

# name: pointer in r0 at exit
# expect: reject "R0 leaks a pointer at exit"
	r0 = r1
	exit		; <-

# name: stack pointer in r0 at exit
# expect: reject "R0 leaks a pointer at exit"
	r0 = r10
	exit		; <-

# name: pointer in r0 at exit on one path
# expect: reject "R0"
	r0 = 0
	if r2 > 3 goto L
	r0 = r10
L:	exit		; <-

# name: store a pointer into mem
# expect: reject "pointer leak: storing R1"
	*(u64 *)(r1 + 0) = r1	; <-
	r0 = 0
	exit

# name: store the stack pointer into mem
# expect: reject "pointer leak: storing R10"
	*(u64 *)(r1 + 0) = r10	; <-
	r0 = 0
	exit

# name: store a pointer into the object
# type: method
# expect: reject "pointer leak: storing R1"
	r2 = *(u64 *)(r1 + 0)
	*(u64 *)(r2 + 0) = r1	; <-
	r0 = 0
	exit

# name: store a pointer into the output buffer
# type: method
# expect: reject "pointer leak: storing R2"
	r2 = *(u64 *)(r1 + 16)
	*(u64 *)(r2 + 0) = r2	; <-
	r0 = 0
	exit

# name: store 4 bytes of a pointer into the output buffer
# type: method
# expect: reject "pointer leak: storing R3"
	r2 = *(u64 *)(r1 + 16)
	r3 = *(u64 *)(r1 + 0)
	*(u32 *)(r2 + 0) = r3	; <-
	r0 = 0
	exit

# name: pointer laundered through a spill, then stored
# expect: reject "pointer leak: storing R3"
	*(u64 *)(r10 - 8) = r1
	r3 = *(u64 *)(r10 - 8)
	*(u64 *)(r1 + 0) = r3	; <-
	r0 = 0
	exit

# name: pointer laundered through a partial fill
# expect: reject "partial read of spilled pointer"
	*(u64 *)(r10 - 8) = r1
	r3 = *(u32 *)(r10 - 4)	; <-
	*(u32 *)(r1 + 0) = r3
	r0 = 0
	exit

# name: pointer exchanged into memory with xchg
# expect: reject "pointer leak: atomic operand R3"
	r3 = r1
	r3 = atomic64_xchg((u64 *)(r1 + 0), r3)	; <-
	r0 = 0
	exit

# name: pointer stored by cmpxchg (new value)
# expect: reject "pointer leak: atomic operand R3"
	r0 = 0
	r3 = r10
	r0 = atomic64_cmpxchg((u64 *)(r1 + 0), r0, r3)	; <-
	exit

# name: pointer as cmpxchg comparand in r0
# expect: reject "pointer leak: cmpxchg operand R0"
	r0 = r1
	r3 = 0
	r0 = atomic64_cmpxchg((u64 *)(r1 + 0), r0, r3)	; <-
	r0 = 0
	exit

# name: pointer added into memory with atomic add
# expect: reject "pointer leak: atomic operand R1"
	lock *(u64 *)(r1 + 0) += r1	; <-
	r0 = 0
	exit

# name: pointer as a scalar helper argument
# expect: reject "R1 type="
	r2 = 1
	call 1		; <-
	exit

# name: load through a scalar
# expect: reject "invalid mem access 'scalar' R3"
	r3 = 0x1000
	r0 = *(u64 *)(r3 + 0)	; <-
	exit

# name: store through a scalar made from a constant address
# expect: reject "invalid mem access 'scalar' R3"
	r3 = 0xffff888000000000 ll
	*(u64 *)(r3 + 0) = 0	; <-
	r0 = 0
	exit
