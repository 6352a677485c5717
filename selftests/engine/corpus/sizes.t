# Region sizes learned from the program's own tests.  A "mem" program's r2
# and a method's size fields (test method: arg_len at ctx+24, out_len at
# ctx+28) hold the run-time size of their region; on the side of a test
# where that size is at least N, accesses below N are proved and get no
# run-time check.  Anything that is not provably the size itself (a sum,
# a 32-bit or sign-extended copy, a join with an untested path) teaches
# nothing, and the access stays checked.

# name: tested size proves the access
# mem-size: 16
# expect: accept 0
# checked: none
# fenced: 0
	if r2 < 16 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: size tested one byte short keeps the check, and it fires
# mem-size: 15
# expect: abort bounds
# checked: 1
	if r2 < 15 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: test on the wrong side of the branch keeps the check
# mem-size: 8
# expect: abort bounds
# checked: 1
	if r2 >= 16 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: a sum of the size teaches nothing, and the run aborts
# mem-size: 8
# expect: abort bounds
# checked: 3
# fenced: none
	r3 = r2
	r3 += 8
	if r3 < 16 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: a 32-bit copy of the size teaches nothing
# mem-size: 16
# expect: accept 0
# checked: 3
	w3 = w2
	r0 = 0
	if r3 < 16 goto out
	r0 = *(u64 *)(r1 + 8)
	r0 = 0
out:	exit

# name: a whole copy of the size teaches, the original may then change
# mem-size: 16
# expect: accept 0x100
# checked: none
	r3 = r2
	if r3 < 16 goto out
	r2 = 0
	*(u64 *)(r1 + 8) = 0x100
	r0 = *(u64 *)(r1 + 8)
	exit
out:	r0 = 0
	exit

# name: the size survives a spill and a fill
# mem-size: 16
# expect: accept 0
# checked: none
	*(u64 *)(r10 - 8) = r2
	r2 = 0
	r4 = *(u64 *)(r10 - 8)
	if r4 < 16 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: a partial fill of the spilled size teaches nothing
# mem-size: 16
# expect: accept 0
# checked: 3
	*(u64 *)(r10 - 8) = r2
	r4 = *(u32 *)(r10 - 8)
	if r4 < 16 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: a path that skipped the test joins in: checked
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = 1
	if r3 == 1 goto use
	if r2 < 16 goto out
use:	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: both paths tested, the smaller bound holds after the join
# mem-size: 16
# expect: accept 0
# checked: 1,7
# fenced: 3,5
	r0 = 0
	r3 = *(u8 *)(r1 + 0)
	if r3 == 1 goto b
	if r2 < 32 goto out
	goto use
b:	if r2 < 16 goto out
use:	r0 = *(u64 *)(r1 + 8)
	r0 = *(u64 *)(r1 + 16)
	r0 = 0
out:	exit

# name: tested size bounds a counted loop's accesses
# mem-size: 64
# expect: accept 56
# checked: none
	if r2 < 64 goto out
	r3 = 0
loop:	if r3 > 56 goto done
	r4 = r1
	r4 += r3
	*(u64 *)(r4 + 0) = r3
	r3 += 8
	goto loop
done:	r0 = *(u64 *)(r1 + 56)
	exit
out:	r0 = 0
	exit

# name: a variable index below the tested size is proved
# mem-size: 32
# expect: accept 0
# checked: none
	r0 = 0
	if r2 < 32 goto out
	r3 = *(u8 *)(r1 + 0)
	r3 &= 31
	r1 += r3
	r0 = *(u8 *)(r1 + 0)
	r0 = 0
out:	exit

# name: a 32-bit test of the size teaches too
# mem-size: 16
# expect: accept 0
# checked: none
	if w2 < 16 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: equality with a constant teaches the exact size
# mem-size: 24
# expect: accept 0
# checked: none
# fenced: 0
	if r2 != 24 goto out
	r0 = *(u64 *)(r1 + 16)
out:	r0 = 0
	exit

# name: the size compared with another register teaches that register's bound
# mem-size: 16
# expect: accept 0
# checked: none
	r3 = 16
	if r2 < r3 goto out
	r0 = *(u64 *)(r1 + 8)
out:	r0 = 0
	exit

# name: helper memory on a run-time sized region needs the tested size
# mem-size: 16
# expect: accept 0
	if r2 < 16 goto out
	r2 = 16
	call 2
out:	r0 = 0
	exit

# name: helper memory on a run-time sized region without a test
# mem-size: 16
# expect: reject "R1 helper memory out of bounds: mem off=0 size=16"
	r2 = 16
	call 2	; <-
	r0 = 0
	exit

# name: a bound learned in a loop body does not leak past the loop
# mem-size: 8
# expect: abort bounds
# checked: 6
	r3 = 0
loop:	if r3 > 2 goto done
	if r2 < 16 goto next
	r0 = 1
next:	r3 += 1
	goto loop
done:	r0 = *(u64 *)(r1 + 8)
	r0 = 0
	exit

# name: method: the tested argument size proves the argument read
# type: method
# arg-size: 8
# expect: accept 0
# checked: none
	r0 = 0
	r2 = *(u32 *)(r1 + 24)
	r3 = *(u64 *)(r1 + 8)
	if r2 < 8 goto out
	r0 = *(u64 *)(r3 + 0)
	r0 = 0
out:	exit

# name: method: the argument size does not bound the output buffer
# type: method
# arg-size: 8
# out-size: 4
# expect: abort bounds
# checked: 4
	r2 = *(u32 *)(r1 + 24)
	r3 = *(u64 *)(r1 + 16)
	if r2 < 8 goto out
	r0 = 0
	*(u64 *)(r3 + 0) = r0
out:	r0 = 0
	exit

# name: method: a sign-extending load of a size field teaches nothing
# type: method
# arg-size: 8
# expect: accept 0
# checked: 4
	r0 = 0
	r2 = *(s32 *)(r1 + 24)
	r3 = *(u64 *)(r1 + 8)
	if r2 < 8 goto out
	r0 = *(u64 *)(r3 + 0)
	r0 = 0
out:	exit

# name: method: a tested output size lets a helper fill the output
# type: method
# out-size: 32
# expect: accept 32
# check out+0: 5a 5a 5a 5a
	r2 = *(u32 *)(r1 + 28)
	r1 = *(u64 *)(r1 + 16)
	if r2 < 32 goto out
	r2 = 32
	r3 = 0x5a
	call 3
	exit
out:	r0 = 0
	exit
