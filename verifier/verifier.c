// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The verifier: proves a program safe to run before anything runs it.
 *
 * Two stages.  A structural pre-scan checks every instruction against the
 * opcode table, finds the functions (bpf-to-bpf call targets), checks jump
 * targets, builds the call graph (acyclic, at most IPO_MAX_CALL_DEPTH
 * frames) and finds the loop headers (targets of back edges).  Then one
 * forward pass per function, in instruction order, interprets the program
 * over abstract states (register types, known bits, ranges, the frame's
 * bytes) and joins the states of all edges that meet at a jump target.
 *
 * Loops.  The pass is single-forward, so the state at a loop header must
 * be fixed before the body is visited.  The first attempt uses the state
 * that arrives from before the loop.  Every back edge then has to be
 * contained in (⊑) the header's state; if it is, the header state is an
 * invariant of the loop and the body's analysis holds for every iteration.
 * If it is not, the header state is widened (anything that changed becomes
 * unknown: scalar ranges are dropped, pointer offsets become fully
 * variable, type conflicts become unreadable) and the body is analysed
 * again from the header.  A header's first widening moves a scalar's
 * grown bounds only to the nearest constant its register is tested
 * against in the loop (the exit test of a counted loop), see
 * ipo_widen_thresh().  Each header gets IPO_LOOP_ATTEMPTS attempts;
 * widening reaches its top in four steps (threshold, range, then unknown,
 * then unreadable), so a loop that still does not fit is rejected with the
 * first register or stack slot that escapes.  A second attempt re-visits
 * the body from the header, so every edge from inside the loop comes
 * again; only an edge that enters the body from before the header of a
 * loop around its target (a side entry, found by the pre-scan's
 * innermost-loop map) would be lost, so the state of such a target is
 * kept until the pass leaves the loop, and only that one: keeping every
 * branch state of a loop body held one state per instruction of the body.
 * Termination at run time is not the verifier's business: fuel, charged
 * at back edges, bounds it.
 *
 * Limits.  A load must not pin unbounded kernel memory or CPU time, and a
 * killed loader must stop at once.  Every allocation of the pass goes
 * through ipo_valloc(), which counts what the allocator really hands out
 * (ipo_alloc_size(): slab buckets, page rounding) against a budget that
 * grows with the program: IPO_MEM_BASE, IPO_MEM_PER_INSN per instruction
 * and IPO_MEM_PER_FUNC per function, never more than IPO_MEM_MAX.
 * Running out rejects the program (E2BIG, "verifier memory limit"); the
 * states waiting at the targets of pending forward edges are what an
 * adversary can multiply, one full state (some 5 KiB, 8 KiB of slab) per
 * pending target.  Freed states are reused (they still count), so the
 * pass does not allocate at every jump target.  The work of the pass is
 * counted in units of about one instruction's visit: a visit is one; a
 * copy, join or containment test of a state costs in proportion to its
 * stack slots plus the registers and slots that differ
 * (ipo_state_cost()); a threshold scan in proportion to its loop.
 * Straight-line code costs one to a dozen units per instruction; loops
 * re-visit their bodies a bounded number of times and nested loops
 * multiply that, so a program may spend IPO_WORK_FACTOR units per
 * instruction but never more than IPO_WORK_MAX in all (E2BIG, "work
 * limit"): a few tenths of a second whatever its shape.  Every
 * IPO_CHECK_EVERY units, and every IPO_SCAN_CHECK instructions of the
 * pre-scans, the pass yields the CPU and stops with -EINTR if the loader
 * got a fatal signal.  The limits depend on nothing but the program (and,
 * for memory, on x86-64's allocator buckets, which the host build models),
 * so the host and the module give the same verdict.
 *
 * Functions.  Each function is verified once, callers before callees (a
 * topological order of the acyclic call graph).  A callee's entry state is
 * the join of r1..r5 over every reachable call site, and it knows of the
 * region sizes the least any call site knew (sizes are fixed for the run,
 * and each was learned on a fenced edge before the call).  A pointer to
 * the caller's stack is passed as a window: the bytes from the pointer up
 * to the first spilled pointer or the frame's top, and of them those the
 * caller had written (the callee's entry keeps the smallest window and
 * the bytes every call site had written, in struct ipo_func.win).  The
 * callee reads written bytes and writes data, at constant offsets through
 * the register the caller passed (not moved by a register, so the JIT
 * needs no mask and no frame base), and may pass the window on; after
 * the call the caller's window bytes are "maybe written": data stays
 * data, a spilled scalar becomes data, an unwritten byte stays
 * unwritten, and no spilled pointer was in reach.  A stack pointer that
 * cannot be passed so (moved by a register, at a variable offset, onto a
 * spilled pointer) arrives unreadable, and a read says why.  r6..r9
 * survive every call.  A callee returns an unknown scalar in r0, unless
 * some path through it may leave without setting r0 (a void function,
 * found by a must-analysis over its instructions, callees first: see
 * ipo_check_returns()): then its exits need no r0 and its callers get r0
 * unreadable, so no caller reads what it left there.  The main function
 * must exit with an initialised scalar.
 *
 * Helper memory arguments (MEM_RO/MEM_RW + SIZE) must be proved in bounds
 * statically, also for regions with IPO_RGNF_DYN: the helper gets no
 * run-time check from us.  Stack memory passed to helpers must be
 * initialised (MEM_RO) and may not contain spilled pointers.
 *
 * Run-time checks.  An access to a region that cannot be proved inside
 * [0, min_size) is accepted only for IPO_RGNF_DYN regions and marked
 * IPO_AUX_RT_CHECK; the executor checks (u64)(addr - base) against the
 * region's size.  The report (report.c) says why for each, from the
 * last visit that needed it, with the test that would prove it, after
 * its function is verified: notes in the log (level >= 1, or
 * ipo_vlog.notes), or, for a strict program (ipo_prog.strict,
 * IPO_PROG_STRICT), the rejection at the first one; loops only fuel
 * ends are reported the same way (see "Loop facts").  That check is relative to the region's base, so pointer
 * offsets may grow without bound (e.g. after widening) without weakening
 * it.  Every visit of a region access whose offset is not a constant or
 * was moved by a register (see Speculation), or whose whole span (lowest
 * byte to one past the highest) is not provably inside [0, IPO_PTR_BOUND],
 * also sets IPO_AUX_RT_FULL.  A checked access
 * without it is, on every path, at a constant address at or above the
 * base that has not wrapped (struct ipo_run), with no index that
 * speculation past a branch could move below the base, and the JIT checks
 * it against the region's end alone.  Comparisons of two pointers, which
 * compare absolute addresses, are allowed only when both offsets are
 * provably within IPO_PTR_BOUND, where no address can wrap and the result
 * depends on the offsets alone.  A pointer tested against 0 (64-bit == or
 * !=) is decided, not compared: region bases are real memory (struct
 * ipo_run), so with its offset between the region's start and
 * IPO_PTR_BOUND it is never NULL.
 * Atomics must be provably naturally aligned (regions and the stack are
 * assumed 8-byte aligned at their base).
 *
 * Sizes learned from tests.  A context field or entry register the program
 * type describes with size_of holds exactly a region's run-time size (the
 * executor sets both from one value, and neither changes during a run).
 * Loaded (full width, zero-extended) or copied whole, the scalar carries
 * that tag; any other operation on it drops it.  When a conditional jump
 * leaves a tagged scalar with umin >= N on one edge, the state of that edge
 * records size_min[region] >= N, and accesses (and helper memory) provably
 * inside [0, N) need no run-time check: the packet-bounds idea, for sizes.
 * Joins keep the smaller bound, containment at a loop header needs the
 * header's bound to be no larger, and a function starts knowing nothing.
 * The edge that learned a bound is marked (IPO_AUX_FENCE_TAKEN/FALL): a
 * mispredicted test must not let the CPU run ahead, with a smaller region,
 * into accesses that now go unchecked, so the JIT fences the edge.
 * A size shifted right by a constant (`ctx->arg_size / 8`) stays tagged,
 * as size >> size_sh.
 *
 * Size relations.  A test of a scalar against a size (or against a value
 * with a relation) leaves it with one on the edge where it holds: value +
 * rel_k <= size >> rel_sh (`i < ctx->arg_size`: i + 1 <= size).  It moves
 * with adds of constants that do not wrap, survives operations that only
 * lower an unsigned value (and, right shift, division, modulo), scales
 * into a finer unit by left shifts, and passes to a pointer into that
 * region from a fixed offset (ptr + i); it bounds the value by the
 * size's largest (the context field's max).  At a join, a side that does
 * not write a relation down has it when its range and the sizes it knows
 * imply it (an index 0 after `if (n == 0) return`).  An access through a
 * pointer whose relation covers it is proven, and marked
 * IPO_AUX_SPEC_DYN: its offset may lie past any size the verifier knows,
 * so the JIT masks it against the run-time size, not spec_valid.
 *
 * Speculation.  What a jump teaches holds on its edge only architecturally:
 * a CPU that mispredicts it runs on with the registers as they are.  Jumps
 * narrow scalars (and sizes, fenced) and nothing else, so a pointer is off
 * on such a path only through a register scalar added to or subtracted
 * from it; that marks the pointer IPO_VRF_MOVED.  An access through a
 * moved pointer, or at a variable offset, gets a mask in the JIT (regions,
 * IPO_AUX_SPEC_MASK, with the count of valid offsets proven on every
 * visit) or is made at its proven offset (stack and context,
 * IPO_AUX_SPEC_EXACT).  The edges followed are recorded (IPO_AUX_TAKEN,
 * IPO_AUX_FALLS): a jump that only goes one way is hard-wired, so no
 * misprediction enters an edge whose state was never checked.
 *
 * Stack arrays.  An access to the current frame at a variable offset
 * must be bounded inside the frame; it reads only data (every byte of the
 * range written, none of a spilled pointer) and writes only data (its
 * bytes maybe written after, a spill in reach broken).  The JIT keeps its
 * address inside the hull of every visit's range (IPO_AUX_SPEC_FRAME),
 * which each visit checks whole, so a mispredicted index reads only data.
 *
 * Loop facts.  A register or spilled value may carry a loop tag: equal to
 * what register or slot lorig held at loop lp's header on the current
 * pass, plus a delta in [dlo, dhi] (modulo 2^64).  Tags start at the
 * header (those of loops around it stay), move with adds, go with any
 * other change, survive joins with equal origins, and are dropped where
 * control leaves the loop's instructions.  At every back edge they say
 * which registers counted: one that stepped up by at least 1 on every
 * path back and is bounded there (value <= K, K + step without wrap)
 * strictly grows from the second pass on, so the loop ends without fuel
 * (at most the header's range + 2 passes); otherwise it relies on fuel,
 * which the report says, with why (a counter with no bound where it goes
 * back, one that does not move on some path, none at all).  On the first
 * pass, registers that stepped by exact amounts dp = s * dc from single
 * values at the entry give p = s * c + b at the header (a pointer
 * stepping beside its counter); widening keeps p within s times c's
 * range, which every later back edge must keep exactly (a broken relation
 * goes, with what the header took from it, for one more pass).  A
 * relation also gives the pointer c's size relation when s is c's unit.
 * Register bounds are widening thresholds too (`i < n`), on the first
 * three widenings.  And scalars copied (a mov, a spill and its fill)
 * share an id until either changes: a test that narrows one narrows all
 * its copies on that edge (the other edge starts from the state before).
 *
 * Files.  This one is the driver: ipo_verify() sets the budgets, runs the
 * pre-scan (prescan.c), then the pass over each function, which steps one
 * instruction at a time (insn.c; memory accesses in memory.c, calls in
 * calls.c) and meets the other edges at jump targets and loop headers
 * (loops.c), and reports what it leaves to run time (report.c).  states.c
 * holds the abstract states and the memory budget they come from, facts.c
 * the loop facts and size relations, scalar.c and tnum.c the scalar
 * domain, log.c the log and its messages; internal.h is what they share.
 * No two of them call each other, directly or around a circle.
 */
#include "internal.h"
#include "../base/disasm.h"

static void ipo_dump_state(struct ipo_env *env, u32 pc)
{
	struct ipo_vstate *st = env->cur;
	char line[IPO_DISASM_LINE];
	u32 i;

	ipo_disasm_insn(env->insns, env->len, pc, line, sizeof(line));
	ipo_vlog_printf(env->log, "%u: %s ;", pc, line);
	for (i = 0; i < IPO_NREGS; i++)
		if (st->r[i].type != IPO_VT_NOT_INIT)
			ipo_vlog_printf(env->log, " R%u=%s", i,
					ipo_rstr(env, 0, &st->r[i]));
	for (i = 0; i < st->nslots; i++) {
		const struct ipo_vslot *s = &st->s[i];

		if (ipo_slot_is_spill(s))
			ipo_vlog_printf(env->log, " fp-%u=%s", 8 * (i + 1),
					ipo_rstr(env, 0, &s->spill));
		else if (memchr(s->kind, IPO_SB_MISC, 8))
			ipo_vlog_printf(env->log, " fp-%u=misc", 8 * (i + 1));
	}
	for (i = 0; i < IPO_NR_REGIONS; i++)
		if (st->size_min[i])
			ipo_vlog_printf(env->log, " size(%s)>=%u",
					ipo_region_name(i), st->size_min[i]);
	ipo_vlog_printf(env->log, "\n");
}

static void ipo_entry_state(struct ipo_env *env, u32 f)
{
	const struct ipo_prog_type *type = env->type;
	struct ipo_vstate *st = env->cur;
	u32 i;

	ipo_state_set_nslots(st, 0);
	memset(st->size_min, 0, sizeof(st->size_min));
	if (f)
		memcpy(st->size_min, env->fn[f].size_min, sizeof(st->size_min));
	for (i = 0; i < IPO_NREGS; i++)
		ipo_reg_not_init(&st->r[i]);
	for (i = 0; i < 5; i++) {
		struct ipo_vreg *r = &st->r[IPO_R1 + i];

		if (f) {
			*r = env->fn[f].args[i];
		} else if (type->entry_region[i] != IPO_RGN_NONE &&
			   type->entry_region[i] < IPO_NR_REGIONS &&
			   type->entry_region[i] != IPO_RGN_STACK) {
			ipo_reg_ptr(r, type->entry_region[i], 0);
		} else if (type->entry_scalar[i]) {
			ipo_vreg_unknown(r);
			r->umax = type->entry_scalar_max[i];
			ipo_vreg_sync(r);
			if (type->entry_size_of[i] < IPO_NR_REGIONS)
				r->size_of = type->entry_size_of[i];
		}
	}
	ipo_reg_ptr(&st->r[IPO_FP], IPO_RGN_STACK, 0);
}

/*
 * Every IPO_CHECK_EVERY units of work: the CPU goes to others for a
 * moment, a killed loader stops (-EINTR), and a program over its work
 * limit is rejected (-E2BIG).
 */
static int ipo_check_limits(struct ipo_env *env, u32 pc)
{
	env->next_check = env->work + IPO_CHECK_EVERY;
	ipo_cond_resched();
	if (ipo_fatal_signal_pending())
		return -EINTR;
	if (env->work <= env->work_max)
		return 0;
	ipo_err(env, pc,
		"program too complex: work limit of %llu units reached (%u per insn, at most %u)",
		(unsigned long long)env->work_max, IPO_WORK_FACTOR,
		IPO_WORK_MAX);
	return -E2BIG;
}

static int ipo_verify_func(struct ipo_env *env, u32 f)
{
	struct ipo_func *fn = &env->fn[f];
	u32 pc = fn->start, next, i;
	int err = 0;

	env->func = f;
	env->live = true;
	/* Only this function's headers: per-function O(nhdr) was quadratic. */
	env->hfree = ipo_first_hdr(env, fn->start);
	env->restart_pc = IPO_NO_PC;
	ipo_entry_state(env, f);
	while (pc < fn->end) {
		if (env->open && pc > env->open_until) {
			ipo_release_kept(env);
			ipo_close_loops(env, pc);
			env->retrying = false;
		}
		if (env->fl[pc] & IPO_FL_LDDW2) {
			pc++;
			continue;
		}
		if (env->fl[pc] & IPO_FL_TARGET || env->restart_pc == pc) {
			err = ipo_enter_insn(env, pc);
			if (err)
				break;
		}
		/*
		 * Every step counts, dead instructions too: a loop restart
		 * walks the pass back over its whole body, live or not, so
		 * counting only live visits let restarts across long dead
		 * stretches cost O(restarts * length) unchecked.
		 */
		env->visits++;
		if (++env->work >= env->next_check) {
			err = ipo_check_limits(env, pc);
			if (err)
				break;
		}
		if (!env->live) {
			pc++;
			continue;
		}
		env->aux[pc].flags |= IPO_AUX_SEEN;
		/*
		 * A full log takes no more: formatting a state it would drop
		 * costs microseconds a visit, minutes for the visit budget.
		 */
		if (env->log && env->log->level >= 2 && !env->log->truncated)
			ipo_dump_state(env, pc);
		err = ipo_do_insn(env, pc, &next);
		if (err < 0)
			break;
		if (err > 0) {
			pc = env->restart_pc;
			err = 0;
			continue;
		}
		/* Falling out of a loop: its tags stay behind. */
		if ((env->fl[pc] & IPO_FL_LEND) && env->live)
			ipo_tags_strip(env, env->cur, next);
		pc = next;
	}
	if (err == -E2BIG && !env->logged)
		ipo_err(env, pc,
			"program too complex: verifier memory limit of %zu KiB reached",
			env->mem_max >> 10);
	ipo_release_kept(env);
	env->open = false;
	for (i = fn->start; env->nsaved && i < fn->end; i++)
		ipo_saved_drop(env, i);
	for (i = ipo_first_hdr(env, fn->start);
	     i < env->nhdr && env->hdr[i].pc < fn->end; i++) {
		if (!err && i >= env->hfree)
			ipo_loop_decide(env, i);
		ipo_state_free(env, env->hdr[i].w);
		env->hdr[i].w = NULL;
	}
	/* The function is verified: what it leaves to run time. */
	if (!err)
		err = ipo_report_func(env, f);
	env->no_retry = false;
	env->retrying = false;
	return err;
}

static int ipo_check_stack(struct ipo_env *env)
{
	s32 i;
	u32 j;

	for (i = env->nfn - 1; i >= 0; i--) {
		struct ipo_func *f = &env->fn[env->order[i]];
		u32 deepest = 0;

		for (j = 0; j < f->nedges; j++) {
			struct ipo_func *g =
				&env->fn[env->edges[f->edge0 + j].callee];

			if (g->chain > deepest)
				deepest = g->chain;
		}
		f->chain = ((f->depth + 15) & ~15U) + deepest;
		env->aux[f->start].stack_depth = f->depth;
		env->aux[f->start].flags |= IPO_AUX_SUBPROG;
	}
	env->prog->stack_depth = env->fn[0].chain;
	if (env->fn[0].chain > IPO_STACK_SIZE)
		return ipo_err(env, 0,
			       "combined stack size of calls is %u bytes, max %u",
			       env->fn[0].chain, IPO_STACK_SIZE);
	return 0;
}

static void ipo_env_free(struct ipo_env *env)
{
	u32 i;

	for (i = 0; env->nsaved && i < env->len; i++)
		ipo_saved_drop(env, i);
	if (env->hdr)
		for (i = 0; i < env->nhdr; i++)
			ipo_state_free(env, env->hdr[i].w);
	ipo_drop_spares(env);
	ipo_report_free(env);
	ipo_vfree(env, env->saved, env->len * sizeof(*env->saved));
	ipo_vfree(env, env->fl, env->len);
	ipo_vfree(env, env->kept, env->kept_cap * sizeof(*env->kept));
	ipo_vfree(env, env->hdr, env->nhdr_cap * sizeof(*env->hdr));
	ipo_vfree(env, env->hidx, env->len * sizeof(*env->hidx));
	ipo_vfree(env, env->fidx, env->len * sizeof(*env->fidx));
	for (i = 0; env->fn && i < env->nfn; i++)
		ipo_vfree(env, env->fn[i].win, 5 * sizeof(*env->fn[i].win));
	ipo_vfree(env, env->fn, env->nfn_cap * sizeof(*env->fn));
	ipo_vfree(env, env->edges, env->nedges_cap * sizeof(*env->edges));
	ipo_vfree(env, env->order, env->nfn_cap * sizeof(*env->order));
	ipo_vfree(env, env->cur, ipo_state_size(IPO_SLOTS));
	ipo_vfree(env, env->tmp, ipo_state_size(IPO_SLOTS));
	ipo_free(env);
}

/* The budgets of a program of @len instructions: see "Limits". */
static void ipo_env_limits(struct ipo_env *env, u32 len)
{
	env->mem_max = min_t(u64, IPO_MEM_BASE + (u64)IPO_MEM_PER_INSN * len,
			     IPO_MEM_MAX);
	env->mem = ipo_alloc_size(sizeof(*env));
	env->mem_peak = env->mem;
	env->work_max = min_t(u64, IPO_WORK_BASE + (u64)IPO_WORK_FACTOR * len,
			      IPO_WORK_MAX);
	env->next_check = IPO_CHECK_EVERY;
}

int ipo_verify(struct ipo_prog *prog, struct ipo_vlog *log)
{
	struct ipo_env *env;
	u32 i;
	int err;

	if (!prog || !prog->insns || !prog->type || !prog->aux)
		return -EINVAL;
	prog->verified = false;
	if (!prog->len) {
		ipo_vlog_printf(log, "0: empty program\n");
		return -EINVAL;
	}
	if (prog->len > IPO_MAX_INSNS) {
		ipo_vlog_printf(log, "0: program too large: %u insns, max %u\n",
				prog->len, IPO_MAX_INSNS);
		return -E2BIG;
	}
	env = ipo_zalloc(sizeof(*env));
	if (!env)
		return -ENOMEM;
	env->prog = prog;
	env->type = prog->type;
	env->log = log;
	env->insns = prog->insns;
	env->aux = prog->aux;
	env->len = prog->len;
	ipo_env_limits(env, prog->len);
	/* Killed while the program was copied in: skip the rest. */
	if (ipo_fatal_signal_pending()) {
		err = -EINTR;
		goto out;
	}
	env->fl = ipo_valloc(env, env->len);
	env->saved = ipo_valloc(env, env->len * sizeof(*env->saved));
	env->cur = ipo_valloc(env, ipo_state_size(IPO_SLOTS));
	env->tmp = ipo_valloc(env, ipo_state_size(IPO_SLOTS));
	if (!env->fl || !env->saved || !env->cur || !env->tmp) {
		err = ipo_nomem(env);
		goto out;
	}
	env->cur->cap = IPO_SLOTS;
	env->tmp->cap = IPO_SLOTS;
	env->strict = prog->strict;
	prog->fuel_loops = 0;
	memset(&prog->mmio, 0, sizeof(prog->mmio));
	prog->ctx_read_end = 0;
	for (i = 0; i < env->len; i += IPO_SCAN_CHECK) {
		if (ipo_scan_stop(env, i)) {
			err = -EINTR;
			goto out;
		}
		memset(env->aux + i, 0,
		       min(env->len - i, IPO_SCAN_CHECK) * sizeof(*env->aux));
	}

	err = ipo_check_insns(env);
	if (!err)
		err = ipo_check_flow(env);
	if (!err)
		err = ipo_check_calls(env);
	if (!err)
		err = ipo_check_returns(env);
	for (i = 0; !err && i < env->nfn; i++) {
		u32 f = env->order[i];

		if (f && !env->fn[f].called)
			continue;
		err = ipo_verify_func(env, f);
	}
	if (!err)
		err = ipo_check_stack(env);
	if (!err) {
		prog->verified = true;
		if (log && log->level >= 1)
			ipo_vlog_printf(log,
					"verified: %u insns, %u functions, stack %u bytes, %llu insns processed, %llu work units, %zu KiB peak memory\n",
					env->len, env->nfn, prog->stack_depth,
					(unsigned long long)env->visits,
					(unsigned long long)env->work,
					env->mem_peak >> 10);
		if (log && log->level >= 1 && prog->mmio.widths)
			ipo_vlog_printf(log,
					"mmio: constant offsets end at byte 0x%x, widths 0x%x (bytes), %s\n",
					prog->mmio.const_end, prog->mmio.widths,
					prog->mmio.var ?
					"some offsets checked at run time only" :
					"all offsets constant");
	}
out:
	if (err == -E2BIG && !env->logged)
		ipo_vlog_printf(log,
				"0: program too complex: verifier memory limit of %zu KiB reached\n",
				env->mem_max >> 10);
	if (err == -ENOMEM && !env->logged)
		ipo_vlog_printf(log, "0: out of memory\n");
	if (err == -EINTR)
		ipo_vlog_printf(log, "0: verification interrupted by a fatal signal\n");
	ipo_env_free(env);
	return err;
}
