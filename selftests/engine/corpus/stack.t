# The stack: initialisation per byte, bounds, spills and fills.

# name: read of a never-written slot
# expect: reject "invalid read from stack off -8+0 size 8"
	r0 = *(u64 *)(r10 - 8)	; <-
	exit

# name: partial initialisation: u32 written, u64 read
# expect: reject "invalid read from stack off -8+4 size 8"
	*(u32 *)(r10 - 8) = 1
	r0 = *(u64 *)(r10 - 8)	; <-
	exit

# name: misaligned read across two slots, one uninitialised
# expect: reject "invalid read from stack off -12+4 size 8"
	*(u64 *)(r10 - 16) = 1
	r0 = *(u64 *)(r10 - 12)	; <-
	exit

# name: single byte hole inside a written range
# expect: reject "invalid read from stack off -8+3 size 4"
	*(u16 *)(r10 - 8) = 1
	*(u32 *)(r10 - 4) = 1
	*(u8 *)(r10 - 6) = 1
	r0 = *(u32 *)(r10 - 8)	; <-
	exit

# name: initialised on one branch only
# expect: reject "invalid read from stack"
	if r2 > 3 goto L
	*(u64 *)(r10 - 8) = 1
L:	r0 = *(u64 *)(r10 - 8)	; <-
	exit

# name: read above the frame pointer
# expect: reject "R10 invalid stack access off=0 size=8"
	r0 = *(u64 *)(r10 + 0)	; <-
	exit

# name: write above the frame pointer
# expect: reject "R10 invalid stack access off=8 size=8"
	*(u64 *)(r10 + 8) = 0	; <-
	r0 = 0
	exit

# name: access straddling the frame pointer
# expect: reject "R10 invalid stack access off=-4 size=8"
	*(u64 *)(r10 - 4) = 0	; <-
	r0 = 0
	exit

# name: write below -512
# expect: reject "R10 invalid stack access off=-520 size=8"
	*(u64 *)(r10 - 520) = 0	; <-
	r0 = 0
	exit

# name: access straddling -512
# expect: reject "R10 invalid stack access off=-516 size=8"
	*(u64 *)(r10 - 516) = 0	; <-
	r0 = 0
	exit

# name: stack pointer moved below -512 then accessed
# expect: reject "R1 invalid stack access off=-1024 size=1"
	r1 = r10
	r1 += -1024
	*(u8 *)(r1 + 0) = 0	; <-
	r0 = 0
	exit

# name: variable offset stack write
# expect: accept 0
# note: bytes fp-15..fp-8, one of them written: none known to be
	r1 = r10
	r2 &= 7
	r1 -= r2
	*(u8 *)(r1 - 8) = 0
	r0 = 0
	exit

# name: variable offset stack read of written bytes
# expect: accept 0
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r2 &= 8
	r1 -= r2
	r0 = *(u8 *)(r1 - 1)
	exit

# name: variable offset stack write, then a read of one of the bytes
# expect: reject "invalid read from stack off -8+0 size 1"
# note: the write may have gone to any of fp-15..fp-8
	r1 = r10
	r2 &= 7
	r1 -= r2
	*(u8 *)(r1 - 8) = 0
	r0 = *(u8 *)(r10 - 8)	; <-
	exit

# name: variable offset stack access, unbounded index
# expect: reject "R1 variable stack access: offset fp-8+[-65536,0] size 1 not proven inside the frame [fp-512, fp)"
	r1 = r10
	r1 -= r2
	*(u8 *)(r1 - 8) = 0	; <-
	r0 = 0
	exit

# name: variable offset stack read of a byte never written
# expect: reject "invalid variable-offset read from stack fp-16..fp-8 size 1: fp-16 not initialised"
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r2 &= 8
	r1 -= r2
	r0 = *(u8 *)(r1 - 8)	; <-
	exit

