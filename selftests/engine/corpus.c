// SPDX-License-Identifier: GPL-2.0
/*
 * ipo-corpus: the data-driven accept/reject corpus of the verifier.
 *
 * usage: ipo-corpus [--engine interp|jit|both] [--filter TEXT] [-v]
 *		     [--emit-seeds DIR] FILE.t...
 *
 * A FILE.t holds cases; each starts with "# name:" and has header lines
 * "# key: value" followed by assembler text (base/asm.h):
 *
 *   # name: stack read of an uninitialised slot
 *   # expect: reject "invalid read from stack"
 *   r0 = *(u64 *)(r10 - 8)	; <-
 *   exit
 *
 * Keys:
 *   expect: accept [R0]		verified; run; no abort; r0 == R0 if given
 *   expect: reject "FRAGMENT"		rejected; a log line "N: ...FRAGMENT..."
 *   expect: abort fuel|bounds|helper|unwind	verified, run aborts so
 *   type: mem | method			program type (base/host_types.h), default mem
 *   at: N				the rejection names instruction N;
 *					an abort happens at instruction N
 *   REGION: HEX			initial contents (mem, obj, arg, out)
 *   REGION-size: N			size of a zero-filled buffer (it must
 *					fit the type: see test_env_fits())
 *   region REGION: [r][w][d] [MIN]	change the region's description
 *   check REGION+OFF: HEX		bytes after the run
 *   fuel: N				fuel of the run (default 100000)
 *   checked: N[,N...] | none		exactly these instructions get a
 *					run-time bounds check
 *   fenced: N[,N...] | none		exactly these jumps learned a region
 *					size (IPO_AUX_FENCE_*)
 *   full: N[,N...] | none		of those, exactly these need the full
 *					check (IPO_AUX_RT_FULL), the others
 *					get the JIT's short one
 *   masked: N[=V][,...] | none		exactly these proven accesses are
 *					masked against speculation
 *					(IPO_AUX_SPEC_MASK, no run-time
 *					check); with =V, against V valid
 *					offsets (spec_valid)
 *   exact: N[,N...] | none		exactly these stack or context
 *					accesses are made at their proven
 *					offset (IPO_AUX_SPEC_EXACT)
 *   wired: N[,N...] | none		exactly these conditional jumps go
 *					one way only (IPO_AUX_TAKEN or _FALLS
 *					alone): the JIT hard-wires them
 *   note: TEXT				printed with the result
 * A line whose comment starts with "<-" marks the rejected (or aborting)
 * instruction (same as "at:").  With --engine both, the two runs must also
 * end alike: r0, abort reason and pc, fuel left and every buffer.  Besides the files, generated cases cover the whole
 * opcode space, bad registers and writes to r10, and every program is
 * checked to survive a disassemble/assemble round trip.
 *
 * Output is TAP; the exit status is 0 only when every case passed.
 */
#include <ctype.h>
#include <getopt.h>
#include <time.h>

#include "selftests/tap.h"

#include "verifier/verifier.h"
#include "exec/interp.h"
#include "exec/jit.h"
#include "base/disasm.h"
#include "base/asm.h"
#include "base/host_types.h"

#define CORPUS_FUEL	100000
#define CORPUS_LOG	(1 << 16)
#define CORPUS_CHECKS	8

/* The speculation keys, see corpus_spec_keys[]. */
enum { SPEC_MASKED, SPEC_EXACT, SPEC_WIRED, CORPUS_SPEC_KEYS };

enum corpus_expect { EXP_NONE, EXP_ACCEPT, EXP_REJECT, EXP_ABORT };

struct corpus_check {
	int region;
	u32 off;
	u8 bytes[64];
	u32 n;
};

struct corpus_case {
	const char *file;
	u32 line;
	char name[160];
	char note[160];
	enum corpus_expect expect;
	bool check_r0;
	u64 r0;
	char frag[160];
	u32 abort;
	long at;
	u32 mark_line;
	enum test_kind kind;
	struct ipo_region_desc region[IPO_NR_REGIONS];
	bool region_set[IPO_NR_REGIONS];
	u32 len[IPO_NR_REGIONS];
	bool len_set[IPO_NR_REGIONS];
	u8 *init[IPO_NR_REGIONS];
	struct corpus_check check[CORPUS_CHECKS];
	u32 nr_checks;
	bool check_mmio;
	struct ipo_mmio_use mmio;	/* what the verifier must record */
	bool check_rt;
	u32 rt[CORPUS_CHECKS];		/* pcs with IPO_AUX_RT_CHECK */
	u32 nr_rt;
	bool check_full;
	u32 full[CORPUS_CHECKS];	/* of those, pcs with IPO_AUX_RT_FULL */
	u32 nr_full;
	bool check_fence;
	u32 fence[CORPUS_CHECKS];	/* pcs with IPO_AUX_FENCE_* */
	u32 nr_fence;
	/* pcs of the speculation marks, by corpus_spec_keys[] */
	bool check_spec[CORPUS_SPEC_KEYS];
	u32 spec[CORPUS_SPEC_KEYS][CORPUS_CHECKS];
	u32 nr_spec[CORPUS_SPEC_KEYS];
	u32 valid[CORPUS_CHECKS];	/* masked: spec_valid wanted, or 0 */
	s64 fuel;
	char *body;
	size_t body_len, body_cap;
	u32 body_line;
	char bad[200];		/* a parse error of the case itself */
};

/* An executor: the interpreter now, the JIT later. */
struct corpus_engine {
	const char *name;
	u64 (*run)(const struct ipo_prog *prog, struct ipo_run *run,
		   const u64 *args);
};

static const struct corpus_engine corpus_engines[] = {
	{ "interp", ipo_interp_run },
	{ "jit", ipo_jit_run_prog },
};

static struct {
	bool use[ARRAY_SIZE(corpus_engines)];
	const char *filter;
	const char *seed_dir;
	bool verbose;
	u32 nr_accept, nr_reject;
	u32 seeds;
} corpus;

static char corpus_log[CORPUS_LOG];

/* Diagnostics: "# " before every line of @text. */
static void diag_lines(const char *prefix, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);

		printf("#   %s%.*s\n", prefix, n, text);
		text += n + (nl ? 1 : 0);
	}
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* "01 02 0a" or "01020a": bytes into a fresh buffer. */
static int parse_hex(const char *s, u8 **out, u32 *n)
{
	size_t cap = strlen(s) / 2 + 1;
	u8 *buf = malloc(cap);
	u32 len = 0;

	if (!buf)
		return -1;
	while (*s) {
		int hi, lo;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1])) {
			free(buf);
			return -1;
		}
		hi = isdigit((unsigned char)s[0]) ? s[0] - '0' :
		     tolower((unsigned char)s[0]) - 'a' + 10;
		lo = isdigit((unsigned char)s[1]) ? s[1] - '0' :
		     tolower((unsigned char)s[1]) - 'a' + 10;
		buf[len++] = hi << 4 | lo;
		s += 2;
	}
	*out = buf;
	*n = len;
	return 0;
}

