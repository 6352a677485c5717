# The method context: read only, described fields, exact widths.
# Fields: 0 obj ptr (8), 8 arg ptr (8), 16 out ptr (8), 24 arg_len (4),
# 28 out_len (4), 32 cookie (8), 40 method (2, <= 255); 48 bytes.

# name: store immediate into ctx
# type: method
# expect: reject "R1 cannot write into ctx"
	*(u32 *)(r1 + 24) = 0	; <-
	r0 = 0
	exit

# name: store register into ctx
# type: method
# expect: reject "R1 cannot write into ctx"
	r2 = 0
	*(u64 *)(r1 + 32) = r2	; <-
	r0 = 0
	exit

# name: atomic add on ctx
# type: method
# expect: reject "R1 cannot write into ctx"
	r2 = 1
	lock *(u64 *)(r1 + 32) += r2	; <-
	r0 = 0
	exit

# name: pointer field loaded with 4 bytes
# type: method
# expect: reject "R1 invalid ctx access off=0 size=4"
	r0 = *(u32 *)(r1 + 0)	; <-
	exit

# name: u32 field loaded with 8 bytes
# type: method
# expect: reject "R1 invalid ctx access off=24 size=8"
	r0 = *(u64 *)(r1 + 24)	; <-
	exit

# name: u16 field loaded with 1 byte
# type: method
# expect: reject "R1 invalid ctx access off=40 size=1"
	r0 = *(u8 *)(r1 + 40)	; <-
	exit

# name: misaligned load inside a field
# type: method
# expect: reject "R1 invalid ctx access off=2 size=4"
	r0 = *(u32 *)(r1 + 2)	; <-
	exit

# name: load from padding
# type: method
# expect: reject "R1 invalid ctx access off=42 size=2"
	r0 = *(u16 *)(r1 + 42)	; <-
	exit

# name: load past the end of ctx
# type: method
# expect: reject "R1 invalid ctx access off=48 size=8"
	r0 = *(u64 *)(r1 + 48)	; <-
	exit

# name: load at a negative offset
# type: method
# expect: reject "R1 invalid ctx access off=-8 size=8"
	r0 = *(u64 *)(r1 - 8)	; <-
	exit

# name: variable offset ctx access
# type: method
# expect: reject "R1 variable ctx access"
	r2 = *(u32 *)(r1 + 24)
	r2 &= 8
	r1 += r2
	r0 = *(u64 *)(r1 + 24)	; <-
	exit

# name: sign-extending load of a scalar field
# type: method
# expect: accept 0x7
	r0 = *(s16 *)(r1 + 40)
	exit

# name: ctx pointer moved by a constant then loaded: same field
# type: method
# expect: accept 0x7
	r1 += 32
	r0 = *(u16 *)(r1 + 8)
	exit

# name: every field readable with its width
# type: method
# expect: accept 0x1122334455667788
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 8)
	r4 = *(u64 *)(r1 + 16)
	r5 = *(u32 *)(r1 + 24)
	r6 = *(u32 *)(r1 + 28)
	r7 = *(u16 *)(r1 + 40)
	r0 = *(u64 *)(r1 + 32)
	exit

# name: scalar field bound (method <= 255) allows indexing the object
# type: method
# expect: accept 0x0
	r2 = *(u16 *)(r1 + 40)
	r2 &= 63
	r3 = *(u64 *)(r1 + 0)
	r3 += r2
	r0 = *(u8 *)(r3 + 0)
	exit

# name: arg_len without a mask does not bound an object index
# type: method
# expect: reject "R3 out of bounds: obj"
	r2 = *(u32 *)(r1 + 24)
	r3 = *(u64 *)(r1 + 0)
	r3 += r2
	r0 = *(u8 *)(r3 + 0)	; <-
	exit

# name: loaded ctx scalar is not a pointer
# type: method
# expect: reject "invalid mem access 'scalar' R2"
	r2 = *(u64 *)(r1 + 32)
	r0 = *(u8 *)(r2 + 0)	; <-
	exit

# name: mem type has no context fields to load from r2
# expect: reject "invalid mem access 'scalar' R2"
	r0 = *(u8 *)(r2 + 0)	; <-
	exit

# name: null checks of ctx and of a loaded arg pointer (clang's `if (!ctx->arg)`)
# type: method
# arg: 2a
# expect: accept 0x2a
	if r1 == 0 goto bad
	r2 = *(u64 *)(r1 + 8)
	if r2 == 0 goto bad
	r3 = *(u32 *)(r1 + 24)
	r0 = 0
	if r3 < 1 goto out
	r0 = *(u8 *)(r2 + 0)
out:	exit
bad:	r0 = r7
	exit

# name: a loaded arg pointer compared with a ctx scalar
# type: method
# expect: reject "R2 pointer comparison prohibited"
	r2 = *(u64 *)(r1 + 8)
	r3 = *(u32 *)(r1 + 24)
	r0 = 0
	if r2 == r3 goto +0	; <-
	exit
