// SPDX-License-Identifier: GPL-2.0
/*
 * Values by BTF type for bundle scripts: a script's argument packed into
 * a member's bytes, and an object's or output's bytes printed as C-like
 * text.  Integers (signed or not, 1..8 bytes), enums, arrays of them and
 * nested structs; a byte array prints as a string when it is one.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <linux/btf.h>
#include <bpf/btf.h>

#include "bundle.h"

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" }, { EMFILE, "EMFILE" },
	{ ENOTTY, "ENOTTY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
	{ EDOM, "EDOM" }, { ERANGE, "ERANGE" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
	{ ENODATA, "ENODATA" }, { ETIME, "ETIME" },
	{ EOVERFLOW, "EOVERFLOW" }, { EMSGSIZE, "EMSGSIZE" },
	{ ENOBUFS, "ENOBUFS" }, { ECANCELED, "ECANCELED" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOEXEC, "ENOEXEC" },
};

const char *bun_errno_name(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
}

int bun_errno_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (!strcmp(errno_names[i].name, name))
			return errno_names[i].err;
	return 0;
}

/* A name from @btf's strings; "" for an offset outside them. */
const char *bun_btf_name(const struct btf *btf, uint32_t off)
{
	const char *name = btf__name_by_offset(btf, off);

	return name ? name : "";
}

/*
 * Skips typedefs and qualifiers; NULL for a chain longer than any compiler
 * writes (a file's BTF may loop: typedef A is B, B is A).
 */
#define BTF_MAX_CHAIN	32

static const struct btf_type *resolve(const struct btf *btf, int32_t *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);
	int depth = 0;

	while (t && (btf_is_typedef(t) || btf_is_const(t) ||
		     btf_is_volatile(t) || btf_is_restrict(t))) {
		if (++depth > BTF_MAX_CHAIN)
			return NULL;
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

/* An integer (or enum) member: its size and signedness; false if not. */
static bool int_like(const struct btf_type *t, int *size, bool *is_signed)
{
	if (btf_is_int(t)) {
		if (btf_int_offset(t) || btf_int_bits(t) != t->size * 8)
			return false;
		*size = t->size;
		*is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
		return *size == 1 || *size == 2 || *size == 4 || *size == 8;
	}
	if (btf_is_enum(t) || btf_is_enum64(t)) {
		*size = t->size;
		*is_signed = btf_kflag(t);
		return *size == 1 || *size == 2 || *size == 4 || *size == 8;
	}
	return false;
}

static int find_enumerator(const struct btf *btf, const char *name,
			   int64_t *val)
{
	int32_t i, n = btf__type_cnt(btf);

	for (i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		int j;

		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);

			for (j = 0; j < btf_vlen(t); j++)
				if (!strcmp(bun_btf_name(btf, e[j].name_off),
					    name)) {
					*val = e[j].val;
					return 0;
				}
		}
	}
	return -ENOENT;
}

static int store_int(void *dst, int size, bool is_signed,
		     const struct bun_value *v, const struct btf *btf,
		     char *err, size_t err_size)
{
	uint64_t u = v->u;
	bool neg = v->neg;

	if (v->kind == BUN_VAL_IDENT) {
		int64_t e;

		if (!btf || find_enumerator(btf, v->str, &e)) {
			snprintf(err, err_size, "%d:%d: unknown name '%s'",
				 v->pos.line, v->pos.col, v->str);
			return -EINVAL;
		}
		u = e;
		neg = e < 0;
	} else if (v->kind != BUN_VAL_INT) {
		snprintf(err, err_size, "%d:%d: expected a number",
			 v->pos.line, v->pos.col);
		return -EINVAL;
	}
	if (size < 8) {
		uint64_t max = (1ULL << (size * 8)) - 1;

		/* Unsigned range for positive values, signed for negative. */
		if ((!neg && u > max) ||
		    (neg && (int64_t)u < -(int64_t)(1ULL << (size * 8 - 1)))) {
			snprintf(err, err_size,
				 "%d:%d: value does not fit in %d byte%s",
				 v->pos.line, v->pos.col, size,
				 size > 1 ? "s" : "");
			return -ERANGE;
		}
	} else if (neg && !is_signed && v->kind == BUN_VAL_INT) {
		/* -1 into a u64 is allowed: all ones, as in C. */
	}
	memcpy(dst, &u, size);	/* little-endian, as the BPF target */
	return 0;
}