static int parse_u64(const char *s, u64 *v)
{
	bool neg = false;
	char *end;

	s = trim((char *)s);
	if (*s == '-') {
		neg = true;
		s++;
	}
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *trim(end))
		return -1;
	if (neg)
		*v = 0 - *v;
	return 0;
}

static const char *const abort_names[] = {
	[IPO_RUN_OK] = "none",
	[IPO_ABORT_FUEL] = "fuel",
	[IPO_ABORT_BOUNDS] = "bounds",
	[IPO_ABORT_HELPER] = "helper",
	[IPO_ABORT_UNWIND] = "unwind",
};

static void case_bad(struct corpus_case *c, const char *why, const char *v)
{
	if (!c->bad[0])
		snprintf(c->bad, sizeof(c->bad), "%s: '%s'", why, v);
}

/* "N[,N...]" or "none": instruction numbers into @pcs. */
static void parse_pcs(struct corpus_case *c, char *val, u32 *pcs, u32 *nr,
		      const char *bad)
{
	char *p = val, *end;

	if (!strcmp(val, "none"))
		return;
	for (;;) {
		unsigned long pc = strtoul(p, &end, 0);

		if (end == p || *nr == CORPUS_CHECKS) {
			case_bad(c, bad, val);
			return;
		}
		pcs[(*nr)++] = pc;
		p = end;
		if (*p != ',')
			break;
		p++;
	}
	if (*p)
		case_bad(c, bad, val);
}

/* "N[=V][,N[=V]...]" or "none"; =V only for masked. */
static void parse_spec(struct corpus_case *c, char *val, u32 k)
{
	char *p = val, *end;

	if (!strcmp(val, "none"))
		return;
	for (;;) {
		u32 i = c->nr_spec[k];
		unsigned long pc = strtoul(p, &end, 0);

		if (end == p || i == CORPUS_CHECKS) {
			case_bad(c, "bad list", val);
			return;
		}
		c->spec[k][i] = pc;
		c->nr_spec[k]++;
		p = end;
		if (*p == '=' && k == SPEC_MASKED) {
			c->valid[i] = strtoul(p + 1, &end, 0);
			if (end == p + 1) {
				case_bad(c, "bad list", val);
				return;
			}
			p = end;
		}
		if (*p != ',')
			break;
		p++;
	}
	if (*p)
		case_bad(c, "bad list", val);
}

static bool aux_masked(u16 fl)
{
	return (fl & IPO_AUX_SPEC_MASK) && !(fl & IPO_AUX_RT_CHECK);
}

static bool aux_exact(u16 fl)
{
	return fl & IPO_AUX_SPEC_EXACT;
}

static bool aux_wired(u16 fl)
{
	u16 edges = fl & (IPO_AUX_TAKEN | IPO_AUX_FALLS);

	return edges == IPO_AUX_TAKEN || edges == IPO_AUX_FALLS;
}

/* The speculation keys: which instructions the JIT treats specially. */
static const struct {
	const char *key;
	bool (*has)(u16 flags);
	const char *what;
} corpus_spec_keys[] = {
	[SPEC_MASKED] = { "masked", aux_masked, "a speculation mask" },
	[SPEC_EXACT] = { "exact", aux_exact, "its proven offset" },
	[SPEC_WIRED] = { "wired", aux_wired, "one edge only" },
};
_Static_assert(ARRAY_SIZE(corpus_spec_keys) == CORPUS_SPEC_KEYS,
	       "one list per speculation key");

static void case_header(struct corpus_case *c, char *key, char *val)
{
	u32 k;
	int r;

	for (k = 0; k < ARRAY_SIZE(corpus_spec_keys); k++) {
		if (strcmp(key, corpus_spec_keys[k].key))
			continue;
		c->check_spec[k] = true;
		parse_spec(c, val, k);
		return;
	}
	if (!strcmp(key, "expect")) {
		if (!strncmp(val, "accept", 6)) {
			c->expect = EXP_ACCEPT;
			if (*trim(val + 6)) {
				c->check_r0 = true;
				if (parse_u64(val + 6, &c->r0))
					case_bad(c, "bad r0", val);
			}
		} else if (!strncmp(val, "reject", 6)) {
			char *q = strchr(val, '"'), *e;

			c->expect = EXP_REJECT;
			e = q ? strrchr(q + 1, '"') : NULL;
			if (!q || !e || e == q + 1 ||
			    (size_t)(e - q) > sizeof(c->frag)) {
				case_bad(c, "reject needs a \"fragment\"", val);
				return;
			}
			memcpy(c->frag, q + 1, e - q - 1);
			c->frag[e - q - 1] = 0;
		} else if (!strncmp(val, "abort", 5)) {
			char *what = trim(val + 5);
			u32 i;

			c->expect = EXP_ABORT;
			for (i = 1; i < ARRAY_SIZE(abort_names); i++)
				if (!strcmp(what, abort_names[i]))
					break;
			if (i == ARRAY_SIZE(abort_names))
				case_bad(c, "unknown abort", what);
			c->abort = i;
		} else {
			case_bad(c, "bad expect", val);
		}
	} else if (!strcmp(key, "type")) {
		for (r = 0; r < TEST_NR_KINDS; r++)
			if (!strcmp(val, test_kind_names[r]))
				break;
		if (r == TEST_NR_KINDS)
			case_bad(c, "unknown type", val);
		else
			c->kind = r;
	} else if (!strcmp(key, "at")) {
		c->at = strtol(val, NULL, 0);
	} else if (!strcmp(key, "fuel")) {
		c->fuel = strtoll(val, NULL, 0);
	} else if (!strcmp(key, "mmio")) {
		unsigned int end, widths, var;

		/* "mmio: END WIDTHS VAR": prog.mmio after verification */
		if (sscanf(val, "%i %i %i", &end, &widths, &var) != 3) {
			case_bad(c, "bad mmio", val);
			return;
		}
		c->check_mmio = true;
		c->mmio.const_end = end;
		c->mmio.widths = widths;
		c->mmio.var = var;
	} else if (!strcmp(key, "checked")) {
		c->check_rt = true;
		parse_pcs(c, val, c->rt, &c->nr_rt, "bad checked list");
	} else if (!strcmp(key, "full")) {
		c->check_full = true;
		parse_pcs(c, val, c->full, &c->nr_full, "bad full list");
	} else if (!strcmp(key, "fenced")) {
		c->check_fence = true;
		parse_pcs(c, val, c->fence, &c->nr_fence, "bad fenced list");
	} else if (!strcmp(key, "note")) {
		snprintf(c->note, sizeof(c->note), "%s", val);
	} else if (!strncmp(key, "region ", 7)) {
		char *flags = val, *min;

		r = test_region_by_name(trim(key + 7));
		if (r <= 0) {
			case_bad(c, "unknown region", key + 7);
			return;
		}
		min = strchr(val, ' ');
		if (min)
			*min++ = 0;
		c->region[r].flags = (strchr(flags, 'r') ? IPO_RGNF_READ : 0) |
				     (strchr(flags, 'w') ? IPO_RGNF_WRITE : 0) |
				     (strchr(flags, 'd') ? IPO_RGNF_DYN : 0);
		c->region[r].min_size = min ? strtoul(min, NULL, 0) : 0;
		c->region_set[r] = true;
	} else if (!strncmp(key, "check ", 6)) {
		struct corpus_check *ck = &c->check[c->nr_checks];
		char *plus = strchr(key + 6, '+');
		u8 *bytes;
		u32 n;

		if (c->nr_checks == CORPUS_CHECKS || !plus) {
			case_bad(c, "bad check", key);
			return;
		}
		*plus = 0;
		ck->region = test_region_by_name(trim(key + 6));
		ck->off = strtoul(plus + 1, NULL, 0);
		if (ck->region <= 0 || parse_hex(val, &bytes, &n) ||
		    n > sizeof(ck->bytes)) {
			case_bad(c, "bad check", val);
			return;
		}
		memcpy(ck->bytes, bytes, n);
		ck->n = n;
		free(bytes);
		c->nr_checks++;
	} else {
		size_t kl = strlen(key);
		bool size = kl > 5 && !strcmp(key + kl - 5, "-size");

		if (size)
			key[kl - 5] = 0;
		r = test_region_by_name(key);
		if (r <= 0 || r == IPO_RGN_CTX || r == IPO_RGN_STACK) {
			case_bad(c, "unknown key", key);
			return;
		}
		c->len_set[r] = true;
		free(c->init[r]);
		c->init[r] = NULL;
		if (size)
			c->len[r] = strtoul(val, NULL, 0);
		else if (parse_hex(val, &c->init[r], &c->len[r]))
			case_bad(c, "bad hex", val);
	}
}