# name: variable offset stack read over a spilled pointer
# expect: reject "invalid variable-offset read from stack fp-9..fp-1: a spilled pointer at fp-16"
	*(u64 *)(r10 - 16) = r10
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r2 &= 8
	r1 -= r2
	r0 = *(u8 *)(r1 - 1)	; <-
	exit

# name: variable offset stack write breaks a spilled pointer
# expect: reject "invalid read from stack off -16+0 size 8"
# note: the write may land on fp-16's bytes: the pointer there is gone
	*(u64 *)(r10 - 16) = r10
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r2 &= 8
	r1 -= r2
	*(u8 *)(r1 - 1) = 0
	r1 = *(u64 *)(r10 - 16)	; <-
	r0 = *(u8 *)(r1 - 1)
	exit

# name: a pointer stored at a variable stack offset
# expect: reject "pointer leak: storing R10"
	r1 = r10
	r2 &= 8
	r1 -= r2
	*(u64 *)(r1 - 8) = r10	; <-
	r0 = 0
	exit

# name: an atomic at a variable stack offset
# expect: reject "R1 atomic stack access at a variable offset"
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r2 &= 8
	r1 -= r2
	r3 = 1
	lock *(u64 *)(r1 - 8) += r3	; <-
	r0 = 0
	exit

# name: constant and variable stack offsets meet at one access
# expect: accept 0
# mem-size: 8
# note: the join makes one variable offset, fp-24..fp-8, all written
	*(u64 *)(r10 - 32) = 0
	*(u64 *)(r10 - 24) = 0
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = 0
	r3 = *(u64 *)(r1 + 0)
	r1 = r10
	if r3 > 5 goto a
	r1 += -8
	goto b
a:	r1 += -16
b:	if r3 > 9 goto c
	r3 &= 8
	r1 -= r3
c:	r0 = *(u8 *)(r1 + 0)
	exit

# name: a loop's stores at a variable offset break a spilled pointer
# expect: reject "invalid read from stack off -8+0 size 8"
# note: the index reaches fp-8 (r5 & 16 is 0 or 16): the pointer spilled
# note: there is gone after the loop
	*(u64 *)(r10 - 8) = r1
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 24) = 0
	r3 = 0
L:	r4 = r10
	r4 += -24
	r5 = r3
	r5 &= 16
	r4 += r5
	*(u8 *)(r4 + 0) = r3
	r3 += 1
	if r3 < 24 goto L
	r6 = *(u64 *)(r10 - 8)	; <-
	r0 = *(u8 *)(r6 + 0)
	exit

# name: a pointer stepping over the stack beside its counter breaks a spilled pointer
# expect: reject "invalid read from stack off -8+0 size 8"
# note: fp-24 + i for i < 20 reaches fp-5: the relation bounds the pointer,
# note: the store is one at a variable offset, the spilled r1 is gone
	*(u64 *)(r10 - 8) = r1
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 24) = 0
	r3 = 0
	r4 = r10
	r4 += -24
L:	*(u8 *)(r4 + 0) = r3
	r4 += 1
	r3 += 1
	if r3 < 20 goto L
	r6 = *(u64 *)(r10 - 8)	; <-
	r0 = *(u8 *)(r6 + 0)
	exit

# name: a pointer stepping over the stack beside its counter reads no spilled pointer
# expect: reject "invalid variable-offset read from stack fp-24..fp-8: a spilled pointer at fp-8"
	*(u64 *)(r10 - 8) = r1
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 24) = 0
	r3 = 0
	r4 = r10
	r4 += -24
	r0 = 0
L:	r5 = *(u8 *)(r4 + 0)	; <-
	r0 += r5
	r4 += 1
	r3 += 1
	if r3 < 17 goto L
	exit

# name: pointer spill then partial fill (low half)
# expect: reject "partial read of spilled pointer at fp-8"
	*(u64 *)(r10 - 8) = r1
	r0 = *(u32 *)(r10 - 8)	; <-
	exit

