# bpf-to-bpf calls: targets, recursion, depth, stack across frames.

# name: call past the end
# expect: reject "call out of range"
	call pc+5	; <-
	exit

# name: call before the start
# expect: reject "call out of range"
	r0 = 0
	call pc-3	; <-
	exit

# name: call into the middle of lddw
# note: the log should name the call (0), it names the lddw (3)
# expect: reject "call into the middle of lddw"
	call pc+3	; <-
	r0 = 0
	exit
	r0 = 0x100000002 ll
	exit

# name: direct recursion
# expect: reject "recursive call to function at 3"
	call f
	r0 = 0
	exit
f:	call f		; <-
	exit

# name: indirect recursion through two functions
# expect: reject "recursive call"
	call f
	r0 = 0
	exit
f:	call g
	exit
g:	call f
	exit

# name: main calling itself
# expect: reject "recursive call"
	r0 = 0
	call pc-2
	exit

# name: call chain of 9 frames
# expect: reject "call chain too deep: 9 frames, max 8"
	call f1
	exit
f1:	call f2
	exit
f2:	call f3
	exit
f3:	call f4
	exit
f4:	call f5
	exit
f5:	call f6
	exit
f6:	call f7
	exit
f7:	call f8		; <-
	exit
f8:	r0 = 0
	exit

# name: call chain of 8 frames is allowed
# expect: accept 0x2a
	call f1
	exit
f1:	call f2
	exit
f2:	call f3
	exit
f3:	call f4
	exit
f4:	call f5
	exit
f5:	call f6
	exit
f6:	call f7
	exit
f7:	r0 = 42
	exit

# name: stack over 512 bytes across frames
# expect: reject "combined stack size of calls is 528 bytes, max 512"
	*(u64 *)(r10 - 256) = 0
	call f
	exit
f:	*(u64 *)(r10 - 272) = 0
	r0 = 0
	exit

# name: stack exactly 512 across two frames
# expect: accept 0x0
	*(u64 *)(r10 - 256) = 0
	call f
	exit
f:	*(u64 *)(r10 - 256) = 0
	r0 = 0
	exit

# name: callee reads caller's uninitialised argument register
# expect: reject "R3 !read_ok"
	r1 = 1
	call f
	exit
f:	r0 = r3		; <-
	exit

# name: callee reads r6 (callee-saved registers start uninitialised)
# expect: reject "R6 !read_ok"
	r6 = 1
	call f
	exit
f:	r0 = r6		; <-
	exit

# name: argument uninitialised at one of two call sites
# expect: reject "R2 !read_ok"
	r1 = 1
	r2 = 2
	call f
	r1 = 3
	call f
	exit
f:	r0 = r1
	r0 += r2	; <-
	exit

# name: caller's r1-r5 are clobbered by a call
# expect: reject "R1 !read_ok"
	r1 = 5
	call f
	r0 = r1		; <-
	exit
f:	r0 = 0
	exit

# name: callee must not return a pointer
# expect: reject "R0 leaks a pointer at exit"
	call f
	r0 = 0
	exit
f:	r0 = r10
	exit		; <-

# name: callee with uninitialised r0, read by its caller
# expect: reject "R0 !read_ok: the function called at 1 may return without setting r0"
	r0 = 0
	call f
	exit		; <-
f:	exit

# name: a void subprogram whose caller does not read r0
# expect: accept 7
# check mem+0: 07
# mem-size: 8
	r6 = r1
	r2 = 7
	call f
	r0 = *(u8 *)(r6 + 0)
	exit
f:	*(u8 *)(r1 + 0) = r2
	exit

# name: r0 set on one path of the callee only: void, its r0 unreadable
# expect: reject "R0 !read_ok: the function called at 1 may return"
	r1 = 3
	call f
	r0 += 1		; <-
	exit
f:	if r1 > 2 goto out
	r0 = 5
out:	exit

# name: a void callee may leave a pointer in r0: never readable
# expect: reject "R0 !read_ok: the function called at 1 may return"
	r1 = 1
	call f
	*(u64 *)(r10 - 8) = r0	; <-
	r0 = 0
	exit
f:	if r1 == 0 goto out
	r0 = r10
	exit
out:	exit

# name: a void callee of a void callee
# expect: reject "R0 !read_ok: the function called at 0 may return"
	call f
	exit		; <-
f:	r0 = 1
	call g
	exit
g:	exit

# name: r0 after a callee that calls a void one and then sets it
# expect: accept 9
	call f
	exit
f:	call g
	r0 = 9
	exit
g:	exit

# name: a loop in a void callee around the write of r0
# expect: reject "R0 !read_ok: the function called at 0 may return"
	call f
	exit		; <-
f:	r1 = 0
L:	r1 += 1
	if r1 > 3 goto out
	r0 = r1
	goto L
out:	exit