static void case_append(struct corpus_case *c, const char *line)
{
	size_t n = strlen(line);

	if (c->body_len + n + 2 > c->body_cap) {
		c->body_cap = (c->body_len + n + 2) * 2;
		c->body = realloc(c->body, c->body_cap);
		if (!c->body) {
			perror("ipo-corpus");
			exit(2);
		}
	}
	memcpy(c->body + c->body_len, line, n);
	c->body_len += n;
	c->body[c->body_len++] = '\n';
	c->body[c->body_len] = 0;
}

static void case_free(struct corpus_case *c)
{
	int i;

	for (i = 0; i < IPO_NR_REGIONS; i++)
		free(c->init[i]);
	free(c->body);
}

/* The line "N: ..." of the log that contains @frag; its N, or -1. */
static long log_find(const char *log, const char *frag, const char **line)
{
	const char *p = log;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *hit = strstr(p, frag);

		if (hit && hit < p + n) {
			char *end;
			long idx = strtol(p, &end, 10);

			*line = p;
			if (end == p || *end != ':' || idx < 0)
				return -2;
			return idx;
		}
		p += n + (nl ? 1 : 0);
	}
	return -1;
}

static void write_seed(const struct corpus_case *c,
		       const struct ipo_asm_prog *ap);

/* How a run ended, to compare the engines. */
struct corpus_result {
	u64 r0;
	u32 abort, abort_pc;
	s64 fuel;
	u64 mem_hash;		/* FNV-1a of every buffer but the context */
};

static bool results_match(const struct corpus_result *a,
			  const struct corpus_result *b,
			  const struct corpus_engine *ea,
			  const struct corpus_engine *eb, char *why, size_t sz)
{
	if (a->r0 == b->r0 && a->abort == b->abort &&
	    a->abort_pc == b->abort_pc && a->fuel == b->fuel &&
	    a->mem_hash == b->mem_hash)
		return true;
	snprintf(why, sz,
		 "%s/%s differ: r0 %#llx/%#llx abort %s/%s at %u/%u fuel %lld/%lld%s",
		 ea->name, eb->name, (unsigned long long)a->r0,
		 (unsigned long long)b->r0, abort_names[a->abort],
		 abort_names[b->abort], a->abort_pc, b->abort_pc,
		 (long long)a->fuel, (long long)b->fuel,
		 a->mem_hash != b->mem_hash ? ", memory" : "");
	return false;
}

/*
 * Runs an accepted case on one engine; returns true when as expected.
 * @want_at: the instruction an abort must happen at, or < 0.
 */
static bool case_run(struct corpus_case *c, const struct ipo_prog *prog,
		     const struct corpus_engine *eng, long want_at,
		     struct corpus_result *res, char *why, size_t sz)
{
	const u8 *init[IPO_NR_REGIONS];
	struct test_env env;
	struct ipo_run run = { .fuel = c->fuel };
	u64 args[5], r0;
	u32 i;
	bool ok = true;

	for (i = 0; i < IPO_NR_REGIONS; i++)
		init[i] = c->init[i];
	if (test_env_init(&env, c->kind, c->len, init)) {
		snprintf(why, sz, "out of memory");
		return false;
	}
	test_env_setup(&env, &run, args);
	r0 = eng->run(prog, &run, args);

	if (c->expect == EXP_ABORT) {
		if (run.abort != c->abort ||
		    (want_at >= 0 && run.abort_pc != want_at)) {
			snprintf(why, sz, "%s: abort %s at %u, want %s",
				 eng->name, abort_names[run.abort],
				 run.abort_pc, abort_names[c->abort]);
			if (want_at >= 0)
				snprintf(why + strlen(why), sz - strlen(why),
					 " at %ld", want_at);
			ok = false;
		}
	} else if (run.abort) {
		snprintf(why, sz, "%s: aborted at insn %u: %s", eng->name,
			 run.abort_pc, ipo_abort_str(run.abort));
		ok = false;
	} else if (c->check_r0 && r0 != c->r0) {
		snprintf(why, sz, "%s: r0 = %#llx, want %#llx", eng->name,
			 (unsigned long long)r0, (unsigned long long)c->r0);
		ok = false;
	}
	for (i = 0; ok && i < c->nr_checks; i++) {
		const struct corpus_check *ck = &c->check[i];

		if (ck->off + ck->n > env.len[ck->region] ||
		    memcmp(env.buf[ck->region] + ck->off, ck->bytes, ck->n)) {
			snprintf(why, sz, "%s: %s+%u differs after the run",
				 eng->name, test_region_name(ck->region),
				 ck->off);
			ok = false;
		}
	}
	if (test_run_impossible(prog, &run, why, sz) ||
	    (ok && test_env_leak(&env, &run, r0, why, sz)))
		ok = false;
	res->r0 = r0;
	res->abort = run.abort;
	res->abort_pc = run.abort_pc;
	res->fuel = run.fuel;
	res->mem_hash = 0xcbf29ce484222325ULL;
	for (i = 0; i < IPO_NR_REGIONS; i++) {
		u32 k;

		for (k = 0; i != IPO_RGN_CTX && env.buf[i] && k < env.len[i];
		     k++)
			res->mem_hash = (res->mem_hash ^ env.buf[i][k]) *
					0x100000001b3ULL;
	}
	test_env_free(&env);
	return ok;
}

