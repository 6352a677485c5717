# Red-team cases of the sizes learned from tests (sizes.t): each one tries
# to make the verifier believe a region is larger than it is, so that an
# access past its end goes unchecked.  The run's region is smaller than
# the access: a verifier that fell for it would let the access through
# (a sanitizer report in ipo-corpus-san, no abort in ipo-corpus); a sound
# one keeps the check ("checked:") and the run aborts.

# name: sizes redteam: a negated size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = r2
	r3 = -r3
	if r3 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a 32-bit xor of the size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = r2
	w3 ^= 0xffff
	if r3 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a shifted size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = r2
	r3 <<= 4
	if r3 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a byte-swapped size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = r2
	r3 = be64 r3
	if r3 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a byte-swap-16 of the size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = r2
	r3 = be16 r3
	if r3 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a size or-ed with a constant teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = r2
	r3 |= 64
	if r3 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: an 8-bit sign-extending copy of the size teaches nothing
# mem-size: 255
# expect: abort bounds
# checked: 4
	r3 = (s8)r2
	if r3 < 264 goto out
	r1 += 256
	r0 = 0
	r0 = *(u64 *)(r1 + 0)
out:	r0 = 0
	exit

# name: sizes redteam: a 16-bit sign-extending copy of the size teaches nothing
# mem-size: 0x8000
# expect: abort bounds
# checked: 4
	r3 = (s16)r2
	if r3 < 0x8100 goto out
	r1 += 0x8000
	r0 = 0
	r0 = *(u64 *)(r1 + 0)
out:	r0 = 0
	exit

# name: sizes redteam: a 32-bit sign-extending copy of the size teaches nothing
# mem-size: 64
# expect: accept 0
# checked: 2
	r3 = (s32)r2
	if r3 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: an atomic add on the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 6
	*(u64 *)(r10 - 8) = r2
	r4 = 0x1000
	lock *(u64 *)(r10 - 8) += r4
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a fetching atomic add on the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 6
	*(u64 *)(r10 - 8) = r2
	r4 = 0x1000
	r4 = atomic64_fetch_add((u64 *)(r10 - 8), r4)
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: an exchange into the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 6
	*(u64 *)(r10 - 8) = r2
	r4 = 0x1000
	r4 = atomic64_xchg((u64 *)(r10 - 8), r4)
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a compare-exchange into the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 7
	*(u64 *)(r10 - 8) = r2
	r0 = r2
	r4 = 0x1000
	r0 = atomic64_cmpxchg((u64 *)(r10 - 8), r0, r4)
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a 32-bit atomic on half of the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 6
	*(u64 *)(r10 - 8) = r2
	r4 = 1
	lock *(u32 *)(r10 - 4) += r4
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: the fetched old value of the spilled size is no longer the size
# mem-size: 64
# expect: accept 0
# checked: 5
# note: conservative: the fetch loads a plain scalar
	*(u64 *)(r10 - 8) = r2
	r4 = 0
	r0 = 0
	r4 = atomic64_fetch_add((u64 *)(r10 - 8), r4)
	if r4 < 64 goto out
	r0 = *(u64 *)(r1 + 56)
	r0 = 0
out:	exit

# name: sizes redteam: a store into the upper half of the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 5
	*(u64 *)(r10 - 8) = r2
	*(u32 *)(r10 - 4) = 1
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a byte stored into the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 5
	*(u64 *)(r10 - 8) = r2
	*(u8 *)(r10 - 8) = 0xff
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a misaligned 8-byte store over the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 7
	*(u64 *)(r10 - 8) = r2
	*(u64 *)(r10 - 16) = r2
	r4 = -1
	*(u64 *)(r10 - 12) = r4
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a helper filling the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 10
	r6 = r1
	*(u64 *)(r10 - 8) = r2
	r1 = r10
	r1 += -8
	r2 = 8
	r3 = 0xff
	call 3
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r6 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a helper that may fill part of the spilled size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 2,12
	r6 = r1
	*(u64 *)(r10 - 8) = r2
	r2 = *(u8 *)(r6 + 0)
	r2 &= 1
	r1 = r10
	r1 += -8
	r2 += 1
	r3 = 0xff
	call 3
	r5 = *(u64 *)(r10 - 8)
	if r5 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r6 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a helper call ends the entry size register