static int outside(const struct bun_value *v, char *err, size_t err_size)
{
	snprintf(err, err_size, "%d:%d: the member lies outside its struct (BTF)",
		 v->pos.line, v->pos.col);
	return -EINVAL;
}

static int want_list(const struct bun_value *v, int isize, char *err,
		     size_t err_size)
{
	snprintf(err, err_size, "%d:%d: expected a list [a, b, ...]%s",
		 v->pos.line, v->pos.col, isize == 1 ? " or a string" : "");
	return -EINVAL;
}

/* An array of integers: its element size and count; false if not one. */
static bool int_array(const struct btf *btf, const struct btf_type *t,
		      int *isize, bool *is_signed, uint32_t *nelems)
{
	int32_t elem;

	if (!t || !btf_is_array(t))
		return false;
	elem = btf_array(t)->type;
	*nelems = btf_array(t)->nelems;
	t = resolve(btf, &elem);
	return t && int_like(t, isize, is_signed);
}

bool bun_is_flex_array(const struct btf *btf, int32_t type_id)
{
	const struct btf_type *t = resolve(btf, &type_id);

	return t && btf_is_array(t) && !btf_array(t)->nelems;
}

int64_t bun_value_bytes(const struct btf *btf, int32_t type_id,
			const struct bun_value *v, char *err, size_t err_size)
{
	const struct btf_type *t = resolve(btf, &type_id);
	uint32_t nelems;
	bool is_signed;
	int isize;

	if (!int_array(btf, t, &isize, &is_signed, &nelems)) {
		snprintf(err, err_size, "%d:%d: only an array member ends an argument ('...')",
			 v->pos.line, v->pos.col);
		return -EINVAL;
	}
	if (v->kind == BUN_VAL_STR && isize == 1)
		return v->len;
	if (v->kind == BUN_VAL_LIST)
		return (int64_t)v->nr_items * isize;
	return want_list(v, isize, err, err_size);
}

int bun_pack_member(const struct btf *btf, int32_t type_id, void *dst,
		    uint32_t room, const struct bun_value *v, char *err,
		    size_t err_size)
{
	const struct btf_type *t = resolve(btf, &type_id);
	uint32_t nelems;
	bool is_signed;
	int isize, i;

	if (!t)
		goto unsupported;
	if (int_like(t, &isize, &is_signed)) {
		if ((uint32_t)isize > room)
			return outside(v, err, err_size);
		return store_int(dst, isize, is_signed, v, btf, err, err_size);
	}
	if (int_array(btf, t, &isize, &is_signed, &nelems)) {
		/* A flexible array member holds what the caller made room for. */
		if (!nelems)
			nelems = room / isize;
		else if ((uint64_t)nelems * isize > room)
			return outside(v, err, err_size);
		if (v->kind == BUN_VAL_STR && isize == 1) {
			if (v->len > nelems) {
				snprintf(err, err_size,
					 "%d:%d: string of %zu bytes for an array of %u",
					 v->pos.line, v->pos.col, v->len,
					 nelems);
				return -ERANGE;
			}
			memcpy(dst, v->str, v->len);
			return 0;
		}
		if (v->kind != BUN_VAL_LIST)
			return want_list(v, isize, err, err_size);
		if ((uint32_t)v->nr_items > nelems) {
			snprintf(err, err_size,
				 "%d:%d: %d values for an array of %u",
				 v->pos.line, v->pos.col, v->nr_items,
				 nelems);
			return -ERANGE;
		}
		for (i = 0; i < v->nr_items; i++) {
			int ret = store_int((char *)dst + i * isize, isize,
					    is_signed, &v->items[i], btf, err,
					    err_size);
			if (ret)
				return ret;
		}
		return 0;
	}
unsupported:
	snprintf(err, err_size,
		 "%d:%d: only integer, enum and integer-array members can be set",
		 v->pos.line, v->pos.col);
	return -EOPNOTSUPP;
}