/* Disassemble every valid instruction and assemble it again. */
static bool round_trip(const struct ipo_asm_prog *ap, char *why, size_t sz)
{
	char text[IPO_DISASM_LINE];
	struct ipo_insn out[2];
	struct ipo_asm_err err;
	const char *what;
	u32 pc, n;
	int got;

	for (pc = 0; pc < ap->len; pc += n) {
		n = 1;
		if (ipo_insn_check(&ap->insns[pc], &what))
			continue;
		n = ipo_disasm_insn(ap->insns, ap->len, pc, text, sizeof(text));
		if (ipo_opinfo[ap->insns[pc].code].kind == IPO_K_LDDW &&
		    (n != 2 || ap->insns[pc + 1].code ||
		     ap->insns[pc + 1].dst || ap->insns[pc + 1].src ||
		     ap->insns[pc + 1].off))
			continue;
		got = ipo_asm_line(text, out, &err);
		if (got != (int)n) {
			snprintf(why, sz, "insn %u \"%s\": %s", pc, text,
				 got < 0 ? err.msg : "slot count differs");
			return false;
		}
		if (memcmp(out, &ap->insns[pc], sizeof(out[0]) * n) ||
		    (n == 2 && out[1].imm != ap->insns[pc + 1].imm)) {
			snprintf(why, sz, "insn %u \"%s\" assembles differently",
				 pc, text);
			return false;
		}
	}
	return true;
}

static bool pc_listed(const u32 *pcs, u32 nr, u32 pc)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (pcs[i] == pc)
			return true;
	return false;
}

/*
 * Do exactly the instructions of "checked:" carry a run-time check, of
 * those exactly the ones of "full:" the full one, exactly the jumps of
 * "fenced:" a fence, and exactly those of each speculation key its mark?
 */
static bool rt_checks_match(const struct corpus_case *c,
			    const struct ipo_prog *prog, char *why, size_t sz)
{
	u32 pc, k;

	for (pc = 0; pc < prog->len; pc++) {
		u16 fl = prog->aux[pc].flags;
		bool want = pc_listed(c->rt, c->nr_rt, pc);
		bool full = pc_listed(c->full, c->nr_full, pc);

		for (k = 0; k < ARRAY_SIZE(corpus_spec_keys); k++) {
			bool listed = pc_listed(c->spec[k], c->nr_spec[k], pc);

			if (c->check_spec[k] &&
			    corpus_spec_keys[k].has(fl) != listed) {
				snprintf(why, sz, "instruction %u %s %s", pc,
					 listed ? "lacks" : "has",
					 corpus_spec_keys[k].what);
				return false;
			}
		}
		for (k = 0; k < c->nr_spec[SPEC_MASKED]; k++) {
			if (c->spec[SPEC_MASKED][k] != pc || !c->valid[k] ||
			    prog->aux[pc].spec_valid == c->valid[k])
				continue;
			snprintf(why, sz,
				 "instruction %u is masked at %u valid offsets, not %u",
				 pc, prog->aux[pc].spec_valid, c->valid[k]);
			return false;
		}

		if (c->check_rt && !!(fl & IPO_AUX_RT_CHECK) != want) {
			snprintf(why, sz, "instruction %u %s a run-time check",
				 pc, want ? "lacks" : "has");
			return false;
		}
		if (c->check_full && (fl & IPO_AUX_RT_CHECK) &&
		    !!(fl & IPO_AUX_RT_FULL) != full) {
			snprintf(why, sz, "instruction %u %s the full check",
				 pc, full ? "lacks" : "has");
			return false;
		}
		if (c->check_full && full && !(fl & IPO_AUX_RT_CHECK)) {
			snprintf(why, sz, "instruction %u in full: is not checked",
				 pc);
			return false;
		}
		if (c->check_fence &&
		    !!(fl & (IPO_AUX_FENCE_TAKEN | IPO_AUX_FENCE_FALL)) !=
		    pc_listed(c->fence, c->nr_fence, pc)) {
			snprintf(why, sz, "instruction %u %s a fence", pc,
				 pc_listed(c->fence, c->nr_fence, pc) ?
				 "lacks" : "has");
			return false;
		}
	}
	return true;
}