# mem-size: 64
# expect: reject "R2 !read_ok"
	r6 = r1
	call 9
	if r2 < 64 goto out	; <-
	r0 = *(u64 *)(r6 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a spilled size survives a helper call, and proves
# mem-size: 64
# expect: accept 0
# checked: none
	r6 = r1
	*(u64 *)(r10 - 8) = r2
	r7 = r2
	call 9
	r5 = *(u64 *)(r10 - 8)
	if r5 < 32 goto out
	if r7 < 64 goto out
	r0 = *(u64 *)(r6 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a call's r0 is no size even when the callee returns one
# mem-size: 8
# expect: abort bounds
# checked: 4
	r6 = r1
	call f
	if r0 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r6 + 56)
out:	r0 = 0
	exit
f:	r0 = 0x1000
	exit

# name: sizes redteam: call sites passing the size and a constant: the callee learns nothing
# mem-size: 8
# expect: abort bounds
# checked: 0,11
	r3 = *(u8 *)(r1 + 0)
	if r3 == 0 goto second
	call f
	r0 = 0
	exit
second:	r2 = 0x1000
	call f
	r0 = 0
	exit
f:	if r2 < 64 goto fout
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
fout:	r0 = 0
	exit

# name: sizes redteam: call sites passing a constant and the size: the callee learns nothing
# mem-size: 8
# expect: abort bounds
# checked: 0,12
	r3 = *(u8 *)(r1 + 0)
	if r3 != 0 goto second
	r2 = 0x1000
	call f
	r0 = 0
	exit
second:	r0 = 0
	call f
	r0 = 0
	exit
f:	r0 = 0
	if r2 < 64 goto fout
	r0 = *(u64 *)(r1 + 56)
fout:	r0 = 0
	exit

# name: sizes redteam: the size passed whole to a callee still proves there
# mem-size: 64
# expect: accept 0
# checked: none
	call f
	r0 = 0
	exit
f:	r0 = 0
	if r2 < 64 goto fout
	r0 = *(u64 *)(r1 + 56)
fout:	r0 = 0
	exit

# name: sizes redteam: the caller's learned size enters the callee
# mem-size: 64
# expect: accept 0
# checked: none
# fenced: 0
# note: sizes are fixed for the run and the test's edge is fenced: every
# note: call comes after it
	if r2 < 64 goto out
	r2 = 0
	call f
out:	r0 = 0
	exit
f:	r0 = 0
	r0 = *(u64 *)(r1 + 56)
	r0 = 0
	exit

# name: sizes redteam: a callee knows only what every call site knew
# mem-size: 64
# expect: accept 0
# checked: 10
# note: the second call is made before any test: the callee checks
	r6 = r1
	r7 = r2
	if r2 < 64 goto out
	r2 = 0
	call f
out:	r1 = r6
	call f
	r0 = 0
	exit
f:	r0 = 0
	r0 = *(u64 *)(r1 + 56)
	r0 = 0
	exit

# name: sizes redteam: a callee's learned size does not leave it
# mem-size: 8
# expect: abort bounds
# checked: 2
	r6 = r1
	call f
	r0 = *(u64 *)(r6 + 56)
	r0 = 0
	exit
f:	if r2 < 64 goto fout
	r0 = 0
fout:	r0 = 0
	exit

# name: sizes redteam: method: a join of the argument and output sizes teaches nothing
# type: method
# arg: 0100000000000000
# out-size: 64
# expect: abort bounds
# checked: 2,7
	r6 = *(u64 *)(r1 + 8)
	r3 = *(u32 *)(r1 + 24)
	r4 = *(u8 *)(r6 + 0)
	if r4 == 0 goto use
	r3 = *(u32 *)(r1 + 28)
use:	if r3 < 64 goto out
	r0 = 0
	r0 = *(u64 *)(r6 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: method: equal sizes: the test of the copy teaches the first one's region
# type: method
# arg-size: 64
# out-size: 64
# expect: accept 0
# checked: 2,9
# note: on the equal edge r4 becomes r3's copy (its tag too); out stays checked
	r6 = *(u64 *)(r1 + 8)
	r7 = *(u64 *)(r1 + 16)
	r0 = *(u64 *)(r6 + 0)
	r3 = *(u32 *)(r1 + 24)
	r4 = *(u32 *)(r1 + 28)
	r0 = 0
	if r3 != r4 goto out
	if r4 < 64 goto out
	r0 = *(u64 *)(r6 + 56)
	*(u64 *)(r7 + 56) = r0
out:	exit

# name: sizes redteam: method: a 16-bit load of a size field is rejected
# type: method
# expect: reject "invalid ctx access"
	r3 = *(u16 *)(r1 + 24)	; <-
	r0 = 0
	exit

# name: sizes redteam: method: a 64-bit load over both size fields is rejected
# type: method
# expect: reject "invalid ctx access"
	r3 = *(u64 *)(r1 + 24)	; <-
	r0 = 0
	exit

# name: sizes redteam: method: a load in the middle of a size field is rejected
# type: method
# expect: reject "invalid ctx access"
	r3 = *(u32 *)(r1 + 26)	; <-
	r0 = 0
	exit

# name: sizes redteam: the size compared with a pointer is rejected
# mem-size: 64
# expect: reject "pointer comparison prohibited"
	if r2 > r1 goto out	; <-
	r0 = 0
	exit
out:	r0 = 1
	exit

# name: sizes redteam: a tagged size in the loop replaced by a constant is widened away
# mem-size: 8
# expect: abort bounds
# checked: 3
	r3 = r2
	r4 = 0
loop:	if r3 < 64 goto skip
	r0 = *(u64 *)(r1 + 56)
skip:	r3 = 0x1000
	r4 += 1
	if r4 < 3 goto loop
	r0 = 0
	exit

# name: sizes redteam: a spilled size in the loop replaced by a constant is widened away
# mem-size: 8
# expect: abort bounds
# checked: 5
	*(u64 *)(r10 - 8) = r2
	r4 = 0
loop:	r3 = *(u64 *)(r10 - 8)
	if r3 < 64 goto skip
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
skip:	r3 = 0x1000
	*(u64 *)(r10 - 8) = r3
	r4 += 1
	if r4 < 3 goto loop
	r0 = 0
	exit

# name: sizes redteam: a header's bound that a back edge lacks is dropped (join widening)
# mem-size: 8
# expect: abort bounds
# checked: 0,5,7
	r3 = *(u8 *)(r1 + 0)
	if r3 == 0 goto mid
	r5 = r2
	if r5 < 64 goto out
	r5 = 0
loop:	r0 = *(u64 *)(r1 + 56)
	goto out
mid:	r4 = *(u8 *)(r1 + 1)
	r3 = 1
	r5 = 0
	if r4 == 0 goto loop
out:	r0 = 0
	exit

# name: sizes redteam: a header's bound that a back edge lacks is dropped (threshold widening)
# mem-size: 8
# expect: abort bounds
# checked: 0,5
	r3 = *(u8 *)(r1 + 0)
	r6 = 0
	if r3 == 0 goto mid
	if r2 < 64 goto out
loop:	r6 += 1
	r0 = *(u64 *)(r1 + 56)
	goto out
mid:	r6 += 1
	if r6 < 3 goto loop
out:	r0 = 0
	exit

# name: sizes redteam: a bound learned only on the first pass of a loop does not survive widening
# mem-size: 64
# expect: accept 0
# checked: 5
	r3 = 0
loop:	if r3 != 0 goto body
	if r2 < 64 goto out
body:	r3 += 1
	r0 = 0
	r0 = *(u64 *)(r1 + 56)
	if r3 < 3 goto loop
out:	r0 = 0
	exit

# name: sizes redteam: self-comparison of the size teaches nothing on the real edge
# mem-size: 8
# expect: abort bounds
# checked: 3
	if r2 >= r2 goto use
	r0 = 0
	exit
use:	r0 = *(u64 *)(r1 + 56)
	r0 = 0
	exit

# name: sizes redteam: JSET of the size teaches nothing
# mem-size: 8
# expect: abort bounds
# checked: 3
	if r2 & 8 goto use
	r0 = 0
	exit
use:	r0 = *(u64 *)(r1 + 56)
	r0 = 0
	exit

# name: sizes redteam: a signed test of the size teaches its bound
# mem-size: 64
# expect: accept 0
# checked: none
	if r2 s< 64 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: a signed 32-bit test against a negative constant
# mem-size: 8
# expect: abort bounds
# checked: 1
	if w2 s< -1 goto out
	r0 = *(u64 *)(r1 + 56)
out:	r0 = 0
	exit

# name: sizes redteam: method: a signed 32-bit test of a 32-bit size field teaches its bound
# type: method
# arg-size: 64
# expect: accept 0
# checked: none
	r6 = *(u64 *)(r1 + 8)
	r3 = *(u32 *)(r1 + 24)
	if w3 s< 64 goto out
	r0 = 0
	r0 = *(u64 *)(r6 + 56)
out:	r0 = 0
	exit
