# Regions: object (rw, 64 bytes, static bounds), argument buffer (read
# only, run-time size), output buffer (rw, run-time size), "mem".

# name: object read past min_size
# type: method
# expect: reject "R2 out of bounds: obj off=64 size=1 (obj min size 64)"
	r2 = *(u64 *)(r1 + 0)
	r0 = *(u8 *)(r2 + 64)	; <-
	exit

# name: object 8-byte read straddling the end
# type: method
# expect: reject "R2 out of bounds: obj off=60 size=8"
	r2 = *(u64 *)(r1 + 0)
	r0 = *(u64 *)(r2 + 60)	; <-
	exit

# name: object write at a negative offset
# type: method
# expect: reject "R2 out of bounds: obj off=-1 size=1"
	r2 = *(u64 *)(r1 + 0)
	*(u8 *)(r2 - 1) = 0	; <-
	r0 = 0
	exit

# name: object pointer moved past the end then read
# type: method
# expect: reject "R2 out of bounds: obj"
	r2 = *(u64 *)(r1 + 0)
	r2 += 100
	r0 = *(u8 *)(r2 - 30)	; <-
	exit

# name: object index not range checked
# type: method
# expect: reject "R2 out of bounds: obj"
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	r2 += r3
	r0 = *(u8 *)(r2 + 0)	; <-
	exit

# name: object index checked one too loosely
# type: method
# expect: reject "R2 out of bounds: obj off=0+[0,64] size=1"
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	if r3 > 64 goto out
	r2 += r3
	r0 = *(u8 *)(r2 + 0)	; <-
	exit
out:	r0 = 0
	exit

# name: object index checked, but 4-byte access past the end
# type: method
# expect: reject "R2 out of bounds: obj"
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	if r3 > 60 goto out
	r2 += r3
	r0 = *(u32 *)(r2 + 1)	; <-
	exit
out:	r0 = 0
	exit

# name: signed check only bounds from above
# type: method
# expect: reject "R2 out of bounds: obj"
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	if r3 s> 15 goto out
	r2 += r3
	r0 = *(u8 *)(r2 + 0)	; <-
	exit
out:	r0 = 0
	exit

# name: write into the read-only argument buffer
# type: method
# expect: reject "R2 write into read-only arg"
	r2 = *(u64 *)(r1 + 8)
	*(u8 *)(r2 + 0) = 1	; <-
	r0 = 0
	exit

# name: atomic on the read-only argument buffer
# type: method
# expect: reject "R2 write into read-only arg"
	r2 = *(u64 *)(r1 + 8)
	r3 = 1
	lock *(u32 *)(r2 + 0) += w3	; <-
	r0 = 0
	exit

# name: read from a write-only output buffer
# type: method
# region out: wd
# expect: reject "R2 read from unreadable out"
	r2 = *(u64 *)(r1 + 16)
	r0 = *(u8 *)(r2 + 0)	; <-
	exit

# name: fetching atomic reads a write-only buffer
# type: method
# region out: wd
# expect: reject "R2 read from unreadable out"
	r2 = *(u64 *)(r1 + 16)
	r3 = 1
	r3 = atomic64_fetch_add((u64 *)(r2 + 0), r3)	; <-
	r0 = 0
	exit

# name: write to a write-only output buffer is fine
# type: method
# region out: wd
# expect: accept 0x0
# check out+0: 2a
	r2 = *(u64 *)(r1 + 16)
	*(u8 *)(r2 + 0) = 42
	r0 = 0
	exit

# name: read-only object rejects stores
# type: method
# region obj: r 64
# expect: reject "R2 write into read-only obj"
	r2 = *(u64 *)(r1 + 0)
	*(u64 *)(r2 + 0) = 1	; <-
	r0 = 0
	exit

# name: static mem region: read past min_size
# region mem: rw 16
# expect: reject "R1 out of bounds: mem off=16 size=1"
	r0 = *(u8 *)(r1 + 16)	; <-
	exit

# name: static mem region: length from r2 does not bound an index
# region mem: rw 16
# expect: reject "R1 out of bounds: mem"
	r1 += r2
	r0 = *(u8 *)(r1 + 0)	; <-
	exit

# name: object in-bounds access at the last byte
# type: method
# expect: accept 0x0
	r2 = *(u64 *)(r1 + 0)
	*(u8 *)(r2 + 63) = 9
	r0 = *(u64 *)(r2 + 56)
	r0 >>= 56
	r0 -= 9
	exit