static void case_run_one(struct corpus_case *c)
{
	struct ipo_prog_type type = *test_prog_type(c->kind);
	struct ipo_vlog log = { .buf = corpus_log, .size = CORPUS_LOG };
	struct ipo_prog prog = { .type = &type };
	struct ipo_asm_prog ap;
	struct ipo_asm_err aerr;
	char title[400], why[300] = "";
	const char *line = NULL;
	long want_at = c->at, idx;
	bool ok = true;
	u32 i;
	int err;

	snprintf(title, sizeof(title), "%s:%u: %s%s%s", c->file, c->line,
		 c->name, c->note[0] ? " # " : "", c->note);
	if (corpus.filter && !strstr(title, corpus.filter))
		return;
	if (c->expect == EXP_REJECT)
		corpus.nr_reject++;
	else
		corpus.nr_accept++;

	if (!c->bad[0] && c->expect == EXP_NONE)
		snprintf(c->bad, sizeof(c->bad), "no expect: line");
	if (c->bad[0]) {
		tap_ok(false, "%s", title);
		printf("#   case: %s\n", c->bad);
		return;
	}
	for (i = 0; i < IPO_NR_REGIONS; i++) {
		if (c->region_set[i])
			type.regions[i] = c->region[i];
		if (!c->len_set[i])
			c->len[i] = i == IPO_RGN_MEM ? 16 :
				    i == IPO_RGN_OBJ ?
				    type.regions[i].min_size :
				    i == IPO_RGN_ARG || i == IPO_RGN_OUT ?
				    16 : 0;
	}
	if (!test_env_fits(&type, c->kind, c->len, why, sizeof(why))) {
		tap_ok(false, "%s", title);
		printf("#   case: %s\n", why);
		return;
	}
	if (ipo_asm(c->body ? c->body : "", c->body_line, &ap, &aerr)) {
		tap_ok(false, "%s", title);
		printf("#   asm: line %u: %s\n", aerr.line, aerr.msg);
		return;
	}
	if (c->mark_line) {
		for (i = 0; i < ap.len && ap.lines[i] != c->mark_line; i++)
			;
		want_at = i;
	}

	/* An empty program still has an address, like a loader would pass. */
	prog.insns = ap.insns ? ap.insns : (const struct ipo_insn *)"";
	prog.len = ap.len;
	prog.aux = calloc(ap.len ? ap.len : 1, sizeof(*prog.aux));
	if (!prog.aux) {
		perror("ipo-corpus");
		exit(2);
	}
	corpus_log[0] = 0;
	err = ipo_verify(&prog, &log);

	if (c->expect == EXP_REJECT) {
		if (!err || prog.verified) {
			snprintf(why, sizeof(why),
				 "VERIFIER ACCEPTED a program that must be rejected");
			ok = false;
		} else {
			idx = log_find(corpus_log, c->frag, &line);
			if (idx == -1) {
				snprintf(why, sizeof(why),
					 "log lacks \"%s\"", c->frag);
				ok = false;
			} else if (idx == -2) {
				snprintf(why, sizeof(why),
					 "log line with \"%s\" names no instruction",
					 c->frag);
				ok = false;
			} else if (idx >= (long)ap.len && want_at < 0) {
				snprintf(why, sizeof(why),
					 "log names instruction %ld of %u",
					 idx, ap.len);
				ok = false;
			} else if (want_at >= 0 && idx != want_at) {
				snprintf(why, sizeof(why),
					 "log names instruction %ld, want %ld",
					 idx, want_at);
				ok = false;
			}
		}
	} else if (err || !prog.verified) {
		snprintf(why, sizeof(why), "VERIFIER REJECTED a safe program (%d)",
			 err);
		ok = false;
	} else if (c->check_mmio &&
		   (prog.mmio.const_end != c->mmio.const_end ||
		    prog.mmio.widths != c->mmio.widths ||
		    prog.mmio.var != c->mmio.var)) {
		snprintf(why, sizeof(why),
			 "mmio use: end 0x%x widths 0x%x var %d, want 0x%x 0x%x %d",
			 prog.mmio.const_end, prog.mmio.widths, prog.mmio.var,
			 c->mmio.const_end, c->mmio.widths, c->mmio.var);
		ok = false;
	} else if (!rt_checks_match(c, &prog, why, sizeof(why))) {
		ok = false;
	} else {
		struct corpus_result res[ARRAY_SIZE(corpus_engines)];
		int first = -1;

		for (i = 0; ok && i < ARRAY_SIZE(corpus_engines); i++) {
			if (!corpus.use[i])
				continue;
			ok = case_run(c, &prog, &corpus_engines[i], want_at,
				      &res[i], why, sizeof(why));
			if (ok && first < 0)
				first = i;
			else if (ok)
				ok = results_match(&res[first], &res[i],
						   &corpus_engines[first],
						   &corpus_engines[i], why,
						   sizeof(why));
		}
		if (corpus.seed_dir)
			write_seed(c, &ap);
	}
	if (ok && !round_trip(&ap, why, sizeof(why)))
		ok = false;

	tap_ok(ok, "%s", title);
	if (!ok) {
		printf("#   %s\n", why);
		diag_lines("log: ", corpus_log);
	} else if (corpus.verbose) {
		diag_lines("log: ", corpus_log);
	}
	free(prog.aux);
	ipo_asm_free(&ap);
}

static void case_init(struct corpus_case *c, const char *file, u32 line,
		      const char *name)
{
	memset(c, 0, sizeof(*c));
	c->file = file;
	c->line = line;
	c->at = -1;
	c->fuel = CORPUS_FUEL;
	c->kind = TEST_MEM;
	snprintf(c->name, sizeof(c->name), "%s", name);
}

static int run_file(const char *path)
{
	struct corpus_case c;
	bool have = false;
	char buf[1024];
	u32 line = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		tap_ok(false, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		char *s = trim(buf), *colon;

		line++;
		if (*s == '#') {
			s = trim(s + 1);
			colon = strchr(s, ':');
			if (!colon)
				continue;	/* a comment */
			*colon = 0;
			if (!strcmp(s, "name")) {
				if (have) {
					case_run_one(&c);
					case_free(&c);
				}
				case_init(&c, path, line, trim(colon + 1));
				have = true;
			} else if (have && !c.body) {
				case_header(&c, trim(s), trim(colon + 1));
			}
			continue;
		}
		if (!have || (!*s && !c.body))
			continue;
		if (!c.body)
			c.body_line = line;
		if (strstr(s, ";") && !strncmp(trim(strchr(s, ';') + 1), "<-",
					       2))
			c.mark_line = line;
		case_append(&c, s);
	}
	if (have) {
		case_run_one(&c);
		case_free(&c);
	}
	fclose(f);
	return 0;
}

/* Accepted programs become fuzzer seeds (test_fuzz_hdr_make()). */
static void write_seed(const struct corpus_case *c,
		       const struct ipo_asm_prog *ap)
{
	u8 hdr[TEST_FUZZ_HDR];
	char path[512];
	FILE *f;

	test_fuzz_hdr_make(hdr, c->kind, c->len);
	snprintf(path, sizeof(path), "%s/corpus-%03u", corpus.seed_dir,
		 corpus.seeds++);
	f = fopen(path, "wb");
	if (!f || fwrite(hdr, 1, sizeof(hdr), f) != sizeof(hdr) ||
	    fwrite(ap->insns, sizeof(*ap->insns), ap->len, f) != ap->len) {
		fprintf(stderr, "ipo-corpus: cannot write %s\n", path);
		exit(2);
	}
	fclose(f);
}

/* Verifies @insns and checks that it is rejected naming insn @at. */
static bool gen_reject(const struct ipo_insn *insns, u32 len, u32 at,
		       enum test_kind kind, char *why, size_t sz)
{
	struct ipo_vlog log = { .buf = corpus_log, .size = CORPUS_LOG };
	struct ipo_insn_aux aux[8] = { 0 };
	struct ipo_prog prog = {
		.insns = insns, .len = len, .type = test_prog_type(kind),
		.aux = aux,
	};
	char *end;
	long idx;

	corpus_log[0] = 0;
	if (!ipo_verify(&prog, &log) || prog.verified) {
		snprintf(why, sz, "accepted");
		return false;
	}
	idx = strtol(corpus_log, &end, 10);
	if (end == corpus_log || *end != ':' || idx != at) {
		snprintf(why, sz, "log does not start with \"%u:\": %.80s",
			 at, corpus_log);
		return false;
	}
	return true;
}

static const char *const class_names[8] = {
	"LD", "LDX", "ST", "STX", "ALU", "JMP", "JMP32", "ALU64",
};