# name: pointer spill then partial fill (high byte)
# expect: reject "partial read of spilled pointer at fp-8"
	*(u64 *)(r10 - 8) = r1
	r0 = *(u8 *)(r10 - 1)	; <-
	exit

# name: pointer spill then misaligned 8-byte fill
# expect: reject "partial read of spilled pointer"
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = r1
	r0 = *(u64 *)(r10 - 12)	; <-
	exit

# name: pointer spill half-overwritten then fill of the rest
# expect: reject "invalid read from stack"
	*(u64 *)(r10 - 8) = r1
	*(u32 *)(r10 - 8) = 0
	r0 = *(u32 *)(r10 - 4)	; <-
	exit

# name: pointer spill half-overwritten then full fill
# expect: reject "invalid read from stack"
	*(u64 *)(r10 - 8) = r1
	*(u8 *)(r10 - 8) = 0
	r0 = *(u64 *)(r10 - 8)	; <-
	exit

# name: 4-byte store of a pointer to the stack
# expect: reject "pointer leak: storing R1"
	*(u32 *)(r10 - 8) = r1	; <-
	r0 = 0
	exit

# name: misaligned 8-byte store of a pointer to the stack
# expect: reject "pointer leak: storing R1"
	*(u64 *)(r10 - 12) = r1	; <-
	r0 = 0
	exit

# name: filled pointer at exit is still a pointer
# expect: reject "R0 leaks a pointer at exit"
	*(u64 *)(r10 - 8) = r1
	r0 = *(u64 *)(r10 - 8)
	exit		; <-

# name: spilled pointer and scalar joined: slot unreadable
# expect: reject "invalid read from stack off -8+0 size 8"
	*(u64 *)(r10 - 8) = r1
	if r2 > 3 goto L
	*(u64 *)(r10 - 8) = 0
L:	r0 = *(u64 *)(r10 - 8)	; <-
	exit

# name: spill and fill of a scalar keeps its bounds (index after fill)
# expect: accept 0x3
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# region mem: rw 16
	r2 = 3
	*(u64 *)(r10 - 8) = r2
	r3 = *(u64 *)(r10 - 8)
	r1 += r3
	r0 = *(u8 *)(r1 + 0)
	exit

# name: spill and fill of a checked scalar keeps the bound
# expect: accept 0x7
# mem: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
# region mem: rw 16
	r2 = 7
	*(u64 *)(r10 - 16) = r2
	r2 = *(u64 *)(r10 - 16)
	if r2 > 15 goto out
	r1 += r2
	r0 = *(u8 *)(r1 + 0)
	exit
out:	r0 = 0
	exit

# name: spill and fill of a pointer restores it
# expect: accept 0x2
# mem: 01 02 03 04
	*(u64 *)(r10 - 8) = r1
	r1 = 0
	r3 = *(u64 *)(r10 - 8)
	r0 = *(u8 *)(r3 + 1)
	exit

# name: bytes written one by one then read as a word
# expect: accept 0x4030201
	*(u8 *)(r10 - 4) = 1
	*(u8 *)(r10 - 3) = 2
	*(u8 *)(r10 - 2) = 3
	*(u8 *)(r10 - 1) = 4
	r0 = *(u32 *)(r10 - 4)
	exit

# name: deepest slot -512 usable
# expect: accept 0x5
	*(u64 *)(r10 - 512) = 5
	r0 = *(u64 *)(r10 - 512)
	exit

# name: misaligned scalar store and read are fine
# expect: accept 0x1234
	*(u16 *)(r10 - 7) = 0x1234
	r0 = *(u16 *)(r10 - 7)
	exit

# name: stack pointer moved, then accessed in bounds
# expect: accept 0x9
	r1 = r10
	r1 += -64
	*(u64 *)(r1 + 8) = 9
	r0 = *(u64 *)(r10 - 56)
	exit

# name: sign-extending fill of a scalar
# expect: accept 0xffffffffffffff80
	*(u8 *)(r10 - 1) = 0x80
	r0 = *(s8 *)(r10 - 1)
	exit