# name: array indexing after a range check (clang shape)
# type: method
# expect: accept 0x5
# check obj+0: 00 00 00 00 00 05
	r2 = *(u64 *)(r1 + 0)
	*(u8 *)(r2 + 5) = 5
	r3 = *(u16 *)(r1 + 40)
	r3 -= 2
	if r3 > 15 goto out
	r2 += r3
	r0 = *(u8 *)(r2 + 0)
	exit
out:	r0 = 0
	exit

# name: range check with jlt keeps the lower branch
# type: method
# expect: accept 0x0
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	if r3 < 64 goto ok
	r0 = 0
	exit
ok:	r2 += r3
	r0 = *(u8 *)(r2 + 0)
	exit

# name: 32-bit range check bounds a zero-extended index
# type: method
# expect: accept 0x0
	r2 = *(u64 *)(r1 + 0)
	w3 = *(u32 *)(r1 + 24)
	if w3 > 56 goto out
	r2 += r3
	r0 = *(u64 *)(r2 + 0)
	exit
out:	r0 = 1
	exit

# name: masked index into the object
# type: method
# expect: accept 0x0
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	r3 &= 0x38
	r2 += r3
	*(u64 *)(r2 + 0) = 0
	r0 = *(u64 *)(r2 + 0)
	exit

# name: diamond join with different bounds on each branch
# type: method
# expect: accept 0x0
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	if r3 > 1000 goto big
	r4 = 10
	goto join
big:	r4 = 40
join:	r2 += r4
	r0 = *(u64 *)(r2 + 16)
	exit

# name: diamond join: one branch too far
# type: method
# expect: reject "R2 out of bounds: obj"
	r2 = *(u64 *)(r1 + 0)
	r3 = *(u64 *)(r1 + 32)
	if r3 > 1000 goto big
	r4 = 10
	goto join
big:	r4 = 50
join:	r2 += r4
	r0 = *(u64 *)(r2 + 8)	; <-
	exit

# name: argument buffer read in bounds at run time
# type: method
# arg: 10 20 30 40
# expect: accept 0x40
	r2 = *(u64 *)(r1 + 8)
	r0 = *(u8 *)(r2 + 3)
	exit

# name: argument buffer read past its run-time size aborts
# type: method
# arg: 10 20 30 40
# expect: abort bounds
	r2 = *(u64 *)(r1 + 8)
	r0 = *(u8 *)(r2 + 4)
	exit

# name: argument buffer variable index: checked at run time
# type: method
# arg: 01 02 03 04 05 06 07 08
# expect: accept 0x8
	r2 = *(u64 *)(r1 + 8)
	r3 = *(u32 *)(r1 + 24)
	r3 -= 1
	r2 += r3
	r0 = *(u8 *)(r2 + 0)
	exit

# name: output buffer negative offset aborts at run time
# type: method
# expect: abort bounds
	r2 = *(u64 *)(r1 + 16)
	*(u8 *)(r2 - 1) = 1
	r0 = 0
	exit

# name: output buffer write within size, checked after the run
# type: method
# out-size: 4
# expect: accept 0x0
# check out+0: 78 56 34 12
	r2 = *(u64 *)(r1 + 16)
	*(u32 *)(r2 + 0) = 0x12345678
	r0 = 0
	exit

# name: output buffer write one byte too far aborts
# type: method
# out-size: 4
# expect: abort bounds
	r2 = *(u64 *)(r1 + 16)
	*(u32 *)(r2 + 1) = 0x12345678
	r0 = 0
	exit

# name: mem (DYN) read in bounds
# mem: 01 02 03 04 05 06 07 08
# expect: accept 0x807060504030201
	r0 = *(u64 *)(r1 + 0)
	exit

# name: mem (DYN) read past the end aborts
# mem: 01 02 03 04 05 06 07 08
# expect: abort bounds
	r0 = *(u64 *)(r1 + 1)
	exit

# name: mem (DYN) index from r2 (length) aborts at the end
# mem: 01 02 03 04
# expect: abort bounds
	r1 += r2
	r0 = *(u8 *)(r1 + 0)
	exit

# name: mem (DYN) last byte via r2 - 1
# mem: 01 02 03 04
# expect: accept 0x4
	r1 += r2
	r0 = *(u8 *)(r1 - 1)
	exit

# name: mem (DYN) huge pointer offset aborts, never wraps
# mem: 01 02 03 04
# expect: abort bounds
	r3 = 0x7fffffffffffffff ll
	r1 += r3
	r0 = *(u8 *)(r1 + 0)
	exit
