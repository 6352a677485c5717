# Helpers: ids, whitelist, typed arguments, memory arguments.
# 1 add(any, any); 2 sum(mem_ro, size); 3 fill(mem_rw, size, any);
# 4 denied; 5 unwind(any); 6 small(const) -> [0,15]; 7 ctx(ctx, any);
# 8 abort(); 9 zero(); 10 mmio4(mmio_off); 11 mmio1(mmio_off) (mmio.t);
# 12 slow() -> 7, which costs 50 fuel beyond the call.

# name: unknown helper id past the table
# expect: reject "unknown helper 13"
	call 13		; <-
	exit

# name: a slow helper's fuel is charged on top of the call (1 + 50)
# fuel: 102
# expect: accept 0xe
	call 12
	r6 = r0
	call 12
	r0 += r6
	exit

# name: a slow helper runs out of fuel where a cheap one would not
# fuel: 101
# expect: abort fuel
# at: 2
	call 12
	r6 = r0
	call 12
	r0 += r6
	exit

# name: callx charges a slow helper like call
# fuel: 101
# expect: abort fuel
# at: 3
	r7 = 12
	callx r7
	r6 = r0
	callx r7
	exit

# name: negative helper id
# expect: reject "unknown helper -1"
	call -1		; <-
	exit

# name: helper id 0 is not allowed
# expect: reject "helper 0 not allowed"
	call 0		; <-
	exit

# name: helper in the table but not whitelisted
# expect: reject "helper 4 not allowed for test-mem programs"
	call 4		; <-
	exit

# name: ctx helper not whitelisted for mem programs
# expect: reject "helper 7 not allowed for test-mem programs"
	call 7		; <-
	exit

# name: callx with a non-constant id
# expect: reject "callx R2 is not a known helper id"
	callx r2	; <-
	exit

# name: callx with a constant unknown id
# expect: reject "unknown helper 99"
	r3 = 99
	callx r3	; <-
	exit

# name: callx with a constant id is checked like call
# expect: accept 0x5
	r1 = 2
	r2 = 3
	r4 = 1
	callx r4
	exit

# name: constant argument not constant
# expect: reject "R1 type=scalar"
	r1 = r2
	call 6		; <-
	exit

# name: ctx argument is not the context
# type: method
# expect: reject "R1 type=scalar(5) expected ctx for helper ctx"
	r1 = 5
	r2 = 1
	call 7		; <-
	exit

# name: ctx argument moved off the context start
# type: method
# expect: reject "expected ctx for helper ctx"
	r1 += 8
	r2 = 1
	call 7		; <-
	exit

# name: ctx helper gets the context
# type: method
# expect: accept 0x34
	r2 = 0x1234
	call 7
	exit

# name: memory argument is a scalar
# expect: reject "R1 type=scalar(4096) expected pointer to stack or memory for helper sum"
	r1 = 4096
	r2 = 8
	call 2		; <-
	exit

# name: memory argument is the context
# type: method
# expect: reject "expected pointer to stack or memory for helper sum"
	r2 = 8
	call 2		; <-
	exit

# name: size argument is a pointer
# expect: reject "R2 type=ptr"
	r2 = r1
	call 2		; <-
	exit

# name: size argument unbounded
# expect: reject "R2 unbounded memory size"
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r1 += -8
	r2 = -1
	call 2		; <-
	exit

# name: stack memory argument larger than the written area
# expect: reject "invalid indirect read from stack R1 off -16+8 size 16"
	*(u64 *)(r10 - 16) = 0
	r1 = r10
	r1 += -16
	r2 = 16
	call 2		; <-
	exit

# name: stack memory argument partly uninitialised
# expect: reject "invalid indirect read from stack R1 off -16+0 size 16"
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r1 += -16
	r2 = 16
	call 2		; <-
	exit

# name: stack memory argument holds a spilled pointer
# expect: reject "R1 helper sum reads spilled pointer at fp-8"
	*(u64 *)(r10 - 8) = r1
	r1 = r10
	r1 += -8
	r2 = 8
	call 2		; <-
	exit

# name: stack memory argument past the frame
# expect: reject "R1 invalid stack access off=-4 size=8"
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r1 += -4
	r2 = 8
	call 2		; <-
	exit

# name: helper memory on a DYN region must be static
# expect: reject "R1 helper memory out of bounds: mem"
	r2 = 4
	call 2		; <-
	exit

# name: helper memory past the object
# type: method
# expect: reject "R1 helper memory out of bounds: obj off=32 size=33"
	r1 = *(u64 *)(r1 + 0)
	r1 += 32
	r2 = 33
	call 2		; <-
	exit

# name: helper write into the read-only argument buffer
# type: method
# expect: reject "R1 helper write into read-only arg"
	r1 = *(u64 *)(r1 + 8)
	r2 = 1
	r3 = 0
	call 3		; <-
	exit

# name: helper size bounded by a check, still too big
# type: method
# expect: reject "R1 helper memory out of bounds: obj"
	r6 = *(u64 *)(r1 + 0)
	r2 = *(u64 *)(r1 + 32)
	if r2 > 65 goto out
	r1 = r6
	call 2		; <-
out:	r0 = 0
	exit

# name: helper reads the object with a checked size
# type: method
# expect: accept 0x0
	r6 = *(u64 *)(r1 + 0)
	r2 = *(u64 *)(r1 + 32)
	if r2 > 64 goto out
	r1 = r6
	call 2
out:	r0 = 0
	exit

# name: helper sums stack bytes
# expect: accept 0xa
	*(u32 *)(r10 - 4) = 0x04030201
	r1 = r10
	r1 += -4
	r2 = 4
	call 2
	exit

# name: helper fills uninitialised stack, which becomes readable
# expect: accept 0x7777
	r1 = r10
	r1 += -16
	r2 = 16
	r3 = 0x77
	call 3
	r0 = *(u16 *)(r10 - 2)
	exit

# name: helper fill of the object, checked afterwards
# type: method
# expect: accept 0x4
# check obj+60: 5a 5a 5a 5a
	r1 = *(u64 *)(r1 + 0)
	r1 += 60
	r2 = 4
	r3 = 0x5a
	call 3
	exit

# name: helper result bounded by ret_max indexes the object
# type: method
# expect: accept 0x0
	r6 = *(u64 *)(r1 + 0)
	r1 = 100
	call 6
	r6 += r0
	r0 = *(u8 *)(r6 + 48)
	exit

# name: helper result bound is not more than ret_max
# type: method
# expect: reject "R6 out of bounds: obj"
	r6 = *(u64 *)(r1 + 0)
	r1 = 100
	call 6
	r6 += r0
	r0 = *(u8 *)(r6 + 49)	; <-
	exit

# name: helper that aborts the call
# expect: abort helper
	call 8
	exit

# name: unwind helper with 0 stops the program
# expect: abort unwind
	r1 = 0
	call 5
	r0 = 1
	exit

# name: add helper returns the sum
# expect: accept 0x7
	r1 = 3
	r2 = 4
	call 1
	exit
