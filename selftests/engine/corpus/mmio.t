# Device window offsets (IPO_ARG_MMIO_OFF): 10 mmio4(off), 11 mmio1(off).
# A constant offset must be aligned to the access and below 1 << 24; the
# verifier records the end of the farthest constant access, the widths
# used (bit = bytes) and whether any offset was not constant, for the
# attach-time check against the window.  "mmio: END WIDTHS VAR".

# name: no device access records nothing
# mmio: 0 0 0
# expect: accept 0
	r0 = 0
	exit

# name: constant offsets: the farthest end counts
# mmio: 0x68 4 0
# expect: accept 0x64
	r1 = 0x24
	call 10
	r1 = 0x64
	call 10
	r1 = 0x20
	call 10
	r0 = 0x64
	exit

# name: both widths are recorded
# mmio: 0x25 5 0
# expect: accept 0x24
	r1 = 0x24
	call 11
	r1 = 0x20
	call 10
	r0 = 0x24
	exit

# name: a byte access may be at any offset
# mmio: 0x8 1 0
# expect: accept 7
	r1 = 7
	call 11
	exit

# name: a variable offset is left to the run-time check
# mmio: 0x4 4 1
# expect: accept 0
	r6 = r2
	r1 = 0
	call 10
	r1 = r6
	call 10
	r0 = 0
	exit

# name: a bounded variable offset is still variable
# mmio: 0 4 1
# expect: accept 0
	r1 = r2
	r1 &= 0x3c
	call 10
	r0 = 0
	exit

# name: two constants joined before the call make a variable offset
# mmio: 0 4 1
# expect: accept 0
	r1 = 0x100
	if r2 > 5 goto +1
	r1 = 0x10
	call 10
	r0 = 0
	exit

# name: misaligned constant offset
# expect: reject "R1 mmio offset 38 not aligned to 4 for helper mmio4"
	r1 = 0x26
	call 10		; <-
	exit

# name: constant offset beyond any window
# expect: reject "R1 mmio offset 16777216 beyond any window"
	r1 = 0x1000000
	call 10		; <-
	exit

# name: negative constant offset
# expect: reject "beyond any window"
	r1 = -4
	call 10		; <-
	exit

# name: the offset must be a scalar
# expect: reject "R1 type=ptr_to_mem(off=0) expected scalar for helper mmio4"
	call 10		; <-
	exit

# name: the offset must be initialised
# expect: reject "R3 !read_ok"
	r1 = r3		; <-
	call 10
	exit
