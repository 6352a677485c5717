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
