# Structure: opcodes, reserved fields, registers, lddw, jump targets, exits.
# Every rejection must name the instruction marked "; <-".

# name: unknown opcode 0x00 first
# expect: reject "unknown opcode 0x00"
	.insn 0x00 0 0 0 0	; <-
	exit

# name: unknown opcode 0xff after valid code
# expect: reject "unknown opcode 0xff"
	r0 = 0
	.insn 0xff 0 0 0 0	; <-
	exit

# name: unknown ALU64 op 0xe7
# expect: reject "unknown opcode 0xe7"
	r0 = 0
	.insn 0xe7 0 0 0 0	; <-
	exit

# name: neg with X source bit (0x8f)
# expect: reject "unknown opcode 0x8f"
	r0 = 0
	.insn 0x8f 0 1 0 0	; <-
	exit

# name: 64-bit ALU END with TO_BE bit (0xdf)
# expect: reject "unknown opcode 0xdf"
	r0 = 0
	.insn 0xdf 0 0 0 64	; <-
	exit

# name: s64 sign-extending load does not exist
# expect: reject "unknown opcode 0x99"
	*(u64 *)(r10 - 8) = 1
	r0 = *(s64 *)(r10 - 8)	; <-
	exit

# name: legacy ABS load (0x20)
# expect: reject "unknown opcode 0x20"
	r0 = 0
	.insn 0x20 0 0 0 0	; <-
	exit

# name: legacy IND load (0x40)
# expect: reject "unknown opcode 0x40"
	r0 = 0
	.insn 0x40 0 1 0 0	; <-
	exit

# name: 8-bit lddw variant (0x10)
# expect: reject "unknown opcode 0x10"
	.insn 0x10 0 0 0 1	; <-
	.insn 0x00 0 0 0 0
	exit

# name: callx with K source (0x8d is X; 0x85 ok) - JMP32 call 0x86
# expect: reject "unknown opcode 0x86"
	r0 = 0
	.insn 0x86 0 0 0 1	; <-
	exit

# name: JMP32 exit (0x96)
# expect: reject "unknown opcode 0x96"
	r0 = 0
	.insn 0x96 0 0 0 0	; <-

# name: dst register 11
# expect: reject "invalid dst register"
	.insn 0xb7 11 0 0 0	; <-
	r0 = 0
	exit

# name: src register 12
# expect: reject "invalid src register"
	r0 = 0
	.insn 0xbf 0 12 0 0	; <-
	exit

# name: load from register 15
# expect: reject "invalid src register"
	r0 = *(u64 *)(r15 + 0)	; <-
	exit

# name: ALU K with nonzero src field
# expect: reject "reserved src field not zero"
	r0 = 0
	.insn 0x07 0 1 0 1	; <-
	exit

# name: ALU X with nonzero imm
# expect: reject "reserved imm field not zero"
	r0 = 0
	r1 = 1
	.insn 0x0f 0 1 0 5	; <-
	exit

# name: add with nonzero offset
# expect: reject "reserved off field not zero"
	r0 = 0
	.insn 0x07 0 0 1 1	; <-
	exit

# name: div with offset 2
# expect: reject "invalid offset for div/mod"
	r0 = 8
	.insn 0x37 0 0 2 2	; <-
	exit

# name: mod with offset -1
# expect: reject "invalid offset for div/mod"
	r0 = 8
	.insn 0x97 0 0 -1 3	; <-
	exit

# name: load with nonzero imm
# expect: reject "reserved imm field not zero"
	*(u64 *)(r10 - 8) = 0
	.insn 0x79 0 10 -8 1	; <-
	exit

# name: store immediate with nonzero src
# expect: reject "reserved src field not zero"
	.insn 0x7a 10 1 -8 0	; <-
	r0 = 0
	exit

# name: store register with nonzero imm
# expect: reject "reserved imm field not zero"
	r1 = 0
	.insn 0x7b 10 1 -8 7	; <-
	r0 = 0
	exit

# name: conditional jump K with nonzero src
# expect: reject "reserved src field not zero"
	r0 = 0
	.insn 0x15 0 3 0 0	; <-
	exit

# name: conditional jump X with nonzero imm
# expect: reject "reserved imm field not zero"
	r0 = 0
	.insn 0x1d 0 0 0 9	; <-
	exit

# name: exit with nonzero imm
# expect: reject "reserved field not zero"
	r0 = 0
	.insn 0x95 0 0 0 1	; <-

