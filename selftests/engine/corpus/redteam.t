# Red-team cases: programs a sound verifier must reject.  Each one was
# written as an attack; a failing case here is a verifier soundness bug.

# name: redteam: stack store at fp+(2^63-8) wraps the bounds check
# expect: reject "invalid stack access"
	r1 = r10
	r2 = 0x7ffffffffffffff8 ll
	r1 += r2
	*(u64 *)(r1 + 0) = 0	; <-
	r0 = 0
	exit

# name: redteam: stack load at fp+(2^63-4) wraps the bounds check
# expect: reject "invalid stack access"
	r1 = r10
	r2 = 0x7ffffffffffffffc ll
	r1 += r2
	r0 = *(u32 *)(r1 + 0)	; <-
	exit

# name: redteam: helper memory on the stack at fp+(2^63-64) wraps the bounds check
# expect: reject "invalid stack access"
	r1 = r10
	r2 = 0x7fffffffffffffc0 ll
	r1 += r2
	r2 = 128
	r3 = 0
	call 3			; <-
	r0 = 0
	exit

# name: redteam: helper read on the stack at fp+(2^63-64) wraps the bounds check
# expect: reject "invalid stack access"
	r1 = r10
	r2 = 0x7fffffffffffffc0 ll
	r1 += r2
	r2 = 128
	call 2			; <-
	exit

# name: redteam: loop turns a scalar into a pointer on the second iteration
# expect: reject "R6 !read_ok"
	r6 = 0
	r7 = 0
loop:	r0 = r6		; <-
	r6 = r10
	r7 += 1
	if r7 < 3 goto loop
	r0 = r0
	exit

# name: redteam: loop-carried pointer reaches exit after widening
# expect: reject "R6 !read_ok"
	r6 = 0
	r7 = 0
loop:	r7 += 1
	if r7 > 2 goto out
	r6 = r1
	goto loop
out:	r0 = r6		; <-
	exit

# name: redteam: irreducible entry into a loop body with a pointer
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r6 = r1
	r7 = 0
	if r2 == 7 goto mid
top:	r6 = 0
mid:	r7 += 1
	if r7 < 5 goto top
	r0 = r6		; <-
	exit

# name: redteam: irreducible entry, loop restarts before the leak is seen
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r6 = r1
	r7 = 0
	if r2 == 7 goto mid
top:	r6 = 0
	r8 = 0
mid:	r7 += 1
	if r7 < 5 goto top
	if r7 > 100 goto out
	r8 = 1
out:	r0 = r6		; <-
	exit

# name: redteam: stack slot holds a scalar on entry, a pointer from iteration two
# expect: reject "invalid read from stack"
	r7 = 0
	*(u64 *)(r10 - 8) = r7
loop:	r0 = *(u32 *)(r10 - 8)	; <-
	*(u64 *)(r10 - 8) = r10
	r7 += 1
	if r7 < 3 goto loop
	r0 = 0
	exit

# name: redteam: partial fill of a slot that is a pointer only on some iterations
# expect: reject "invalid read from stack"
	r7 = 0
	*(u64 *)(r10 - 8) = r7
loop:	r7 += 1
	if r7 > 3 goto out
	*(u64 *)(r10 - 8) = r1
	goto loop
out:	r0 = *(u8 *)(r10 - 8)	; <-
	exit

# name: redteam: nested loops, inner loop makes the outer counter a pointer
# expect: reject "R6 !read_ok"
	r6 = 0
outer:	r7 = 0
inner:	r7 += 1
	if r7 < 2 goto inner
	r6 += 1
	if r6 == 3 goto weird
	goto next
weird:	r6 = r1
next:	r6 += 1			; <-
	if r6 < 5 goto outer
	r0 = 0
	exit

# name: redteam: loop index bound lost across iterations indexes the stack
# expect: reject "variable stack access: offset fp-8+[0,8] size 1 not proven inside the frame"
# note: r6 < 9 lets the index reach fp+0, past the frame
	r6 = 0
	*(u64 *)(r10 - 8) = r6
