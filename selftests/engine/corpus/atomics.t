# Atomics: operations, widths, alignment, regions, operands.

# name: unknown atomic operation 0x10 (sub)
# expect: reject "unknown atomic operation"
	*(u64 *)(r10 - 8) = 0
	r2 = 1
	.insn 0xdb 10 2 -8 0x10	; <-
	r0 = 0
	exit

# name: atomic fetch on xchg's slot without fetch bit (0xe0)
# expect: reject "unknown atomic operation"
	*(u64 *)(r10 - 8) = 0
	r2 = 1
	.insn 0xdb 10 2 -8 0xe0	; <-
	r0 = 0
	exit

# name: cmpxchg without the fetch bit (0xf0)
# expect: reject "unknown atomic operation"
	*(u64 *)(r10 - 8) = 0
	r0 = 0
	r2 = 1
	.insn 0xdb 10 2 -8 0xf0	; <-
	exit

# name: 8-bit atomic add
# expect: reject "unknown opcode 0xd3"
	*(u64 *)(r10 - 8) = 0
	r2 = 1
	lock *(u8 *)(r10 - 8) += w2	; <-
	r0 = 0
	exit

# name: 16-bit atomic add
# expect: reject "unknown opcode 0xcb"
	*(u64 *)(r10 - 8) = 0
	r2 = 1
	lock *(u16 *)(r10 - 8) += w2	; <-
	r0 = 0
	exit

# name: atomic on the context
# type: method
# expect: reject "R1 cannot write into ctx"
	r2 = 1
	r2 = atomic64_xchg((u64 *)(r1 + 32), r2)	; <-
	r0 = 0
	exit

# name: misaligned 8-byte atomic on the stack
# expect: reject "R10 misaligned atomic access off=-12 size=8"
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = 0
	r2 = 1
	lock *(u64 *)(r10 - 12) += r2	; <-
	r0 = 0
	exit

# name: misaligned 4-byte atomic in the object
# type: method
# expect: reject "R2 misaligned atomic access"
	r2 = *(u64 *)(r1 + 0)
	r3 = 1
	lock *(u32 *)(r2 + 2) += w3	; <-
	r0 = 0
	exit

# name: atomic with a variable, possibly misaligned offset
# type: method
# expect: reject "R2 misaligned atomic access"
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	r3 &= 0x3c
	r2 += r3
	r3 = 1
	lock *(u64 *)(r2 + 0) += r3	; <-
	r0 = 0
	exit

# name: atomic on uninitialised stack
# expect: reject "invalid read from stack"
	r2 = 1
	lock *(u64 *)(r10 - 8) += r2	; <-
	r0 = 0
	exit

# name: atomic on a spilled pointer
# expect: reject "atomic access to spilled pointer at fp-8"
	*(u64 *)(r10 - 8) = r1
	r2 = 1
	lock *(u64 *)(r10 - 8) += r2	; <-
	r0 = 0
	exit

# name: atomic out of the object's bounds
# type: method
# expect: reject "R2 out of bounds: obj off=64 size=4"
	r2 = *(u64 *)(r1 + 0)
	r3 = 1
	lock *(u32 *)(r2 + 64) += w3	; <-
	r0 = 0
	exit

# name: atomic through a scalar
# expect: reject "invalid mem access 'scalar' R2"
	r3 = 1
	lock *(u64 *)(r2 + 0) += r3	; <-
	r0 = 0
	exit

# name: every atomic op on the stack
# expect: accept 0x10
	*(u64 *)(r10 - 8) = 0
	r1 = 0x11
	lock *(u64 *)(r10 - 8) += r1
	r1 = 0x30
	lock *(u64 *)(r10 - 8) |= r1
	r1 = 0x3e
	lock *(u64 *)(r10 - 8) &= r1
	r1 = 0x20
	lock *(u64 *)(r10 - 8) ^= r1
	r1 = 1
	r1 = atomic64_fetch_add((u64 *)(r10 - 8), r1)
	r1 = 0
	r1 = atomic64_fetch_or((u64 *)(r10 - 8), r1)
	r1 = -1
	r1 = atomic64_fetch_and((u64 *)(r10 - 8), r1)
	r1 = 0
	r1 = atomic64_fetch_xor((u64 *)(r10 - 8), r1)
	r1 = 0x10
	r1 = atomic64_xchg((u64 *)(r10 - 8), r1)
	r0 = 0x10
	r2 = 7
	r0 = atomic64_cmpxchg((u64 *)(r10 - 8), r0, r2)
	exit

# name: 32-bit atomics in the object, checked afterwards
# type: method
# expect: accept 0x5
# check obj+8: 08 00 00 00
	r2 = *(u64 *)(r1 + 0)
	*(u32 *)(r2 + 8) = 5
	r3 = 3
	w3 = atomic_fetch_add((u32 *)(r2 + 8), w3)
	r0 = r3
	exit

# name: atomic on DYN output buffer at run time
# type: method
# out-size: 8
# expect: accept 0x0
# check out+0: 02 00 00 00 00 00 00 00
	r2 = *(u64 *)(r1 + 16)
	r3 = 2
	lock *(u64 *)(r2 + 0) += r3
	r0 = 0
	exit

# name: atomic past the DYN output buffer aborts
# type: method
# out-size: 8
# expect: abort bounds
	r2 = *(u64 *)(r1 + 16)
	r3 = 2
	lock *(u64 *)(r2 + 8) += r3
	r0 = 0
	exit

# name: 32-bit cmpxchg with r0 as comparand and new value: r0 = old, zero-extended
# expect: accept 0x11223344
	r0 = 0x1234567811223344 ll
	*(u64 *)(r10 - 8) = r0
	w0 = atomic_cmpxchg((u32 *)(r10 - 8), w0, w0)
	exit

# name: 64-bit cmpxchg with r0 as the new value, compare fails: r0 = old
# expect: accept 0x5
	*(u64 *)(r10 - 8) = 5
	r0 = 7
	r0 = atomic64_cmpxchg((u64 *)(r10 - 8), r0, r0)
	exit