# name: r1-r5 after a call say so
# expect: reject "R2 !read_ok: r1-r5 do not survive the call at 1"
	r2 = 1
	call f
	r0 = r2		; <-
	exit
f:	r0 = 0
	exit

# name: subprogram with arguments and a return value
# expect: accept 0x19
	r1 = 3
	r2 = 4
	call sq
	exit
sq:	r1 *= r1
	r2 *= r2
	r0 = r1
	r0 += r2
	exit

# name: r6-r9 and the stack survive a local call
# expect: accept 0x11
	r6 = 6
	*(u64 *)(r10 - 8) = 5
	r1 = 0
	call f
	r0 = *(u64 *)(r10 - 8)
	r0 += r6
	r0 += 6
	exit
f:	r6 = 100
	*(u64 *)(r10 - 8) = 99
	r0 = 0
	exit

# name: region pointer passed to a subprogram
# type: method
# expect: accept 0x0
# check obj+8: 01
	r1 = *(u64 *)(r1 + 0)
	call set
	r0 = 0
	exit
set:	*(u8 *)(r1 + 8) = 1
	r0 = 0
	exit

# name: callee region access checked against the joined argument
# type: method
# expect: reject "R1 out of bounds: obj"
	r6 = r1
	r1 = *(u64 *)(r6 + 0)
	call set
	r1 = *(u64 *)(r6 + 0)
	r1 += 60
	call set
	r0 = 0
	exit
set:	*(u64 *)(r1 + 0) = 1	; <-
	r0 = 0
	exit

# name: stack pointer passed to a subprogram (struct on the caller's stack)
# expect: accept 5
# note: the callee reads what the caller wrote, through the pointer
	*(u64 *)(r10 - 8) = 5
	r1 = r10
	r1 += -8
	call get
	exit
get:	r0 = *(u64 *)(r1 + 0)
	exit

# name: a callee writes the caller's struct; the caller reads it back
# expect: accept 0x1234
# note: the caller initialised the struct: written bytes stay readable
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r1 += -16
	r2 = 0x1234
	call put
	r0 = *(u64 *)(r10 - 8)
	exit
put:	*(u64 *)(r1 + 8) = r2
	*(u64 *)(r1 + 0) = r2
	exit

# name: bytes the callee may have written are not known to be written
# expect: reject "invalid read from stack off -8+0 size 8"
# note: the callee could leave them: out-parameters must be set first
	r1 = r10
	r1 += -8
	call put
	r0 = *(u64 *)(r10 - 8)	; <-
	exit
put:	*(u64 *)(r1 + 0) = 1
	exit

# name: a callee reads a byte its caller never wrote
# expect: reject "invalid read from the caller's stack at +4+0 size 4"
	*(u32 *)(r10 - 8) = 1
	r1 = r10
	r1 += -8
	call get
	exit
get:	r0 = *(u32 *)(r1 + 4)	; <-
	exit

# name: one caller wrote the bytes, the other did not
# expect: reject "invalid read from the caller's stack at +0+0 size 8"
	*(u64 *)(r10 - 8) = 1
	r1 = r10
	r1 += -8
	call get
	r1 = r10
	r1 += -16
	call get
	exit
get:	r0 = *(u64 *)(r1 + 0)	; <-
	exit

# name: a callee may not reach past the caller's frame
# expect: reject "R1 invalid access to the caller's stack: +8 size 8, the window it passed is 8 bytes"
	*(u64 *)(r10 - 8) = 1
	r1 = r10
	r1 += -8
	call get
	exit
get:	r0 = *(u64 *)(r1 + 8)	; <-
	exit

# name: nor below the pointer it got
# expect: reject "R1 invalid access to the caller's stack: +-8 size 8"
	*(u64 *)(r10 - 16) = 1
	*(u64 *)(r10 - 8) = 1
	r1 = r10
	r1 += -8
	call get
	exit
get:	r0 = *(u64 *)(r1 - 8)	; <-
	exit

# name: the window ends at a spilled pointer of the caller
# expect: reject "R1 invalid access to the caller's stack: +8 size 8, the window it passed is 8 bytes"
# note: overwriting the spilled r10 would hand the caller a forged pointer
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = r10
	r1 = r10
	r1 += -16
	r2 = 7
	call put
	r1 = *(u64 *)(r10 - 8)
	r0 = *(u64 *)(r1 - 16)
	exit
put:	*(u64 *)(r1 + 8) = r2	; <-
	exit

# name: a pointer to a spilled pointer is no window at all
# expect: reject "R1 !read_ok: a pointer to the caller's stack, but not one it can pass"
	*(u64 *)(r10 - 8) = r10
	r1 = r10
	r1 += -8
	call get
	r0 = 0
	exit
get:	r0 = *(u64 *)(r1 + 0)	; <-
	exit

# name: a callee may not store a pointer into the caller's stack
# expect: reject "pointer leak: storing R10"
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r1 += -8
	call put
	r0 = 0
	exit
