/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * The on-disk layout of an ELF's .BTF.ext section, as far as libipo reads
 * it (line info).  libbpf has no public parser for it, and its layout is
 * fixed by the kernel's BTF documentation (Documentation/bpf/btf.rst), so
 * it is spelled out here rather than borrowed from libbpf internals.
 * All fields are little endian like the rest of a bpfel object.
 */
#ifndef LIBIPO_BTF_EXT_H
#define LIBIPO_BTF_EXT_H

#include <linux/types.h>

struct btf_ext_header {
	__u16 magic;		/* BTF_MAGIC, as in .BTF */
	__u8 version;		/* 1 */
	__u8 flags;
	__u32 hdr_len;		/* the *_off fields count from here */
	__u32 func_info_off;
	__u32 func_info_len;
	__u32 line_info_off;
	__u32 line_info_len;
	/* newer files append core_relo_off/len; not read */
};

/*
 * The line info subsection is a __u32 record size followed by one block per
 * code section: this header and then nr_info records of rec_size bytes,
 * each starting with struct btf_ext_line (rec_size may grow in future).
 */
struct btf_ext_info_sec {
	__u32 sec_name_off;	/* in the .BTF string section */
	__u32 nr_info;
};

struct btf_ext_line {
	__u32 insn_off;		/* bytes from the start of the section */
	__u32 file_name_off;	/* .BTF string: the file as compiled */
	__u32 line_off;		/* .BTF string: the source line's text */
	__u32 line_col;		/* line << 10 | column */
};

#define BTF_EXT_LINE_NUM(line_col)	((line_col) >> 10)
#define BTF_EXT_LINE_COL(line_col)	((line_col) & 0x3ff)

#endif /* LIBIPO_BTF_EXT_H */