/* --- printing ----------------------------------------------------------- */

static uint64_t load_uint(const void *p, int size)
{
	uint64_t u = 0;

	memcpy(&u, p, size);
	return u;
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return false;
	return true;
}

/* Members that read better in hex: colours, masks, flags, hashes. */
static int hex_width(const char *name, int size)
{
	if (!name)
		return 0;
	if (strstr(name, "rgb") || strstr(name, "colo"))
		return 6;
	if (strstr(name, "mask") || strstr(name, "flags") ||
	    strstr(name, "hash"))
		return size * 2;
	return 0;
}

static void print_int(FILE *f, const void *p, int size, bool is_signed,
		      const char *name)
{
	uint64_t u = load_uint(p, size);
	int hex = hex_width(name, size);

	if (hex) {
		fprintf(f, "0x%0*llx", hex, (unsigned long long)u);
	} else if (is_signed) {
		int shift = 64 - size * 8;

		fprintf(f, "%lld", (long long)((int64_t)(u << shift) >> shift));
	} else {
		fprintf(f, "%llu", (unsigned long long)u);
	}
}

static void print_bytes(FILE *f, const unsigned char *p, uint32_t n)
{
	uint32_t i, len = n;

	while (len && !p[len - 1])
		len--;
	for (i = 0; i < len; i++)
		if (!isprint(p[i]))
			break;
	if (i == len) {
		fprintf(f, "\"");
		for (i = 0; i < len; i++)
			fprintf(f, p[i] == '"' || p[i] == '\\' ? "\\%c" : "%c",
				p[i]);
		fprintf(f, "\"");
		return;
	}
	fprintf(f, "x\"");
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
	fprintf(f, "\"");
}

/* Does the type print on one line (no nested struct arrays)? */
static bool is_flat_depth(const struct btf *btf, int32_t id, int depth)
{
	const struct btf_type *t = resolve(btf, &id);
	int i;

	if (!t)
		return true;
	if (depth > BTF_MAX_CHAIN)
		return false;
	if (btf_is_array(t)) {
		int32_t elem = btf_array(t)->type;
		const struct btf_type *et = resolve(btf, &elem);

		return et && !btf_is_composite(et);
	}
	if (btf_is_composite(t)) {
		const struct btf_member *m = btf_members(t);

		for (i = 0; i < btf_vlen(t); i++)
			if (!is_flat_depth(btf, m[i].type, depth + 1) ||
			    btf__resolve_size(btf, m[i].type) > 64)
				return false;
	}
	return true;
}

static bool is_flat(const struct btf *btf, int32_t id)
{
	return is_flat_depth(btf, id, 0);
}

static bool is_scalar(const struct btf *btf, int32_t id)
{
	const struct btf_type *t = resolve(btf, &id);
	bool is_signed;
	int size;

	return t && int_like(t, &size, &is_signed);
}

static void indent_to(FILE *f, int indent)
{
	fprintf(f, "%*s", indent * 2, "");
}

/*
 * @data holds @avail bytes.  The BTF comes from a file and is not trusted
 * to be consistent: a member or element that does not fit in what its
 * container has, or nesting deeper than BTF_MAX_CHAIN, prints as "?"
 * rather than being read.
 */
