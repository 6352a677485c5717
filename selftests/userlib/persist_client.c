// SPDX-License-Identifier: GPL-2.0
/*
 * persist_client NAME DELTA: a client of a counter service (progs/
 * counter.c) that has no program file and links libipo alone, statically,
 * with the line `pkg-config --static --libs libipo` gives (no libbpf,
 * libelf or zlib: the link fails if anything it uses needs them).  It
 * opens the object by name, finds "add" and "get" in the kernel's method
 * table, checks what the table says of add's argument struct, adds DELTA
 * and prints the total.  Exit 0 on success; 1 with a message otherwise.
 * ipo_persist_test drives it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libipo.h"
#include "counter.h"

static int fail(const char *what, int err)
{
	fprintf(stderr, "persist_client: %s: %s\n", what, strerror(-err));
	return 1;
}

int main(int argc, char **argv)
{
	struct ipo_method_info infos[IPO_MAX_METHODS];
	struct ipo_bundle *b;
	struct add_args args;
	int64_t total = 0, total2 = 0;
	struct ipo_dev *dev;
	int fd, add, get, n, err;

	if (argc != 3) {
		fprintf(stderr, "usage: persist_client NAME DELTA\n");
		return 2;
	}
	args.delta = strtoll(argv[2], NULL, 0);
	dev = ipo_dev_open();
	if (!dev)
		return fail("/dev/ipo", -errno);
	fd = ipo_obj_open(dev, argv[1], IPO_RIGHT_INVOKE, NULL, NULL, NULL);
	if (fd < 0)
		return fail("open", fd);
	add = ipo_method_index(dev, fd, "add");
	get = ipo_method_index(dev, fd, "get");
	if (add < 0 || get < 0)
		return fail("method index", add < 0 ? add : get);
	n = ipo_obj_methods(dev, fd, infos, IPO_MAX_METHODS);
	if (n < 0)
		return fail("method table", n);
	if (!(infos[add].flags & IPO_METHOD_DESCRIBED) ||
	    !(infos[add].flags & IPO_METHOD_ALLOWED) ||
	    infos[add].arg_size != sizeof(args) || !infos[add].arg_btf_id) {
		fprintf(stderr, "persist_client: add: flags 0x%x arg_size %u btf id %u\n",
			infos[add].flags, infos[add].arg_size,
			infos[add].arg_btf_id);
		return 1;
	}
	b = ipo_bundle_new(dev);
	if (!b)
		return fail("bundle", -errno);
	ipo_bundle_add_call(b, fd, add, &args, sizeof(args), &total,
			    sizeof(total));
	ipo_bundle_add_call(b, fd, get, NULL, 0, &total2, sizeof(total2));
	err = ipo_bundle_submit(b, IPO_INVOKE_ATOMIC, 0);
	if (err)
		return fail("invoke", err);
	if (total != total2) {
		fprintf(stderr, "persist_client: add said %lld, get %lld\n",
			(long long)total, (long long)total2);
		return 1;
	}
	printf("methods %d add %d get %d total %lld\n", n, add, get,
	       (long long)total);
	ipo_bundle_free(b);
	close(fd);
	ipo_dev_close(dev);
	return 0;
}
