// SPDX-License-Identifier: GPL-2.0
/*
 * ipo_bench: client/server round trips over Unix sockets, pipes, eventfd
 * and futexes.
 */
#include <linux/futex.h>
#include <sys/eventfd.h>

#include "ipo_bench.h"

static long sys_futex(_Atomic uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

enum rpc_kind {
	RPC_STREAM, RPC_SEQPACKET, RPC_DGRAM, RPC_PIPE, RPC_EVENTFD,
	RPC_FUTEX, RPC_STREAM_BATCH,
};

struct shm_rpc {
	_Atomic uint32_t state;		/* futex word: IDLE, REQ, RESP, STOP */
	uint32_t pad;
	int64_t delta;
	int64_t total;
};

enum { ST_IDLE, ST_REQ, ST_RESP, ST_STOP };

struct rpc {
	enum rpc_kind kind;
	int cfd, sfd;			/* client's and server's end */
	int c2s[2], s2c[2];		/* pipes; eventfds in [0] */
	struct shm_rpc *shm;
	pid_t server;
	int64_t buf[SOCK_BATCH];
};

/*
 * The server: the counter lives here.  A delta of 0 (never sent by the
 * measurement) or EOF ends it: a datagram socket sees no EOF.
 */
static int serve(struct rpc *r)
{
	int64_t total = 0, req[SOCK_BATCH];
	uint64_t one = 1, ev;
	int i;

	for (;;) {
		switch (r->kind) {
		case RPC_STREAM:
		case RPC_SEQPACKET:
		case RPC_DGRAM:
			if (read_full(r->sfd, req, 8) || !req[0])
				return 0;
			total += req[0];
			if (write_full(r->sfd, &total, 8))
				return 1;
			break;
		case RPC_STREAM_BATCH:
			if (read_full(r->sfd, req, sizeof(req)) || !req[0])
				return 0;
			for (i = 0; i < SOCK_BATCH; i++)
				req[i] = total += req[i];
			if (write_full(r->sfd, req, sizeof(req)))
				return 1;
			break;
		case RPC_PIPE:
			if (read_full(r->c2s[0], req, 8) || !req[0])
				return 0;
			total += req[0];
			if (write_full(r->s2c[1], &total, 8))
				return 1;
			break;
		case RPC_EVENTFD:
			if (read_full(r->c2s[0], &ev, 8))
				return 1;
			if (atomic_load(&r->shm->state) == ST_STOP)
				return 0;
			total += r->shm->delta;
			r->shm->total = total;
			if (write_full(r->s2c[0], &one, 8))
				return 1;
			break;
		case RPC_FUTEX: {
			uint32_t s;

			while ((s = atomic_load(&r->shm->state)) != ST_REQ) {
				if (s == ST_STOP)
					return 0;
				sys_futex(&r->shm->state, FUTEX_WAIT, s);
			}
			total += r->shm->delta;
			r->shm->total = total;
			atomic_store(&r->shm->state, ST_RESP);
			sys_futex(&r->shm->state, FUTEX_WAKE, 1);
			break;
		}
		}
	}
}

static int op_rpc(void *st, int64_t delta, int64_t *total, uint64_t *lat)
{
	struct rpc *r = st;
	uint64_t one = 1, ev;
	int err, i;

	switch (r->kind) {
	case RPC_STREAM:
	case RPC_SEQPACKET:
	case RPC_DGRAM:
		err = write_full(r->cfd, &delta, 8);
		if (!err)
			err = read_full(r->cfd, total, 8);
		return err;
	case RPC_STREAM_BATCH:
		for (i = 0; i < SOCK_BATCH; i++)
			r->buf[i] = delta;
		err = write_full(r->cfd, r->buf, sizeof(r->buf));
		if (!err)
			err = read_full(r->cfd, r->buf, sizeof(r->buf));
		if (err)
			return err;
		for (i = 1; i < SOCK_BATCH; i++)
			if (r->buf[i] != r->buf[i - 1] + delta)
				return -EBADMSG;
		*total = r->buf[SOCK_BATCH - 1];
		return 0;
	case RPC_PIPE:
		err = write_full(r->c2s[1], &delta, 8);
		if (!err)
			err = read_full(r->s2c[0], total, 8);
		return err;
	case RPC_EVENTFD:
		r->shm->delta = delta;
		err = write_full(r->c2s[0], &one, 8);
		if (!err)
			err = read_full(r->s2c[0], &ev, 8);
		*total = r->shm->total;
		return err;
	case RPC_FUTEX: {
		uint32_t s;

		r->shm->delta = delta;
		atomic_store(&r->shm->state, ST_REQ);
		sys_futex(&r->shm->state, FUTEX_WAKE, 1);
		while ((s = atomic_load(&r->shm->state)) != ST_RESP)
			sys_futex(&r->shm->state, FUTEX_WAIT, s);
		*total = r->shm->total;
		return 0;
	}
	}
	return -EINVAL;
}

static int rpc_open(struct rpc *r, enum rpc_kind kind, int server_cpu)
{
	int sv[2] = { -1, -1 }, type;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->cfd = r->sfd = -1;
	r->c2s[0] = r->c2s[1] = r->s2c[0] = r->s2c[1] = -1;
	switch (kind) {
	case RPC_STREAM:
	case RPC_STREAM_BATCH:
	case RPC_SEQPACKET:
	case RPC_DGRAM:
		type = kind == RPC_SEQPACKET ? SOCK_SEQPACKET :
		       kind == RPC_DGRAM ? SOCK_DGRAM : SOCK_STREAM;
		if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv))
			return -errno;
		r->cfd = sv[0];
		r->sfd = sv[1];
		break;
	case RPC_PIPE:
		if (pipe2(r->c2s, O_CLOEXEC) || pipe2(r->s2c, O_CLOEXEC))
			return -errno;
		break;
	case RPC_EVENTFD:
		r->c2s[0] = eventfd(0, EFD_CLOEXEC);
		r->s2c[0] = eventfd(0, EFD_CLOEXEC);
		if (r->c2s[0] < 0 || r->s2c[0] < 0)
			return -errno;
		/* the delta and the total are in shared memory */
		__attribute__((fallthrough));
	case RPC_FUTEX:
		r->shm = shm_alloc(sizeof(*r->shm));
		if (!r->shm)
			return -errno;
		break;
	}
	r->server = fork();
	if (r->server < 0)
		return -errno;
	if (!r->server) {
		pin(server_cpu);
		if (r->cfd >= 0)
			close(r->cfd);
		if (kind == RPC_PIPE) {
			close(r->c2s[1]);
			close(r->s2c[0]);
		}
		_exit(serve(r));
	}
	/* Only the server's ends stay in the server, so EOF reaches it. */
	if (r->sfd >= 0) {
		close(r->sfd);
		r->sfd = -1;
	}
	if (kind == RPC_PIPE) {
		close(r->c2s[0]);
		close(r->s2c[1]);
		r->c2s[0] = r->s2c[1] = -1;
	}
	return 0;
}