# name: exit with nonzero dst
# expect: reject "reserved field not zero"
	r0 = 0
	.insn 0x95 1 0 0 0	; <-

# name: ja with nonzero imm
# expect: reject "reserved imm field not zero"
	r0 = 0
	.insn 0x05 0 0 0 1	; <-
	exit

# name: ja with nonzero dst
# expect: reject "reserved field not zero"
	r0 = 0
	.insn 0x05 1 0 0 0	; <-
	exit

# name: ja32 with nonzero off
# expect: reject "reserved off field not zero"
	r0 = 0
	.insn 0x06 0 0 1 0	; <-
	exit

# name: call with nonzero dst
# expect: reject "reserved field not zero"
	.insn 0x85 1 0 0 9	; <-
	exit

# name: call with src 2 (kfunc style)
# expect: reject "unsupported call type"
	.insn 0x85 0 2 0 9	; <-
	exit

# name: callx with nonzero imm
# expect: reject "reserved field not zero"
	r1 = 9
	.insn 0x8d 1 0 0 9	; <-
	exit

# name: lddw with src 1 (map fd) is not supported
# expect: reject "unsupported lddw variant"
	.insn 0x18 1 1 0 0	; <-
	.insn 0x00 0 0 0 0
	r0 = 0
	exit

# name: lddw with nonzero off
# expect: reject "unsupported lddw variant"
	.insn 0x18 1 0 3 0	; <-
	.insn 0x00 0 0 0 0
	r0 = 0
	exit

# name: lddw truncated at the end
# expect: reject "lddw is missing its second slot"
	r0 = 0
	exit
	.insn 0x18 1 0 0 0	; <-

# name: lddw second slot with an opcode
# expect: reject "invalid lddw second slot"
	.insn 0x18 0 0 0 1	; <-
	.insn 0x95 0 0 0 0
	exit

# name: lddw second slot with a register
# expect: reject "invalid lddw second slot"
	.insn 0x18 0 0 0 1	; <-
	.insn 0x00 3 0 0 0
	exit

# name: jump into the middle of lddw
# expect: reject "jump into the middle of lddw"
	r0 = 0
	goto +1		; <-
	r1 = 0x100000002 ll
	exit

# name: conditional jump into the middle of lddw
# expect: reject "jump into the middle of lddw"
	r0 = 0
	if r0 == 0 goto +1	; <-
	r1 = 0x100000002 ll
	exit

# name: backward jump into the middle of lddw
# expect: reject "jump into the middle of lddw"
	r0 = 0x100000002 ll
	if r0 == 0 goto -2	; <-
	exit

# name: jump past the end
# expect: reject "jump out of range"
	r0 = 0
	goto +5		; <-
	exit

# name: jump to exactly len
# expect: reject "jump out of range"
	r0 = 0
	if r0 == 0 goto +1	; <-
	exit

# name: jump before the start
# expect: reject "jump out of range"
	r0 = 0
	if r0 == 1 goto -3	; <-
	exit

# name: ja32 past the end
# expect: reject "jump out of range"
	r0 = 0
	gotol +1000	; <-
	exit

# name: ja32 before the start
# expect: reject "jump out of range"
	r0 = 0
	gotol -100000	; <-
	exit

# name: ja32 with huge negative offset
# expect: reject "jump out of range"
	r0 = 0
	gotol -2147483648	; <-
	exit

# name: jump32 past the end
# expect: reject "jump out of range"
	r0 = 0
	if w0 > 1 goto +32767	; <-
	exit

# name: falls off the end after an ALU insn
# expect: reject "falls through past the end of the program"
	r0 = 0		; <-

# name: falls off the end after a conditional jump
# expect: reject "falls through past the end of the program"
	r0 = 0
	if r0 == 0 goto L
L:	if r0 == 1 goto L	; <-

# name: no exit at all, loop only
# expect: reject "falls through past the end"
L:	r0 = 0
	r1 = 1		; <-

# name: empty program
# expect: reject "empty program"
# at: 0

# name: subprogram falls off its end into the next function
# expect: reject "falls through past the end of the function"
	call f
	call g
	r0 = 0
	exit
f:	r0 = 1		; <-
g:	r0 = 2
	exit

# name: jump from main into a subprogram body
# expect: reject "jump out of function"
	call f
	if r0 == 0 goto L	; <-
	exit
f:	r0 = 1
L:	exit

# name: jump from a subprogram back into main
# expect: reject "jump out of function"
	r0 = 0
L:	call f
	exit
f:	r0 = 0
	goto L		; <-