/* Every opcode the table marks invalid is rejected, at its index. */
static void gen_opcode_space(void)
{
	u32 cls, op, n, bad;
	char why[200], first[240];

	for (cls = 0; cls < 8; cls++) {
		n = bad = 0;
		first[0] = 0;
		for (op = cls; op < 256; op += 8) {
			struct ipo_insn p[3] = {
				{ .code = IPO_ALU64 | IPO_MOV, .dst = 0 },
				{ .code = op },
				{ .code = IPO_JMP | IPO_EXIT },
			};

			if (ipo_opinfo[op].kind != IPO_K_INVALID)
				continue;
			n++;
			if (!gen_reject(p, 3, 1, TEST_MEM, why, sizeof(why))) {
				if (!bad++)
					snprintf(first, sizeof(first),
						 "opcode 0x%02x: %s", op, why);
			}
		}
		tap_ok(!bad, "generated: all %u invalid %s opcodes rejected", n,
		       class_names[cls]);
		if (bad)
			printf("#   %u failed, first %s\n", bad, first);
	}
}

/*
 * Register fields: dst or src 11..15 on every valid opcode, and every ALU
 * and byte-swap opcode writing r10.
 */
static void gen_registers(void)
{
	static const char *const what[] = {
		"dst register 11..15", "src register 11..15",
		"ALU or byte swap writing r10", "load into r10",
	};
	u32 w, op, reg, n, bad;
	char why[200], first[240];

	for (w = 0; w < ARRAY_SIZE(what); w++) {
		n = bad = 0;
		first[0] = 0;
		for (op = 0; op < 256; op++) {
			const struct ipo_opinfo *oi = &ipo_opinfo[op];

			if (oi->kind == IPO_K_INVALID ||
			    oi->kind == IPO_K_LDDW)
				continue;
			if (w == 1 && (!(oi->flags & IPO_OPF_SRCX) ||
				       oi->kind == IPO_K_CALLX))
				continue;
			if (w == 2 && oi->kind != IPO_K_ALU &&
			    oi->kind != IPO_K_END)
				continue;
			if (w == 3 && oi->kind != IPO_K_LDX)
				continue;
			for (reg = w < 2 ? 11 : 10; reg < 16; reg++) {
				struct ipo_insn p[4] = {
					{ .code = IPO_ST | IPO_MEM | IPO_DW,
					  .dst = IPO_FP, .off = -8 },
					{ .code = IPO_ALU64 | IPO_MOV,
					  .dst = 1 },
					{ .code = op, .imm = 0 },
					{ .code = IPO_JMP | IPO_EXIT },
				};

				if (w == 0)
					p[2].dst = reg;
				else if (w == 1)
					p[2].src = reg;
				else
					p[2].dst = IPO_FP;
				if (oi->kind == IPO_K_END)
					p[2].imm = 16;
				if (w == 3)
					p[2].src = IPO_FP, p[2].off = -8;
				n++;
				if (!gen_reject(p, 4, 2, TEST_MEM, why,
						sizeof(why)) && !bad++)
					snprintf(first, sizeof(first),
						 "opcode 0x%02x reg %u: %s",
						 op, reg, why);
				if (w >= 2)
					break;
			}
		}
		tap_ok(!bad, "generated: %s rejected (%u programs)", what[w], n);
		if (bad)
			printf("#   %u failed, first %s\n", bad, first);
	}
}

/*
 * Red team: a loop's re-verification must not lose the states kept for
 * edges that enter its body from before the header, not even when the
 * verifier's memory budget runs out in the middle of it.  n filler
 * branches before an outer loop enter its body at n places (side entries,
 * so n states are kept while it is open); a path with r3 == 60000 enters
 * the inner loop's body with r6 = the mem pointer and leaves at once, so
 * "r0 = r6" must stay rejected for every n (once the budget is exhausted
 * the honest answer is "too complex", never "accepted").  The n where the
 * budget is first hit is found by bisection, so the case needs no
 * knowledge of the budget or of the size of a state.
 */
static int gen_budget_prog(u32 n, struct ipo_insn **out, u32 *len)
{
	u32 o = 67 + n, p = o + 1 + n, i;
	struct ipo_insn *insn = calloc(p + 10, sizeof(*insn));

	if (!insn)
		return -ENOMEM;
	for (i = 0; i < 64; i++)
		insn[i] = (struct ipo_insn){ .code = IPO_ST | IPO_MEM | IPO_DW,
					     .dst = IPO_FP, .off = -8 * (i + 1) };
#define MOVX(d, s) ((struct ipo_insn){ .code = IPO_ALU64 | IPO_X | IPO_MOV, \
				       .dst = (d), .src = (s) })
#define MOVK(d, k) ((struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV, \
				       .dst = (d), .imm = (k) })
	insn[64] = MOVX(3, 2);
	insn[65] = MOVX(6, 1);
	insn[66] = MOVK(7, 100);
	for (i = 0; i < n; i++)		/* if r3 == 5 goto fill_i */
		insn[67 + i] = (struct ipo_insn){ .code = IPO_JMP | IPO_JEQ,
						  .dst = 3, .off = (s16)n,
						  .imm = 5 };
	insn[o] = MOVK(0, 0);					/* outer: */
	for (i = 0; i < n; i++)					/* fill_i: */
		insn[o + 1 + i] = MOVK(0, 0);
	insn[p] = (struct ipo_insn){ .code = IPO_JMP | IPO_JEQ, .dst = 3,
				     .off = 4, .imm = 60000 };	/* goto x */
	insn[p + 1] = MOVK(7, 0);
	insn[p + 2] = MOVK(6, 0);				/* top: */
	insn[p + 3] = (struct ipo_insn){ .code = IPO_JMP | IPO_JNE, .dst = 7 };
	insn[p + 4] = MOVK(0, 0);
	insn[p + 5] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_ADD,
					 .dst = 7, .imm = 1 };	/* x: */
	insn[p + 6] = (struct ipo_insn){ .code = IPO_JMP | IPO_JLT, .dst = 7,
					 .off = -5, .imm = 5 };	/* goto top */
	insn[p + 7] = MOVX(0, 6);
	insn[p + 8] = (struct ipo_insn){ .code = IPO_JMP | IPO_EXIT };
	insn[p + 9] = (struct ipo_insn){ .code = IPO_JMP32 | IPO_JA,
					 .imm = (s32)o - (s32)(p + 10) };
#undef MOVX
#undef MOVK
	*out = insn;
	*len = p + 10;
	return 0;
}

/* 0: rejected for R6 (budget not hit), 1: accepted, 2: rejected otherwise. */
static int gen_budget_try(u32 n, char *why, size_t sz)
{
	struct ipo_vlog log = { .buf = corpus_log, .size = CORPUS_LOG };
	struct ipo_prog prog = { .type = test_prog_type(TEST_MEM) };
	struct ipo_insn *insns;
	int err, ret;

	if (gen_budget_prog(n, &insns, &prog.len))
		return 2;
	prog.insns = insns;
	prog.aux = calloc(prog.len, sizeof(*prog.aux));
	corpus_log[0] = 0;
	err = prog.aux ? ipo_verify(&prog, &log) : -ENOMEM;
	if (!err)
		ret = 1;
	else
		ret = strstr(corpus_log, "R6 !read_ok") ? 0 : 2;
	snprintf(why, sz, "n=%u: %s", n, err ? corpus_log : "accepted");
	free(prog.aux);
	free(insns);
	return ret;
}