/* Stops the server (EOF, or STOP for the shared-memory kinds). */
static int rpc_close(struct rpc *r)
{
	int i, status = 0;
	uint64_t one = 1;

	if (r->shm) {
		atomic_store(&r->shm->state, ST_STOP);
		sys_futex(&r->shm->state, FUTEX_WAKE, 1);
		if (r->c2s[0] >= 0 && r->kind == RPC_EVENTFD)
			write_full(r->c2s[0], &one, 8);
	}
	memset(r->buf, 0, sizeof(r->buf));
	if (r->cfd >= 0) {
		write_full(r->cfd, r->buf, r->kind == RPC_STREAM_BATCH ?
			   sizeof(r->buf) : 8);
		close(r->cfd);
	}
	if (r->c2s[1] >= 0) {
		write_full(r->c2s[1], r->buf, 8);
		close(r->c2s[1]);
	}
	if (r->server > 0 && waitpid(r->server, &status, 0) < 0)
		status = 1;
	if (r->c2s[0] >= 0)
		close(r->c2s[0]);
	for (i = 0; i < 2; i++)
		if (r->s2c[i] >= 0)
			close(r->s2c[i]);
	if (r->shm)
		munmap(r->shm, sizeof(*r->shm));
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

static const struct {
	const char *name;
	enum rpc_kind kind;
	const char *what;
} rpcs[] = {
	{ "unix_stream_rpc", RPC_STREAM,
	  "8-byte delta over a SOCK_STREAM socketpair, server adds, 8-byte total back" },
	{ "unix_seqpacket_rpc", RPC_SEQPACKET,
	  "the same over SOCK_SEQPACKET" },
	{ "unix_dgram_rpc", RPC_DGRAM, "the same over SOCK_DGRAM" },
	{ "pipe_rpc", RPC_PIPE, "the same over two pipes" },
	{ "eventfd_shm_rpc", RPC_EVENTFD,
	  "delta and total in shared memory, an eventfd each way" },
	{ "futex_shm_rpc", RPC_FUTEX,
	  "delta and total in shared memory, FUTEX_WAKE/FUTEX_WAIT each way (no spinning)" },
	{ "unix_stream_batch_64", RPC_STREAM_BATCH,
	  "64 deltas in one write on SOCK_STREAM, 64 totals in one read; per request" },
};

void run_rpc(void)
{
	static const char *const placements[] = { "2cpu", "1cpu" };
	size_t i, p;

	for (p = 0; p < 2; p++) {
		if (p == 0 && nr_cpus < 2)
			continue;
		for (i = 0; i < sizeof(rpcs) / sizeof(rpcs[0]); i++) {
			bool batch = rpcs[i].kind == RPC_STREAM_BATCH;
			struct mech m = {
				.name = rpcs[i].name,
				.placement = placements[p],
				.timing = batch ? "per_call" : "per_op",
				.ops = 1, .calls = batch ? SOCK_BATCH : 1,
				.what = rpcs[i].what,
			};
			struct rpc r;
			int64_t total = 0;
			int err;

			if (!wanted(m.name))
				continue;
			err = rpc_open(&r, rpcs[i].kind, p == 0 ? 1 : 0);
			if (err)
				setup_failed(m.name, m.placement, "server", err);
			else
				measure(&m, op_rpc, &r, &total);
			if (rpc_close(&r))
				setup_failed(m.name, m.placement,
					     "server exit status", -ECHILD);
		}
	}
}
