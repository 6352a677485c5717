// SPDX-License-Identifier: GPL-2.0
/*
 * ipo info, ipo create: the module's limits and objects.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libipo.h"
#include "ipo_tool.h"

static struct ipo_dev *open_dev(void)
{
	struct ipo_dev *dev = ipo_dev_open();

	if (!dev)
		fprintf(stderr, "ipo: cannot open /dev/ipo: %s%s\n",
			strerror(errno),
			errno == ENOENT ? " (is the module loaded?)" : "");
	return dev;
}

static int info_run(int argc, char **argv)
{
	struct ipo_info info;
	struct ipo_dev *dev;
	static const struct {
		uint64_t bit;
		const char *name;
	} features[] = {
		{ IPO_FEATURE_OBJECTS, "objects" },
		{ IPO_FEATURE_PROGS, "progs" },
		{ IPO_FEATURE_JIT, "jit" },
		{ IPO_FEATURE_TEST_RUN, "test_run" },
		{ IPO_FEATURE_METHODS, "methods" },
		{ IPO_FEATURE_HANDLES, "handles" },
		{ IPO_FEATURE_LIST, "list" },
		{ IPO_FEATURE_NOTIFY, "notify" },
		{ IPO_FEATURE_IRQ, "irq" },
		{ IPO_FEATURE_HANDLE_TREE, "handle_tree" },
	};
	size_t i;
	int err;

	if (argc > 1) {
		printf("usage: ipo info\n  Prints the module's ABI version, features, JIT pool and limits.\n");
		return strcmp(argv[1], "--help") ? 2 : 0;
	}
	dev = open_dev();
	if (!dev)
		return 1;
	err = ipo_dev_info(dev, &info);
	ipo_dev_close(dev);
	if (err) {
		fprintf(stderr, "ipo: GET_INFO failed: %s\n", strerror(-err));
		return 1;
	}
	printf("abi_version        %u\n", info.abi_version);
	printf("features           0x%llx", (unsigned long long)info.features);
	for (i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (info.features & features[i].bit)
			printf(" %s", features[i].name);
	printf("\n");
	printf("jit                %s\n",
	       info.features & IPO_FEATURE_JIT ? "on" : "off (interpreter)");
	printf("jit_pool           %llu of %llu bytes in use\n",
	       (unsigned long long)info.jit_pool_used,
	       (unsigned long long)info.jit_pool_size);
	printf("my jit code        %llu of my share of %llu bytes\n",
	       (unsigned long long)info.jit_user_used,
	       (unsigned long long)info.jit_user_share);
	printf("max_obj_size       %llu\n",
	       (unsigned long long)info.max_obj_size);
	printf("max_objs_per_user  %u (mine: %u)\n", info.max_objs_per_user,
	       info.nr_objs);
	printf("max_prog_insns     %u\n", info.max_prog_insns);
	printf("max_progs_per_user %u (mine: %u)\n", info.max_progs_per_user,
	       info.nr_progs);
	printf("max_bundle_calls   %u\n", info.max_bundle_calls);
	printf("max_buf_size       %u\n", info.max_buf_size);
	printf("max_bundle_bytes   %u\n", info.max_bundle_bytes);
	printf("max_methods        %u\n", info.max_methods);
	printf("header_size        %u\n", info.header_size);
	return 0;
}

static void print_header(const struct ipo_view *view)
{
	const struct ipo_obj_header *h = ipo_view_header(view);
	const unsigned char *d = ipo_view_data(view);
	uint64_t i, n = ipo_view_size(view) < 16 ? ipo_view_size(view) : 16;

	printf("object %llu: seq=%u version=%u data_size=%llu data_off=%u\n",
	       (unsigned long long)h->obj_id, h->seq, h->version,
	       (unsigned long long)h->data_size, h->data_off);
	printf("data[0..%llu):", (unsigned long long)n);
	for (i = 0; i < n; i++)
		printf(" %02x", d[i]);
	printf("\n");
}

static int create_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "mode", required_argument, NULL, 'm' },
		{ "hold", required_argument, NULL, 'H' },
		{ "persist", no_argument, NULL, 'p' },
		{ "methods", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	LIBIPO_OPTS(ipo_obj_opts, opts);
	const char *methods = NULL;
	unsigned int hold = 0;
	struct ipo_view *view;
	struct ipo_dev *dev;
	unsigned long long size;
	uint64_t id;
	char *end;
	int c, fd;

	while ((c = getopt_long(argc, argv, "n:m:H:pM:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'M':
			methods = optarg;
			break;
		case 'p':
			opts.flags |= IPO_OBJ_PERSIST;
			break;
		case 'n':
			opts.name = optarg;
			break;
		case 'm':
			opts.mode = strtoul(optarg, &end, 8);
			if (*end) {
				fprintf(stderr, "ipo create: bad mode '%s'\n", optarg);
				return 2;
			}
			break;
		case 'H':
			hold = strtoul(optarg, NULL, 0);
			break;
		case 'h':
		default:
			printf("usage: ipo create [--name NAME] [--mode OCTAL] [--hold SECONDS] [--persist]\n"
			       "                  [--methods FILE.o] SIZE\n"
			       "  Creates an object of SIZE bytes, maps it read-only and prints its\n"
			       "  header; the object lives until the tool exits (after --hold).\n"
			       "  With --persist (and --name) it lives on until `ipo rm NAME`.\n"
			       "  --methods loads FILE.o's METHOD programs and attaches them, with\n"
			       "  their names and argument types, as methods 0, 1, ...\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "ipo create: expected one SIZE argument\n");
		return 2;
	}
	size = strtoull(argv[optind], &end, 0);
	if (*end || !size) {
		fprintf(stderr, "ipo create: bad size '%s'\n", argv[optind]);
		return 2;
	}

	dev = open_dev();
	if (!dev)
		return 1;
	fd = ipo_obj_create(dev, size, &opts, &id);
	if (fd < 0) {
		fprintf(stderr, "ipo create: %s\n", strerror(-fd));
		ipo_dev_close(dev);
		return 1;
	}
	printf("created object %llu%s%s (fd %d, %llu bytes)\n",
	       (unsigned long long)id, opts.name ? " named " : "",
	       opts.name ? opts.name : "", fd, size);
	if (methods) {
		struct ipo_prog_obj *po = ipo_prog_obj_open(methods, NULL);
		int n = po ? ipo_obj_attach_prog_obj(dev, fd, po, NULL) :
			     -errno;

		ipo_prog_obj__close(po);
		if (n < 0) {
			fprintf(stderr, "ipo create: methods from %s: %s\n",
				methods, strerror(-n));
			/* A persistent object must not outlive the failure. */
			if (opts.flags & IPO_OBJ_PERSIST)
				ipo_obj_remove(dev, opts.name);
			close(fd);
			ipo_dev_close(dev);
			return 1;
		}
		printf("attached %d method%s from %s\n", n, n == 1 ? "" : "s",
		       methods);
	}
	view = ipo_view_map(fd);
	if (!view) {
		fprintf(stderr, "ipo create: mmap: %s\n", strerror(errno));
		close(fd);
		ipo_dev_close(dev);
		return 1;
	}
	print_header(view);
	if (hold)
		sleep(hold);
	ipo_view_unmap(view);
	close(fd);
	ipo_dev_close(dev);
	return 0;
}

static int rm_run(int argc, char **argv)
{
	struct ipo_dev *dev;
	int i, err, ret = 0;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("usage: ipo rm NAME...\n"
		       "  Ends the persistence of each named object (`ipo create --persist`):\n"
		       "  it is freed once no handle holds it.  Owner or CAP_SYS_ADMIN only.\n");
		return argc < 2 ? 2 : 0;
	}
	dev = open_dev();
	if (!dev)
		return 1;
	for (i = 1; i < argc; i++) {
		err = ipo_obj_remove(dev, argv[i]);
		if (err) {
			fprintf(stderr, "ipo rm: %s: %s%s\n", argv[i],
				strerror(-err), err == -EINVAL ?
				" (not a persistent object)" : "");
			ret = 1;
		}
	}
	ipo_dev_close(dev);
	return ret;
}

const struct ipo_verb ipo_verb_rm = {
	.name = "rm",
	.help = "end a persistent object's persistence (remove it)",
	.run = rm_run,
};

const struct ipo_verb ipo_verb_info = {
	.name = "info",
	.help = "show the module's ABI version, features and limits",
	.run = info_run,
};

const struct ipo_verb ipo_verb_create = {
	.name = "create",
	.help = "create an object, map it and print its header",
	.run = create_run,
};