static void gen_budget_retry(void)
{
	u32 lo = 0, hi = 1U << 14, n;
	char why[240] = "";
	bool bad = false;
	int r;

	/* r(lo) == 0, r(hi) != 0: find the first n that is not 0. */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		r = gen_budget_try(mid, why, sizeof(why));
		if (r == 1) {
			bad = true;
			break;
		}
		if (r == 0)
			lo = mid;
		else
			hi = mid;
	}
	for (n = hi > 2 ? hi - 2 : 0; !bad && n < hi + 3; n++)
		bad = gen_budget_try(n, why, sizeof(why)) == 1;
	tap_ok(!bad, "generated: redteam: loop re-verification keeps loop entry states under the state budget");
	if (bad)
		printf("#   %s\n", why);
}

/*
 * Red team: the pass must stay linear in the work it does, dead code
 * included.  K nested loops, each with a counter spilled to the stack, all
 * close after a long stretch of dead code; every restart of a loop re-runs
 * the pass from its header across that stretch, and the loops restart
 * 2^K times in all.  The visits the budget counts are only the live ones,
 * so without charging the dead stretch this takes seconds at K = 15 and
 * half an hour at K = 20 with a million instructions.  Either verdict is
 * fine; the work must be bounded: the case fails when verifying these
 * 100k instructions takes more than a second of CPU time (linear: a few
 * milliseconds).
 */

static void gen_dead_restarts(void)
{
	const u32 k = 15, d = 100000;
	u32 len = 1 + k + 1 + d + 1 + 5 * k + 2, i, pc = 0, end;
	struct ipo_insn *insn = calloc(len, sizeof(*insn));
	struct ipo_vlog log = { .buf = corpus_log, .size = CORPUS_LOG,
				.level = 1 };
	struct ipo_prog prog = { .type = test_prog_type(TEST_MEM) };
	clock_t t0;
	double cpu;
	int err;

	if (!insn)
		return;
	insn[pc++] = (struct ipo_insn){ .code = IPO_ST | IPO_MEM | IPO_DW,
					.dst = IPO_FP, .off = -8 };
	for (i = 1; i <= k; i++)				/* h_i: */
		insn[pc++] = i < k ?
			(struct ipo_insn){ .code = IPO_ST | IPO_MEM | IPO_DW,
					   .dst = IPO_FP,
					   .off = -8 * (s16)(i + 1) } :
			(struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
	end = pc + 1 + d;
	insn[pc] = (struct ipo_insn){ .code = IPO_JMP32 | IPO_JA,
				      .imm = (s32)(end - pc - 1) };
	pc++;
	for (i = 0; i < d; i++)
		insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
	insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };	/* end: */
	for (i = k; i >= 1; i--) {
		s16 off = -8 * (s16)i;

		insn[pc++] = (struct ipo_insn){ .code = IPO_LDX | IPO_MEM | IPO_DW,
						.src = IPO_FP, .off = off };
		insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_ADD,
						.imm = 1 };
		insn[pc++] = (struct ipo_insn){ .code = IPO_STX | IPO_MEM | IPO_DW,
						.dst = IPO_FP, .off = off };
		insn[pc++] = (struct ipo_insn){ .code = IPO_JMP | IPO_JGE,
						.off = 1, .imm = 3 };
		insn[pc] = (struct ipo_insn){ .code = IPO_JMP32 | IPO_JA,
					      .imm = (s32)i - (s32)pc - 1 };
		pc++;
	}
	insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
	insn[pc++] = (struct ipo_insn){ .code = IPO_JMP | IPO_EXIT };
	prog.insns = insn;
	prog.len = pc;
	prog.aux = calloc(pc, sizeof(*prog.aux));
	corpus_log[0] = 0;
	t0 = clock();
	err = prog.aux ? ipo_verify(&prog, &log) : -ENOMEM;
	cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	tap_ok((!err || err == -E2BIG || err == -EINVAL) && cpu < 1.0,
	       "generated: redteam: loop restarts across dead code stay linear");
	printf("#   %u insns, %.3f s CPU, %s", pc, cpu,
	       err ? corpus_log : "accepted\n");
	free(prog.aux);
	free(insn);
}

/*
 * Red team: per-function work must not scale with the whole program.  Main
 * holds H one-instruction loops and calls N two-instruction functions; work
 * over every loop header at each function makes this O(N * H): 40000 of
 * each took 2.8 s, a million-instruction program minutes.
 */
static void gen_many_funcs(void)
{
	const u32 n = 40000, h = 40000;
	u32 len = 1 + h + n + 1 + 2 * n, i, pc = 0, calls;
	struct ipo_insn *insn = calloc(len, sizeof(*insn));
	struct ipo_vlog log = { .buf = corpus_log, .size = CORPUS_LOG };
	struct ipo_prog prog = { .type = test_prog_type(TEST_MEM) };
	clock_t t0;
	double cpu;
	int err;

	if (!insn)
		return;
	insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
	for (i = 0; i < h; i++)		/* if r0 == 5 goto self */
		insn[pc++] = (struct ipo_insn){ .code = IPO_JMP | IPO_JEQ,
						.off = -1, .imm = 5 };
	calls = pc;
	for (i = 0; i < n; i++, pc++)
		insn[pc] = (struct ipo_insn){ .code = IPO_JMP | IPO_CALL,
					      .src = IPO_PSEUDO_CALL,
					      .imm = (s32)(calls + n + 1 + 2 * i -
							   pc - 1) };
	insn[pc++] = (struct ipo_insn){ .code = IPO_JMP | IPO_EXIT };
	for (i = 0; i < n; i++) {
		insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
		insn[pc++] = (struct ipo_insn){ .code = IPO_JMP | IPO_EXIT };
	}
	prog.insns = insn;
	prog.len = pc;
	prog.aux = calloc(pc, sizeof(*prog.aux));
	corpus_log[0] = 0;
	t0 = clock();
	err = prog.aux ? ipo_verify(&prog, &log) : -ENOMEM;
	cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	tap_ok(!err && cpu < 1.0,
	       "generated: redteam: many functions and many loops stay linear");
	printf("#   %u insns, %.3f s CPU, %s", pc, cpu,
	       err ? corpus_log : "accepted\n");
	free(prog.aux);
	free(insn);
}

/*
 * Red team: a full level-2 log must stop costing time.  Formatting every
 * visited state into a log that already dropped everything cost about 8 us
 * an instruction, minutes for a program that uses its visit budget.
 */
