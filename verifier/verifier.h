/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The verifier's entry point and its log. */
#ifndef IPO_VERIFIER_H
#define IPO_VERIFIER_H

#include "../base/prog.h"

/* Source position of an instruction, from BTF line info when the loader has it. */
struct ipo_line_info {
	u32 insn_off;		/* first instruction this line covers */
	u32 line;		/* 1-based line number, 0 if unknown */
	u32 col;
	const char *file;	/* NUL-terminated, may be NULL */
	const char *src;	/* the source line's text, may be NULL */
};

/*
 * The verifier's log: a caller-supplied buffer.  Messages are short, stable
 * lines that start with the instruction index ("12: R3 invalid mem access
 * ...").  When the buffer is full the log keeps the first part, always ends
 * in NUL, and sets truncated; verification itself is not affected.
 */
struct ipo_vlog {
	char *buf;
	u32 size;		/* bytes in buf, 0 for no log */
	u32 len;		/* bytes written, without the NUL */
	u32 level;		/* 0: errors only, 1: + summary, 2: + every insn */
	bool truncated;
	const struct ipo_line_info *lines;	/* sorted by insn_off */
	u32 nr_lines;
	/*
	 * Notes (also at level >= 1): a line for every access left to a
	 * run-time check and every loop only fuel ends, each with what would
	 * remove it ("12: run-time check: ...: test it against 16"); at
	 * level >= 1 also the bound of every loop that has one.
	 */
	bool notes;
	/*
	 * Names the @size bytes at @off of @region for notes, from debug
	 * info the caller has ("dep_args.account"), into @buf; returns buf,
	 * or NULL for no name.  NULL: notes say "arg+0, 4 bytes".
	 */
	const char *(*mem_name)(void *priv, u8 region, u32 off, u32 size,
				char *buf, u32 bufsz);
	void *mem_priv;
};

/*
 * ipo_verify() - check a program against its program type.
 * @prog:	insns, len and type set; aux must point to len entries (the
 *		verifier clears them first).
 * @log:	may be NULL.
 *
 * With prog->strict set, a program that needs a run-time bounds check or
 * has a loop only fuel ends is rejected ("N: strict: ...").
 *
 * Return: 0 and prog->verified = true when the program is safe to run on
 * the interpreter or the JIT; otherwise a negative errno (-EINVAL for a
 * program that breaks a rule, -E2BIG for one over a size limit or over
 * the verifier's memory or work limit, -ENOMEM) with the reason in the
 * log, or -EINTR when the caller got a fatal signal (the kernel) or set
 * ipo_host_stop (the host; see base/compat.h).
 */
int ipo_verify(struct ipo_prog *prog, struct ipo_vlog *log);

#endif /* IPO_VERIFIER_H */