static void print_value(FILE *f, const struct btf *btf, int32_t type_id,
			const char *name, const void *data, uint64_t avail,
			int indent)
{
	const struct btf_type *t = resolve(btf, &type_id);
	bool is_signed, flat;
	int isize, i;

	if (!t || indent > BTF_MAX_CHAIN) {
		fprintf(f, "?");
		return;
	}
	if (int_like(t, &isize, &is_signed)) {
		if ((uint64_t)isize > avail)
			fprintf(f, "?");
		else
			print_int(f, data, isize, is_signed, name);
		return;
	}
	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		int32_t elem = a->type;
		const struct btf_type *et = resolve(btf, &elem);
		int64_t esize = btf__resolve_size(btf, elem);
		uint32_t n = a->nelems, last;

		if (!et || esize <= 0 || (uint64_t)esize * n > avail) {
			fprintf(f, "?");
			return;
		}
		if (int_like(et, &isize, &is_signed) && isize == 1) {
			print_bytes(f, data, n);
			return;
		}
		/* Trailing zero elements are left out. */
		for (last = n; last; last--)
			if (!all_zero((const char *)data + (last - 1) * esize,
				      esize))
				break;
		flat = !btf_is_composite(et);
		fprintf(f, "[");
		for (i = 0; (uint32_t)i < last; i++) {
			if (flat) {
				fprintf(f, i ? ", " : "");
			} else {
				fprintf(f, "\n");
				indent_to(f, indent + 1);
			}
			print_value(f, btf, elem, name,
				    (const char *)data + i * esize, esize,
				    indent + 1);
			if (!flat)
				fprintf(f, ",");
		}
		if (last < n) {
			if (!flat) {
				fprintf(f, "\n");
				indent_to(f, indent + 1);
			}
			fprintf(f, "%s... %u zero", flat && last ? ", " : "",
				n - last);
		}
		if (!flat) {
			fprintf(f, "\n");
			indent_to(f, indent);
		}
		fprintf(f, "]");
		return;
	}
	if (btf_is_composite(t)) {
		const struct btf_member *m = btf_members(t);
		bool scalar, prev_scalar = false;
		int printed = 0;

		flat = is_flat(btf, type_id) && btf_vlen(t) <= 8;
		fprintf(f, "{");
		for (i = 0; i < btf_vlen(t); i++) {
			const char *mname = btf__name_by_offset(btf,
								m[i].name_off);
			uint64_t off = btf_member_bit_offset(t, i) / 8;
			const char *p = (const char *)data + off;
			int64_t msize = btf__resolve_size(btf, m[i].type);

			/* Bitfields: no layout here has one. */
			if (btf_member_bitfield_size(t, i))
				continue;
			if (off > avail)
				msize = -1;
			else if (msize > 0 && (uint64_t)msize > avail - off)
				msize = -1;
			/* Reserved and padding members, when zero: noise. */
			if (mname && !strncmp(mname, "__", 2) && msize >= 0 &&
			    all_zero(p, msize))
				continue;
			scalar = is_scalar(btf, m[i].type);
			if (flat) {
				fprintf(f, printed ? ", " : " ");
			} else if (scalar && prev_scalar) {
				/* Runs of plain numbers share a line. */
				fprintf(f, " ");
			} else {
				fprintf(f, "\n");
				indent_to(f, indent + 1);
			}
			printed++;
			prev_scalar = scalar;
			fprintf(f, "%s = ", mname && *mname ? mname : "?");
			if (msize < 0)
				fprintf(f, "?");
			else
				print_value(f, btf, m[i].type, mname, p, msize,
					    indent + 1);
			if (!flat)
				fprintf(f, ",");
		}
		if (flat) {
			fprintf(f, " }");
		} else {
			fprintf(f, "\n");
			indent_to(f, indent);
			fprintf(f, "}");
		}
		return;
	}
	fprintf(f, "?");
}

void bun_print_value(FILE *f, const struct btf *btf, int32_t type_id,
		     const char *name, const void *data, int indent)
{
	int64_t size = btf__resolve_size(btf, type_id);

	if (size < 0) {
		fprintf(f, "?");
		return;
	}
	print_value(f, btf, type_id, name, data, size, indent);
}

void bun_print_typed(FILE *f, const struct bun_type *t, const void *data,
		     int indent)
{
	const unsigned char *p = data;
	uint32_t i;

	if (t->btf) {
		bun_print_value(f, t->btf, t->id, NULL, data, indent);
		return;
	}
	if (!t->int_size) {
		for (i = 0; i < t->size; i++)
			fprintf(f, "%s%02x", i && !(i % 8) ? " " : "", p[i]);
		return;
	}
	if (t->count > 1)
		fprintf(f, "[");
	for (i = 0; i < t->count; i++) {
		fprintf(f, i ? ", " : "");
		print_int(f, p + i * t->int_size, t->int_size, t->int_signed,
			  NULL);
	}
	if (t->count > 1)
		fprintf(f, "]");
}