static void gen_log_full(void)
{
	const u32 n = 300000;
	u32 pc = 0, i;
	struct ipo_insn *insn = calloc(n + 66, sizeof(*insn));
	struct ipo_vlog log = { .buf = corpus_log, .size = CORPUS_LOG,
				.level = 2 };
	struct ipo_prog prog = { .type = test_prog_type(TEST_MEM) };
	clock_t t0;
	double cpu;
	int err;

	if (!insn)
		return;
	insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
	for (i = 1; i <= 64; i++)	/* 64 slots to print in every state */
		insn[pc++] = (struct ipo_insn){ .code = IPO_ST | IPO_MEM | IPO_DW,
						.dst = IPO_FP,
						.off = -8 * (s16)i };
	for (i = 0; i < n; i++)
		insn[pc++] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_ADD,
						.imm = 1 };
	insn[pc++] = (struct ipo_insn){ .code = IPO_JMP | IPO_EXIT };
	prog.insns = insn;
	prog.len = pc;
	prog.aux = calloc(pc, sizeof(*prog.aux));
	t0 = clock();
	err = prog.aux ? ipo_verify(&prog, &log) : -ENOMEM;
	cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
	tap_ok(!err && log.truncated && cpu < 0.5,
	       "generated: redteam: a full level-2 log costs no more time");
	printf("#   %u insns, %.3f s CPU\n", pc, cpu);
	free(prog.aux);
	free(insn);
}

/*
 * A killed loader's PROG_LOAD ends with EINTR in the verifier and in the
 * JIT; on the host, ipo_host_stop stands in for the fatal signal (the VM's
 * vload_test kills real loaders in the middle of both).
 */
static void gen_stop(void)
{
	const u32 n = 100000;
	struct ipo_insn *insn = calloc(n, sizeof(*insn));
	struct ipo_vlog log = { .buf = corpus_log, .size = CORPUS_LOG };
	struct ipo_prog prog = { .type = test_prog_type(TEST_MEM) };
	struct ipo_jit_image img;
	int stopped, ok, jit = -1;
	u32 i;

	if (!insn)
		return;
	for (i = 0; i < n - 1; i++)
		insn[i] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
	insn[n - 1] = (struct ipo_insn){ .code = IPO_JMP | IPO_EXIT };
	prog.insns = insn;
	prog.len = n;
	prog.aux = calloc(n, sizeof(*prog.aux));
	corpus_log[0] = 0;
	WRITE_ONCE(ipo_host_stop, 1);
	stopped = prog.aux ? ipo_verify(&prog, &log) : -ENOMEM;
	WRITE_ONCE(ipo_host_stop, 0);
	ok = prog.aux ? ipo_verify(&prog, &log) : -ENOMEM;
	if (!ok) {
		WRITE_ONCE(ipo_host_stop, 1);
		jit = ipo_jit_compile(&prog, &ipo_jit_host_mem, &img);
		WRITE_ONCE(ipo_host_stop, 0);
		if (!jit)
			ipo_jit_free(&img);
	}
	tap_ok(stopped == -EINTR && !ok && jit == -EINTR &&
	       strstr(corpus_log, "interrupted"),
	       "generated: a stop request ends verification and compilation with EINTR");
	printf("#   verify %d, then %d, jit %d: %s", stopped, ok, jit,
	       corpus_log);
	free(prog.aux);
	free(insn);
}

/*
 * The JIT stops as soon as the image outgrows what its code memory can
 * take (the module's pool is 1 MiB), instead of building a 64 MiB image
 * of a million divisions only to have it refused.
 */
static void gen_jit_max(void)
{
	const u32 n = 1U << 20;
	struct ipo_insn *insn = calloc(n, sizeof(*insn));
	struct ipo_prog prog = { .type = test_prog_type(TEST_MEM) };
	struct ipo_jit_mem mem = ipo_jit_host_mem;
	struct ipo_jit_image img;
	int err = -1, jit = -1;
	u32 i;

	if (!insn)
		return;
	insn[0] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_MOV };
	for (i = 1; i < n - 1; i++)		/* r0 /= r2 */
		insn[i] = (struct ipo_insn){ .code = IPO_ALU64 | IPO_X | IPO_DIV,
					     .src = 2 };
	insn[n - 1] = (struct ipo_insn){ .code = IPO_JMP | IPO_EXIT };
	prog.insns = insn;
	prog.len = n;
	prog.aux = calloc(n, sizeof(*prog.aux));
	if (prog.aux)
		err = ipo_verify(&prog, NULL);
	mem.max_size = 1U << 20;
	if (!err)
		jit = ipo_jit_compile(&prog, &mem, &img);
	if (!jit)
		ipo_jit_free(&img);
	tap_ok(!err && jit == -E2BIG,
	       "generated: the JIT gives up past its code memory's max_size");
	printf("#   verify %d, jit %d\n", err, jit);
	free(prog.aux);
	free(insn);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ipo-corpus [--engine interp|jit|both] [--filter TEXT] [-v]\n"
		"                  [--emit-seeds DIR] [--no-generated] FILE.t...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "engine", required_argument, NULL, 'e' },
		{ "filter", required_argument, NULL, 'f' },
		{ "emit-seeds", required_argument, NULL, 's' },
		{ "no-generated", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	const char *engine = "interp";
	bool generated = true;
	u32 i;
	int c;

	while ((c = getopt_long(argc, argv, "e:f:s:nv", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			engine = optarg;
			break;
		case 'f':
			corpus.filter = optarg;
			break;
		case 's':
			corpus.seed_dir = optarg;
			break;
		case 'n':
			generated = false;
			break;
		case 'v':
			corpus.verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind == argc)
		usage();
	for (i = 0; i < ARRAY_SIZE(corpus_engines); i++) {
		if (strcmp(engine, "both") && strcmp(engine,
						     corpus_engines[i].name))
			continue;
		if (!corpus_engines[i].run) {
			fprintf(stderr, "ipo-corpus: engine %s not built\n",
				corpus_engines[i].name);
			return 2;
		}
		corpus.use[i] = true;
	}
	for (i = 0; i < ARRAY_SIZE(corpus_engines) && !corpus.use[i]; i++)
		;
	if (i == ARRAY_SIZE(corpus_engines))
		usage();

	tap_start();
	for (; optind < argc; optind++)
		run_file(argv[optind]);
	if (generated && !corpus.filter) {
		gen_opcode_space();
		gen_registers();
		gen_budget_retry();
		gen_dead_restarts();
		gen_many_funcs();
		gen_log_full();
		gen_stop();
		gen_jit_max();
	}
	tap_diag("%u accept and %u reject cases from files, %u failed of %u",
		 corpus.nr_accept, corpus.nr_reject, tap_failures(),
		 tap_count());
	return tap_end();
}