put:	*(u64 *)(r1 + 0) = r10	; <-
	exit

# name: a stack pointer moved by a register is not passed
# expect: reject "R1 !read_ok: a pointer to the caller's stack, but not one it can pass"
# note: a mispredicted jump could leave the register elsewhere
	*(u64 *)(r10 - 8) = 1
	r2 = 8
	r1 = r10
	r1 -= r2
	call get
	exit
get:	r0 = *(u64 *)(r1 + 0)	; <-
	exit

# name: a callee indexes the caller's stack by a register
# expect: reject "R1 variable offset into the caller's stack"
	*(u64 *)(r10 - 16) = 1
	*(u64 *)(r10 - 8) = 1
	r1 = r10
	r1 += -16
	r2 = 8
	call get
	exit
get:	r2 = *(u64 *)(r1 + 0)
	r2 &= 8
	r1 += r2
	r0 = *(u64 *)(r1 + 0)	; <-
	exit

# name: the window passed counts in the caller's frame
# expect: accept 7
# note: the caller never touches fp-400..fp-1 itself; the callee's frame
# note: must still go below it, or the write into the window lands on the
# note: callee's own slot
	r1 = r10
	r1 += -400
	call f
	exit
f:	r2 = 7
	*(u64 *)(r10 - 8) = r2
	r3 = 99
	*(u64 *)(r1 + 392) = r3
	r0 = *(u64 *)(r10 - 8)
	exit

# name: a window passed on to a third function
# expect: accept 0x2a
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = 0x2a
	r1 = r10
	r1 += -16
	call f
	exit
f:	r1 += 8
	call g
	exit
g:	r0 = *(u64 *)(r1 + 0)
	exit

# name: a window passed on may not grow
# expect: reject "R1 invalid access to the caller's stack: +8 size 8, the window it passed is 8 bytes"
	*(u64 *)(r10 - 16) = 0
	*(u64 *)(r10 - 8) = 0x2a
	r1 = r10
	r1 += -16
	call f
	exit
f:	r1 += 8
	call g
	exit
g:	r0 = *(u64 *)(r1 + 8)	; <-
	exit

# name: the callee's write kills the caller's knowledge of the spill
# expect: reject "invalid mem access 'scalar' R0"
# note: fp-8 held a scalar 16 before the call: after it, unknown data
	*(u64 *)(r10 - 8) = 16
	r1 = r10
	r1 += -8
	call put
	r2 = *(u64 *)(r10 - 8)
	r0 = r2
	r0 = *(u64 *)(r0 + 0)	; <-
	exit
put:	*(u64 *)(r1 + 0) = 99
	exit

# name: a callee's write through a window breaks a narrowed copy's spill
# mem: 00 00 00 00 00 00 00 00
# expect: abort bounds
# checked: 1,10
# note: r7 <= 7 would narrow the spilled copy at fp-8, but the callee
# note: wrote 200 there: the fill is unknown and the access keeps its check
	r6 = r1
	r3 = *(u8 *)(r1 + 0)
	*(u64 *)(r10 - 8) = r3
	r7 = r3
	r1 = r10
	r1 += -8
	call put
	if r7 > 7 goto out
	r8 = *(u64 *)(r10 - 8)
	r6 += r8
	r0 = *(u8 *)(r6 + 0)	; <-
out:	r0 = 0
	exit
put:	r2 = 200
	*(u64 *)(r1 + 0) = r2
	r0 = 0
	exit

# name: a caller's window and the callee's own frame are not one region
# expect: reject "R1 subtraction of pointers into different frames"
	*(u64 *)(r10 - 8) = 1
	r1 = r10
	r1 += -8
	call f
	exit
f:	r2 = r10
	r1 -= r2	; <-
	r0 = 0
	exit

# name: a caller's window pointer moved to the top of the offsets, in a message
# expect: reject "ptr_to_caller_stack(r1-9223372036854775801)"
# note: its offset, 8 + S64_MAX, wraps like the address (the sum once was C
# note: undefined behaviour in the log, a trap under the sanitizers)
	*(u64 *)(r10 - 8) = 0
	r1 = r10
	r1 += -8
	call f
	r0 = 0
	exit
f:	r5 = 0x7fffffffffffffff ll
	r1 += r5
	r1 += 8
	r0 = *(u64 *)(r1 + 0)	; <-
	exit

# name: atomics on a caller's stack are refused
# expect: reject "R1 atomic access to the caller's stack"
	*(u64 *)(r10 - 8) = 1
	r1 = r10
	r1 += -8
	call f
	exit
f:	r2 = 1
	lock *(u64 *)(r1 + 0) += r2	; <-
	r0 = 0
	exit

# name: loop that calls a subprogram
# expect: accept 0xa
	r6 = 0
	r7 = 0
L:	r1 = r6
	call id
	r7 += r0
	r6 += 1
	if r6 < 5 goto L
	r0 = r7
	exit
id:	r0 = r1
	exit