loop:	r2 = r10
	r2 += -8
	r2 += r6
	r0 = *(u8 *)(r2 + 0)	; <-
	r6 += 1
	if r6 < 9 goto loop
	exit

# name: redteam: a loop reading the stack stays inside what was written
# expect: accept 0
	r6 = 0
	*(u64 *)(r10 - 8) = r6
loop:	r2 = r10
	r2 += -8
	r2 += r6
	r0 = *(u8 *)(r2 + 0)
	r6 += 1
	if r6 < 8 goto loop
	exit

# name: redteam: constant pointer offset overflowing s64 (no UB in the verifier)
# expect: reject "invalid stack access"
	r1 = r10
	r1 += 8
	r2 = 0x7fffffffffffffff ll
	r1 += r2
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: redteam: constant pointer offset minus S64_MIN
# expect: reject "invalid stack access"
	r1 = r10
	r1 += -8
	r2 = 0x8000000000000000 ll
	r1 -= r2
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: redteam: ctx pointer wrapped all the way around to a field
# type: method
# expect: reject "pointer leak"
	r2 = 0x7fffffffffffffff ll
	r1 += r2
	r1 += r2
	r1 += 2
	r0 = *(u64 *)(r1 + 0)
	*(u64 *)(r0 + 0) = r0	; <-
	r0 = 0
	exit

# name: redteam: spilled constant partly overwritten, fill used as a stack offset
# expect: reject "variable stack access"
	r1 = -16
	*(u64 *)(r10 - 8) = r1
	*(u8 *)(r10 - 8) = 0x40
	r2 = *(u64 *)(r10 - 8)
	r3 = r10
	r3 += r2
	r0 = *(u8 *)(r3 + 0)	; <-
	exit

# name: redteam: atomic add to a spilled constant, fill used as a stack offset
# expect: reject "variable stack access"
	r1 = -16
	*(u64 *)(r10 - 8) = r1
	r4 = 0x10000
	lock *(u64 *)(r10 - 8) += r4
	r2 = *(u64 *)(r10 - 8)
	r3 = r10
	r3 += r2
	r0 = *(u8 *)(r3 + 0)	; <-
	exit

# name: redteam: helper may write into a spilled constant, fill used as a stack offset
# expect: reject "variable stack access"
	r6 = -16
	*(u64 *)(r10 - 8) = r6
	r1 = r10
	r1 += -8
	r2 = *(u8 *)(r1 + 0)
	r2 &= 8
	r3 = 0x7f
	call 3
	r2 = *(u64 *)(r10 - 8)
	r3 = r10
	r3 += r2
	r0 = *(u8 *)(r3 + 0)	; <-
	exit

# name: redteam: 32-bit atomic fetch on half of a spilled pointer
# expect: reject "partial read of spilled pointer"
	*(u64 *)(r10 - 8) = r1
	r2 = 0
	r2 = atomic_fetch_add((u32 *)(r10 - 8), r2)	; <-
	r0 = r2
	exit

# name: redteam: xchg a scalar into a spilled pointer slot
# expect: reject "atomic access to spilled pointer"
	*(u64 *)(r10 - 8) = r1
	r2 = 0
	r2 = atomic64_xchg((u64 *)(r10 - 8), r2)	; <-
	r0 = r2
	exit

# name: redteam: pointer spill joined with a scalar spill, then summed by a helper
# expect: reject "invalid indirect read from stack"
	r2 = 0
	*(u64 *)(r10 - 8) = r2
	r3 = *(u32 *)(r1 + 0)
	if r3 == 0 goto +1
	*(u64 *)(r10 - 8) = r1
	r1 = r10
	r1 += -8
	r2 = 8
	call 2			; <-
	exit

# name: redteam: callee cannot see the caller's frame through r10 arithmetic
# expect: reject "invalid read from stack"
	*(u64 *)(r10 - 8) = r1
	call f
	r0 = 0
	exit
f:	r0 = *(u64 *)(r10 - 8)	; <-
	exit

