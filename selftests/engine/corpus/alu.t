# ALU corners that must be accepted and run as the RFC says, and the
# encodings around them that must not.

# name: division by a zero register gives 0
# expect: accept 0x0
	r0 = 7
	r1 = 0
	r0 /= r1
	exit

# name: modulo by a zero register leaves the dividend
# expect: accept 0x7
	r0 = 7
	r1 = 0
	r0 %= r1
	exit

# name: division by immediate zero is accepted
# expect: accept 0x0
	r0 = 7
	r0 /= 0
	exit

# name: 32-bit modulo by zero keeps the low half
# expect: accept 0x7
	r0 = 0x100000007 ll
	w0 %= 0
	exit

# name: signed division INT64_MIN / -1 wraps
# expect: accept 0x8000000000000000
	r0 = 0x8000000000000000 ll
	r0 s/= -1
	exit

# name: signed modulo INT32_MIN % -1 is 0
# expect: accept 0x0
	w0 = 0x80000000
	w0 s%= -1
	exit

# name: shift by 64 masks to 0
# expect: accept 0x5
	r0 = 5
	r1 = 64
	r0 <<= r1
	exit

# name: shift by immediate 63
# expect: accept 0x1
	r0 = 0x8000000000000000 ll
	r0 >>= 63
	exit

# name: 32-bit shift by 32 masks to 0
# expect: accept 0x9
	w0 = 9
	w1 = 32
	w0 >>= w1
	exit

# name: arithmetic shift of a negative value
# expect: accept 0xffffffffffffffff
	r0 = -2
	r0 s>>= 1
	exit

# name: movsx 8/16/32
# expect: accept 0xfffffffffffffffd
	r1 = 0x80
	r2 = (s8)r1
	r3 = 0xff
	r3 = (s16)r3
	r0 = 0xfffffffd
	r0 = (s32)r0
	r0 += r3
	r0 -= 0xff
	exit

# name: movsx with offset 24
# expect: reject "invalid offset for mov"
	r1 = 1
	.insn 0xbf 0 1 24 0	; <-
	exit

# name: movsx 32 in 32-bit ALU
# expect: reject "invalid offset for mov"
	r1 = 1
	.insn 0xbc 0 1 32 0	; <-
	exit

# name: movsx with an immediate source
# expect: reject "invalid offset for mov"
	.insn 0xb7 0 0 8 1	; <-
	exit

# name: mov with offset 1
# expect: reject "invalid offset for mov"
	r1 = 1
	.insn 0xbf 0 1 1 0	; <-
	exit

# name: byte swap width 8
# expect: reject "invalid byte swap width"
	r0 = 1
	.insn 0xd4 0 0 0 8	; <-
	exit

# name: byte swap width 0
# expect: reject "invalid byte swap width"
	r0 = 1
	.insn 0xdc 0 0 0 0	; <-
	exit

# name: bswap width 128
# expect: reject "invalid byte swap width"
	r0 = 1
	.insn 0xd7 0 0 0 128	; <-
	exit

# name: byte swap with nonzero offset
# expect: reject "reserved field not zero"
	r0 = 1
	.insn 0xdc 0 0 1 16	; <-
	exit

# name: be16 truncates, le16 truncates
# expect: accept 0x3412
	r0 = 0x1234 ll
	r0 |= 0xff0000
	r0 = be16 r0
	exit

# name: bswap64
# expect: accept 0x8877665544332211
	r0 = 0x1122334455667788 ll
	r0 = bswap64 r0
	exit

# name: 32-bit ALU zero-extends
# expect: accept 0x0
	r0 = -1
	w0 += 1
	exit

# name: lddw full 64-bit immediate
# expect: accept 0xfedcba9876543210
	r0 = 0xfedcba9876543210 ll
	exit

# name: jmp32 compares the low halves only
# expect: accept 0x1
	r1 = 0x100000005 ll
	r0 = 0
	if w1 != 5 goto out
	r0 = 1
out:	exit

# name: ja32 forward jump
# expect: accept 0x2
	r0 = 1
	gotol L
	r0 = 3
L:	r0 += 1
	exit