# name: redteam: pointer difference across regions via the stack
# type: method
# expect: reject "subtraction of pointers into different regions"
	r2 = *(u64 *)(r1 + 0)
	*(u64 *)(r10 - 8) = r2
	r3 = *(u64 *)(r1 + 8)
	r4 = *(u64 *)(r10 - 8)
	r4 -= r3		; <-
	r0 = r4
	exit

# name: redteam: jmp32 on a pointer leaks its low bits
# expect: reject "pointer comparison prohibited"
	r0 = 0
	r2 = r1
	if w2 > 0x1000 goto +1	; <-
	r0 = 1
	exit

# name: redteam: comparing pointers into one region with an unbounded offset
# expect: reject "pointer comparison prohibited"
	r3 = *(u64 *)(r1 + 0)
	r2 = r1
	r2 += r3
	r0 = 0
	if r2 > r1 goto +1	; <-
	r0 = 1
	exit

# name: redteam: callx with an id known only at run time
# expect: reject "callx R3 is not a known helper id"
	r3 = *(u8 *)(r1 + 0)
	r3 &= 7
	callx r3		; <-
	r0 = 0
	exit

# Only side entries keep their states for a loop's retry (verifier.c,
# "Loops"): each case below enters a loop body from before the header of
# the loop around its target, the loop is re-verified, and the entry must
# still be seen on the second pass.

# name: redteam: side entry into an inner loop from the outer loop's body, inner loop retried
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r8 = 0
outer:	r6 = r1
	r7 = 0
	if r2 == 7 goto mid
top:	r6 = 0
mid:	r7 += 1
	if r7 < 5 goto top
	r8 += 1
	if r8 < 3 goto outer
	r0 = r6		; <-
	exit

# name: redteam: edge to an inner loop's header from before the outer loop, outer loop retried
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r6 = r1
	r7 = 0
	r8 = 0
	if r2 == 7 goto inner
outer:	r6 = 0
	r7 = 0
inner:	r7 += 1
	if r7 < 3 goto inner
	r8 += 1
	if r8 < 3 goto outer
	r0 = r6		; <-
	exit

# name: redteam: side entry past a whole loop into the next one
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r6 = r1
	r7 = 0
	r8 = 0
	if r2 == 7 goto mid
first:	r8 += 1
	if r8 < 4 goto first
second:	r6 = 0
mid:	r7 += 1
	if r7 < 5 goto second
	r0 = r6		; <-
	exit

# name: redteam: side entry into the second of two overlapping loops
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r6 = 0
	r7 = 0
	r8 = 0
a:	r8 += 1
	r6 = r1
	if r2 == 7 goto mid
b:	r6 = 0
	r7 += 1
	if r8 < 3 goto a
mid:	r7 += 1
	if r7 < 9 goto b
	r0 = r6		; <-
	exit

# name: redteam: side entry into a loop two levels deep, both levels retried
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r6 = r1
	r7 = 0
	r8 = 0
	r9 = 0
	if r2 == 7 goto mid
l1:	r8 = 0
l2:	r7 = 0
l3:	r6 = 0
mid:	r7 += 1
	if r7 < 5 goto l3
	r8 += 1
	if r8 < 4 goto l2
	r9 += 1
	if r9 < 3 goto l1
	r0 = r6		; <-
	exit

# name: redteam: side entry onto a loop's back edge
# expect: reject "R6 !read_ok"
	r2 = *(u32 *)(r1 + 0)
	r6 = r1
	r7 = 0
	if r2 == 7 goto back
top:	r6 = 0
	r7 += 1
back:	if r7 < 5 goto top
	r0 = r6		; <-
	exit

# name: side entry into a loop body whose state agrees is accepted
# expect: accept 0x0
	r2 = *(u32 *)(r1 + 0)
	r6 = 0
	r7 = 0
	if r2 == 7 goto mid
top:	r6 = 0
mid:	r7 += 1
	if r7 < 5 goto top
	r0 = r6
	exit
