// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * Program objects: read the ELF file clang writes for `-target bpf`, find
 * its programs, link each one with the subprograms it calls and carry its
 * BTF line info along.
 *
 * Parse only.  libelf reads the sections, libbpf's btf__new() parses .BTF
 * (types and strings) and .BTF.ext line info is read here (btf_ext.h);
 * nothing issues the bpf() syscall.  bpf_object__open() is no help: it
 * links subprograms only at load time.
 *
 * Linking works like libbpf's: clang leaves calls between functions of one
 * section resolved (pc-relative imm) and emits an R_BPF_64_32 relocation
 * for a call into another section, in practice .text, where non-inlined
 * static functions go.  Each called function is appended once after the
 * program, the functions it calls in turn, and every call imm is rewritten
 * for the new layout.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "libipo.h"
#include "libipo_internal.h"
#include "btf_ext.h"

#define INSN_SZ		sizeof(struct bpf_insn)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SEC_METHOD	"method"
#define SEC_IRQ		"irq"

struct ipo_program {
	struct ipo_prog_obj *obj;
	char *name;
	char *sec_name;
	const char *method_name;	/* into sec_name or name, or NULL */
	uint32_t type;			/* IPO_PROG_TYPE_* */
	struct bpf_insn *insns;
	size_t insn_cnt;
	struct ipo_prog_line *lines;
	size_t line_cnt;
	bool strict;			/* IPO_STRICT() in the source */
};

struct ipo_prog_obj {
	char *name;
	char *license;
	struct btf *btf;
	struct ipo_program *progs;
	size_t nr_progs;
};

/* A function symbol of an executable section, in instructions. */
struct elf_func {
	const char *name;
	size_t start, end;
	bool global;
};

/* An executable section. */
struct elf_code {
	const char *name;
	size_t shndx;
	const struct bpf_insn *insns;	/* into the ELF image */
	size_t nr_insns;
	int *relo;			/* per insn: index in relos[] or -1 */
	struct elf_func *funcs;		/* sorted by start */
	size_t nr_funcs;
	const unsigned char *lines;	/* .BTF.ext records of this section */
	size_t nr_lines;
};

struct elf_relo {
	unsigned int type;
	GElf_Sym sym;
	const char *sym_name;
};

/* Everything open while one file is read; freed when open returns. */
struct elf_loader {
	const char *name;
	Elf *elf;
	size_t shstrndx;
	Elf_Data *symtab;
	size_t symtab_link;
	size_t nr_syms;
	struct elf_code *code;
	size_t nr_code;
	struct elf_relo *relos;
	size_t nr_relos;
	struct btf *btf;
	size_t line_rec_size;
};

/* Where an instruction of a program being linked came from. */
struct link_origin {
	unsigned int code;	/* index in loader->code[] */
	size_t idx;		/* instruction index in that section */
};

/* A function copied into the program being linked. */
struct link_func {
	unsigned int code;
	size_t start, end;	/* in the section */
	size_t out;		/* where it starts in the program */
};

struct linker {
	struct bpf_insn *insns;
	struct link_origin *orig;
	size_t len, insns_cap, orig_cap;
	struct link_func *funcs;
	size_t nr_funcs, funcs_cap;
	struct ipo_prog_line *lines;
	size_t nr_lines, lines_cap;
};

/* Makes room for @need elements in *@p; on failure *@p stays as it was. */
static int grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = reallocarray(*(void **)p, n, elem);
	if (!q)
		return -ENOMEM;
	*(void **)p = q;
	*cap = n;
	return 0;
}

static const char *sec_name(struct elf_loader *ld, Elf_Scn *scn,
			    GElf_Shdr *shdr)
{
	const char *name;

	if (!gelf_getshdr(scn, shdr))
		return NULL;
	name = elf_strptr(ld->elf, ld->shstrndx, shdr->sh_name);
	return name;
}

static struct elf_code *code_by_shndx(struct elf_loader *ld, size_t shndx)
{
	size_t i;

	for (i = 0; i < ld->nr_code; i++)
		if (ld->code[i].shndx == shndx)
			return &ld->code[i];
	return NULL;
}

static struct elf_code *code_by_name(struct elf_loader *ld, const char *name)
{
	size_t i;

	for (i = 0; i < ld->nr_code; i++)
		if (!strcmp(ld->code[i].name, name))
			return &ld->code[i];
	return NULL;
}

static int cmp_func(const void *a, const void *b)
{
	const struct elf_func *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static int cmp_prog_line(const void *a, const void *b)
{
	const struct ipo_prog_line *x = a, *y = b;

	if (x->insn_off != y->insn_off)
		return x->insn_off < y->insn_off ? -1 : 1;
	return 0;
}

static int check_header(struct elf_loader *ld)
{
	GElf_Ehdr ehdr;

	if (elf_kind(ld->elf) != ELF_K_ELF || !gelf_getehdr(ld->elf, &ehdr)) {
		pr_warn("%s: not an ELF file\n", ld->name);
		return -ENOEXEC;
	}
	if (gelf_getclass(ld->elf) != ELFCLASS64 ||
	    ehdr.e_machine != EM_BPF || ehdr.e_type != ET_REL) {
		pr_warn("%s: not a BPF object file (want a 64-bit EM_BPF ET_REL from `clang -target bpf -c`)\n",
			ld->name);
		return -ENOEXEC;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB) {
#else
	if (ehdr.e_ident[EI_DATA] != ELFDATA2MSB) {
#endif
		pr_warn("%s: byte order differs from this machine's (use -target bpf, not bpfel/bpfeb)\n",
			ld->name);
		return -ENOEXEC;
	}
	if (elf_getshdrstrndx(ld->elf, &ld->shstrndx)) {
		pr_warn("%s: no section name table: %s\n", ld->name,
			elf_errmsg(-1));
		return -ENOEXEC;
	}
	return 0;
}

/* First pass: the symbol table and every executable section. */
static int collect_sections(struct elf_loader *ld)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t cap = 0;

	while ((scn = elf_nextscn(ld->elf, scn))) {
		const char *name = sec_name(ld, scn, &shdr);
		struct elf_code *c;
		Elf_Data *data;

		if (!name) {
			pr_warn("%s: bad section header %zu\n", ld->name,
				elf_ndxscn(scn));
			return -ENOEXEC;
		}
		if (shdr.sh_type == SHT_SYMTAB) {
			if (ld->symtab) {
				pr_warn("%s: more than one symbol table\n",
					ld->name);
				return -ENOEXEC;
			}
			ld->symtab = elf_getdata(scn, NULL);
			ld->symtab_link = shdr.sh_link;
			if (!ld->symtab || !shdr.sh_entsize) {
				pr_warn("%s: bad symbol table\n", ld->name);
				return -ENOEXEC;
			}
			ld->nr_syms = ld->symtab->d_size / shdr.sh_entsize;
			continue;
		}
		if (shdr.sh_type != SHT_PROGBITS ||
		    !(shdr.sh_flags & SHF_EXECINSTR) || !shdr.sh_size)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || data->d_size != shdr.sh_size ||
		    data->d_size % INSN_SZ) {
			pr_warn("%s: section '%s' is not a whole number of instructions\n",
				ld->name, name);
			return -ENOEXEC;
		}
		if (grow(&ld->code, &cap, ld->nr_code + 1,
			 sizeof(*ld->code)))
			return -ENOMEM;
		c = &ld->code[ld->nr_code++];
		memset(c, 0, sizeof(*c));
		c->name = name;
		c->shndx = elf_ndxscn(scn);
		c->insns = data->d_buf;
		c->nr_insns = data->d_size / INSN_SZ;
		c->relo = malloc(c->nr_insns * sizeof(*c->relo));
		if (!c->relo)
			return -ENOMEM;
		memset(c->relo, 0xff, c->nr_insns * sizeof(*c->relo));
	}
	if (!ld->symtab) {
		pr_warn("%s: no symbol table\n", ld->name);
		return -ENOEXEC;
	}
	return 0;
}

static int get_sym(struct elf_loader *ld, size_t i, GElf_Sym *sym,
		   const char **name)
{
	if (i >= ld->nr_syms || !gelf_getsym(ld->symtab, i, sym))
		return -ENOEXEC;
	*name = elf_strptr(ld->elf, ld->symtab_link, sym->st_name);
	if (!*name)
		*name = "";
	return 0;
}

/* Function symbols, per executable section. */
static int collect_funcs(struct elf_loader *ld)
{
	size_t i, *caps;
	int err = 0;

	caps = calloc(ld->nr_code ? ld->nr_code : 1, sizeof(*caps));
	if (!caps)
		return -ENOMEM;
	for (i = 1; i < ld->nr_syms; i++) {
		struct elf_code *c;
		struct elf_func *f;
		const char *name;
		GElf_Sym sym;

		if (get_sym(ld, i, &sym, &name)) {
			pr_warn("%s: bad symbol %zu\n", ld->name, i);
			err = -ENOEXEC;
			break;
		}
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC)
			continue;
		c = code_by_shndx(ld, sym.st_shndx);
		if (!c)
			continue;
		if (sym.st_value % INSN_SZ || sym.st_size % INSN_SZ ||
		    sym.st_value / INSN_SZ >= c->nr_insns ||
		    sym.st_size / INSN_SZ > c->nr_insns - sym.st_value / INSN_SZ) {
			pr_warn("%s: function '%s' does not fit section '%s'\n",
				ld->name, name, c->name);
			err = -ENOEXEC;
			break;
		}
		if (grow(&c->funcs, &caps[c - ld->code], c->nr_funcs + 1,
			 sizeof(*c->funcs))) {
			err = -ENOMEM;
			break;
		}
		f = &c->funcs[c->nr_funcs++];
		f->name = name;
		f->start = sym.st_value / INSN_SZ;
		f->end = f->start + sym.st_size / INSN_SZ;
		f->global = GELF_ST_BIND(sym.st_info) == STB_GLOBAL;
	}
	free(caps);
	if (err)
		return err;
	for (i = 0; i < ld->nr_code; i++) {
		struct elf_code *c = &ld->code[i];
		size_t j;

		if (c->nr_funcs)
			qsort(c->funcs, c->nr_funcs, sizeof(*c->funcs),
			      cmp_func);
		/* A symbol without a size runs to the next one. */
		for (j = 0; j < c->nr_funcs; j++)
			if (c->funcs[j].end == c->funcs[j].start)
				c->funcs[j].end = j + 1 < c->nr_funcs ?
					c->funcs[j + 1].start : c->nr_insns;
	}
	return 0;
}

/* Relocations of executable sections, indexed by instruction. */
static int collect_relos(struct elf_loader *ld)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t cap = 0;

	while ((scn = elf_nextscn(ld->elf, scn))) {
		const char *name = sec_name(ld, scn, &shdr);
		struct elf_code *c;
		Elf_Data *data;
		size_t i, n;

		if (shdr.sh_type != SHT_REL && shdr.sh_type != SHT_RELA)
			continue;
		c = code_by_shndx(ld, shdr.sh_info);
		if (!c)
			continue;
		if (shdr.sh_type == SHT_RELA) {
			pr_warn("%s: RELA relocations ('%s') are not used by BPF objects\n",
				ld->name, name);
			return -ENOEXEC;
		}
		data = elf_getdata(scn, NULL);
		if (!data || !shdr.sh_entsize) {
			pr_warn("%s: bad relocation section '%s'\n", ld->name,
				name);
			return -ENOEXEC;
		}
		n = data->d_size / shdr.sh_entsize;
		for (i = 0; i < n; i++) {
			struct elf_relo *r;
			GElf_Rel rel;
			size_t insn;

			if (!gelf_getrel(data, i, &rel)) {
				pr_warn("%s: bad relocation %zu in '%s'\n",
					ld->name, i, name);
				return -ENOEXEC;
			}
			insn = rel.r_offset / INSN_SZ;
			if (rel.r_offset % INSN_SZ || insn >= c->nr_insns ||
			    c->relo[insn] >= 0) {
				pr_warn("%s: relocation %zu in '%s' does not point at an instruction\n",
					ld->name, i, name);
				return -ENOEXEC;
			}
			if (grow(&ld->relos, &cap, ld->nr_relos + 1,
				 sizeof(*ld->relos)))
				return -ENOMEM;
			r = &ld->relos[ld->nr_relos];
			r->type = GELF_R_TYPE(rel.r_info);
			if (get_sym(ld, GELF_R_SYM(rel.r_info), &r->sym,
				    &r->sym_name)) {
				pr_warn("%s: relocation %zu in '%s' names no symbol\n",
					ld->name, i, name);
				return -ENOEXEC;
			}
			if (GELF_ST_TYPE(r->sym.st_info) == STT_SECTION) {
				Elf_Scn *s = elf_getscn(ld->elf,
							r->sym.st_shndx);
				GElf_Shdr sh;

				if (s)
					r->sym_name = sec_name(ld, s, &sh);
				if (!r->sym_name)
					r->sym_name = "";
			}
			c->relo[insn] = ld->nr_relos++;
		}
	}
	return 0;
}

/* libbpf's messages, while it parses for us, go through our callback. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, args);
	libipo_print(level == LIBBPF_WARN ? IPO_PRINT_WARN :
		     level == LIBBPF_INFO ? IPO_PRINT_INFO : IPO_PRINT_DEBUG,
		     "%s", msg);
	return 0;
}

static int load_btf(struct elf_loader *ld, Elf_Data *btf_data,
		    Elf_Data *ext_data)
{
	const unsigned char *p, *end;
	struct btf_ext_header hdr;
	libbpf_print_fn_t old;
	size_t off, len;
	int err;

	if (!btf_data)
		return 0;
	/*
	 * libbpf has one global print hook: borrow it for the parse and put
	 * the application's back.
	 */
	old = libbpf_set_print(libbpf_print);
	ld->btf = btf__new(btf_data->d_buf, btf_data->d_size);
	err = errno;
	libbpf_set_print(old);
	errno = err;
	if (!ld->btf) {
		/* Line info is a help, not a need: go on without it. */
		pr_warn("%s: .BTF unreadable (%s); no source lines\n",
			ld->name, strerror(errno));
		return 0;
	}
	if (!ext_data)
		return 0;

	memset(&hdr, 0, sizeof(hdr));
	if (ext_data->d_size < sizeof(hdr))
		goto bad;
	memcpy(&hdr, ext_data->d_buf, sizeof(hdr));
	if (hdr.magic != BTF_MAGIC || hdr.version != 1 ||
	    hdr.hdr_len < sizeof(hdr) || hdr.hdr_len > ext_data->d_size)
		goto bad;
	if (!hdr.line_info_len)
		return 0;
	off = (size_t)hdr.hdr_len + hdr.line_info_off;
	len = hdr.line_info_len;
	if (off > ext_data->d_size || len > ext_data->d_size - off ||
	    len < sizeof(__u32))
		goto bad;
	p = (const unsigned char *)ext_data->d_buf + off;
	end = p + len;
	{
		__u32 rec;

		memcpy(&rec, p, sizeof(rec));
		if (rec < sizeof(struct btf_ext_line) || rec % 4)
			goto bad;
		ld->line_rec_size = rec;
	}
	p += sizeof(__u32);
	while (p < end) {
		struct btf_ext_info_sec sec;
		struct elf_code *c;
		const char *name;

		if ((size_t)(end - p) < sizeof(sec))
			goto bad;
		memcpy(&sec, p, sizeof(sec));
		p += sizeof(sec);
		if (sec.nr_info > (size_t)(end - p) / ld->line_rec_size)
			goto bad;
		name = btf__name_by_offset(ld->btf, sec.sec_name_off);
		if (!name)
			goto bad;
		c = code_by_name(ld, name);
		if (c) {
			c->lines = p;
			c->nr_lines = sec.nr_info;
		}
		p += (size_t)sec.nr_info * ld->line_rec_size;
	}
	return 0;
bad:
	pr_warn("%s: .BTF.ext line info is malformed; no source lines\n",
		ld->name);
	for (off = 0; off < ld->nr_code; off++)
		ld->code[off].nr_lines = 0;
	return 0;
}

/* Second pass over sections: license, .BTF and .BTF.ext. */
static int collect_data(struct elf_loader *ld, struct ipo_prog_obj *obj)
{
	Elf_Data *btf = NULL, *ext = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	while ((scn = elf_nextscn(ld->elf, scn))) {
		const char *name = sec_name(ld, scn, &shdr);
		Elf_Data *data;

		if (!name || shdr.sh_type != SHT_PROGBITS)
			continue;
		if (!strcmp(name, "license")) {
			data = elf_getdata(scn, NULL);
			if (!data || !data->d_size)
				continue;
			/* Several: the last one counts, as for .BTF. */
			free(obj->license);
			obj->license = strndup(data->d_buf, data->d_size);
			if (!obj->license)
				return -ENOMEM;
		} else if (!strcmp(name, ".BTF")) {
			btf = elf_getdata(scn, NULL);
		} else if (!strcmp(name, ".BTF.ext")) {
			ext = elf_getdata(scn, NULL);
		}
	}
	return load_btf(ld, btf, ext);
}

static uint32_t type_of_section(const char *sec,
					     const char **suffix)
{
	static const struct {
		const char *prefix;
		uint32_t type;			/* IPO_PROG_TYPE_* */
	} types[] = {
		{ SEC_METHOD, IPO_PROG_TYPE_METHOD },
		{ SEC_IRQ, IPO_PROG_TYPE_IRQ },
	};
	size_t i;

	*suffix = NULL;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		size_t n = strlen(types[i].prefix);

		if (strncmp(sec, types[i].prefix, n))
			continue;
		if (sec[n] == '/' && sec[n + 1])
			*suffix = sec + n + 1;
		else if (sec[n])
			continue;
		return types[i].type;
	}
	return IPO_PROG_TYPE_UNSPEC;
}

/* Copies one function (and its line info) to the end of the program. */
static int link_append(struct elf_loader *ld, struct linker *lk,
		       unsigned int code, size_t start, size_t end)
{
	struct elf_code *c = &ld->code[code];
	size_t i, n = end - start;
	struct link_func *f;

	if (!n) {
		pr_warn("%s: function at insn %zu of section '%s' is empty\n",
			ld->name, start, c->name);
		return -ENOEXEC;
	}
	if (grow(&lk->funcs, &lk->funcs_cap, lk->nr_funcs + 1,
		 sizeof(*lk->funcs)))
		return -ENOMEM;
	f = &lk->funcs[lk->nr_funcs++];
	f->code = code;
	f->start = start;
	f->end = end;
	f->out = lk->len;

	if (lk->len + n > INT32_MAX)
		return -E2BIG;
	if (grow(&lk->insns, &lk->insns_cap, lk->len + n,
		 sizeof(*lk->insns)))
		return -ENOMEM;
	if (grow(&lk->orig, &lk->orig_cap, lk->len + n,
		 sizeof(*lk->orig)))
		return -ENOMEM;
	memcpy(lk->insns + lk->len, c->insns + start, n * INSN_SZ);
	for (i = 0; i < n; i++) {
		lk->orig[lk->len + i].code = code;
		lk->orig[lk->len + i].idx = start + i;
	}

	for (i = 0; i < c->nr_lines; i++) {
		struct btf_ext_line rec;
		struct ipo_prog_line *l;
		size_t idx;

		memcpy(&rec, c->lines + i * ld->line_rec_size, sizeof(rec));
		if (rec.insn_off % INSN_SZ)
			continue;
		idx = rec.insn_off / INSN_SZ;
		if (idx < start || idx >= end)
			continue;
		if (grow(&lk->lines, &lk->lines_cap, lk->nr_lines + 1,
			 sizeof(*lk->lines)))
			return -ENOMEM;
		l = &lk->lines[lk->nr_lines++];
		l->insn_off = lk->len + (idx - start);
		l->line = BTF_EXT_LINE_NUM(rec.line_col);
		l->col = BTF_EXT_LINE_COL(rec.line_col);
		l->file = btf__name_by_offset(ld->btf, rec.file_name_off);
		l->src = btf__name_by_offset(ld->btf, rec.line_off);
	}
	lk->len += n;
	return 0;
}

static bool is_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) &&
	       insn->src_reg == BPF_PSEUDO_CALL;
}

/*
 * Where the call at lk->insns[i] goes, as (section, instruction): through
 * its relocation when it has one, else relative to itself.
 */
static int call_target(struct elf_loader *ld, struct linker *lk, size_t i,
		       const char *prog, unsigned int *tcode, size_t *tidx)
{
	const struct link_origin *o = &lk->orig[i];
	struct elf_code *c = &ld->code[o->code];
	const struct bpf_insn *insn = &lk->insns[i];
	long long t;

	if (c->relo[o->idx] >= 0) {
		const struct elf_relo *r = &ld->relos[c->relo[o->idx]];
		struct elf_code *tc;

		if (r->sym.st_shndx == SHN_UNDEF) {
			pr_warn("%s: program '%s': call to '%s' at insn %zu of section '%s': the function is not defined in this file (ipo programs call only their own functions and helpers)\n",
				ld->name, prog, r->sym_name, o->idx, c->name);
			return -EOPNOTSUPP;
		}
		tc = code_by_shndx(ld, r->sym.st_shndx);
		if (r->type != R_BPF_64_32 || !tc ||
		    r->sym.st_value % INSN_SZ) {
			pr_warn("%s: program '%s': call at insn %zu of section '%s' has a bad relocation against '%s' (type %u)\n",
				ld->name, prog, o->idx, c->name, r->sym_name,
				r->type);
			return -ENOEXEC;
		}
		c = tc;
		t = (long long)(r->sym.st_value / INSN_SZ) + insn->imm + 1;
	} else {
		t = (long long)o->idx + insn->imm + 1;
	}
	if (t < 0 || t >= (long long)c->nr_insns) {
		pr_warn("%s: program '%s': call at insn %zu of section '%s' lands outside section '%s'\n",
			ld->name, prog, lk->orig[i].idx,
			ld->code[lk->orig[i].code].name, c->name);
		return -ENOEXEC;
	}
	*tcode = c - ld->code;
	*tidx = t;
	return 0;
}

/* Output index of (code, idx), appending the function there if needed. */
static int link_place(struct elf_loader *ld, struct linker *lk,
		      unsigned int code, size_t idx, const char *prog,
		      size_t *out)
{
	struct elf_code *c = &ld->code[code];
	size_t i;
	int err;

	for (i = 0; i < lk->nr_funcs; i++) {
		const struct link_func *f = &lk->funcs[i];

		if (f->code == code && idx >= f->start && idx < f->end) {
			*out = f->out + (idx - f->start);
			return 0;
		}
	}
	for (i = 0; i < c->nr_funcs; i++)
		if (c->funcs[i].start == idx)
			break;
	if (i == c->nr_funcs) {
		pr_warn("%s: program '%s': call to insn %zu of section '%s', which starts no function\n",
			ld->name, prog, idx, c->name);
		return -ENOEXEC;
	}
	*out = lk->len;
	err = link_append(ld, lk, code, idx, c->funcs[i].end);
	if (!err)
		pr_debug("%s: program '%s': linked '%s' from '%s' at insn %zu\n",
			 ld->name, prog, c->funcs[i].name, c->name, *out);
	return err;
}

/*
 * Links one program: copy it, then walk its instructions (and those of
 * every function appended meanwhile) fixing each call.
 */
static int link_program(struct elf_loader *ld, unsigned int code,
			const struct elf_func *fn, struct ipo_program *prog)
{
	struct linker lk = {};
	size_t i;
	int err;

	err = link_append(ld, &lk, code, fn->start, fn->end);
	for (i = 0; !err && i < lk.len; i++) {
		const struct link_origin *o = &lk.orig[i];
		struct elf_code *c = &ld->code[o->code];
		struct bpf_insn *insn = &lk.insns[i];
		unsigned int tcode;
		size_t tidx, out;
		long long imm;

		if (!is_call(insn)) {
			const struct elf_relo *r;

			if (c->relo[o->idx] < 0)
				continue;
			r = &ld->relos[c->relo[o->idx]];
			if (r->type == R_BPF_NONE)
				continue;
			pr_warn("%s: program '%s': insn %zu of section '%s' refers to '%s' (relocation type %u): maps and global variables are not supported in ipo programs\n",
				ld->name, fn->name, o->idx, c->name,
				r->sym_name, r->type);
			err = -EOPNOTSUPP;
			break;
		}
		err = call_target(ld, &lk, i, fn->name, &tcode, &tidx);
		if (!err)
			err = link_place(ld, &lk, tcode, tidx, fn->name, &out);
		if (err)
			break;
		imm = (long long)out - (long long)i - 1;
		lk.insns[i].imm = imm;
	}
	if (err) {
		if (err == -ENOMEM || err == -E2BIG)
			pr_warn("%s: program '%s': %s while linking\n",
				ld->name, fn->name, strerror(-err));
		free(lk.insns);
		free(lk.lines);
		goto out;
	}
	if (lk.nr_lines)
		qsort(lk.lines, lk.nr_lines, sizeof(*lk.lines),
		      cmp_prog_line);
	prog->insns = lk.insns;
	prog->insn_cnt = lk.len;
	prog->lines = lk.lines;
	prog->line_cnt = lk.nr_lines;
out:
	free(lk.orig);
	free(lk.funcs);
	return err;
}

static int collect_programs(struct elf_loader *ld, struct ipo_prog_obj *obj)
{
	size_t n = 0, i, j;
	int err;

	for (i = 0; i < ld->nr_code; i++) {
		if (!strcmp(ld->code[i].name, ".text"))
			continue;
		for (j = 0; j < ld->code[i].nr_funcs; j++)
			n += ld->code[i].funcs[j].global;
	}
	obj->progs = calloc(n ? n : 1, sizeof(*obj->progs));
	if (!obj->progs)
		return -ENOMEM;
	for (i = 0; i < ld->nr_code; i++) {
		struct elf_code *c = &ld->code[i];

		if (!strcmp(c->name, ".text"))
			continue;
		if (!c->nr_funcs)
			pr_warn("%s: section '%s' has code but no function symbol; ignored\n",
				ld->name, c->name);
		for (j = 0; j < c->nr_funcs; j++) {
			const struct elf_func *fn = &c->funcs[j];
			struct ipo_program *p = &obj->progs[obj->nr_progs];
			const char *suffix;

			if (!fn->global)
				continue;
			p->obj = obj;
			p->name = strdup(fn->name);
			p->sec_name = strdup(c->name);
			if (!p->name || !p->sec_name) {
				free(p->name);
				free(p->sec_name);
				return -ENOMEM;
			}
			obj->nr_progs++;
			p->type = type_of_section(c->name, &suffix);
			if (p->type == IPO_PROG_TYPE_METHOD)
				p->method_name = suffix ?
					p->sec_name + (suffix - c->name) :
					p->name;
			err = link_program(ld, i, fn, p);
			if (err)
				return err;
		}
	}
	if (!obj->nr_progs)
		pr_info("%s: no programs (functions in sections other than .text)\n",
			ld->name);
	return 0;
}

#define STRICT_SEC	".ipo.strict"
#define STRICT_PREFIX	"__ipo_strict_"

/*
 * IPO_STRICT(fn) (progs/ipo.h) leaves a symbol __ipo_strict_<fn> in
 * section .ipo.strict: program <fn> asks for strict verification.  A mark
 * that names no program is an error, not a request silently dropped.
 */
static int collect_strict(struct elf_loader *ld, struct ipo_prog_obj *obj)
{
	size_t i, j;

	for (i = 1; i < ld->nr_syms; i++) {
		const char *name, *sec;
		Elf_Scn *scn;
		GElf_Shdr shdr;
		GElf_Sym sym;

		if (get_sym(ld, i, &sym, &name))
			return -ENOEXEC;
		if (strncmp(name, STRICT_PREFIX, strlen(STRICT_PREFIX)) ||
		    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
			continue;
		scn = elf_getscn(ld->elf, sym.st_shndx);
		sec = scn ? sec_name(ld, scn, &shdr) : NULL;
		if (!sec || strcmp(sec, STRICT_SEC))
			continue;
		name += strlen(STRICT_PREFIX);
		for (j = 0; j < obj->nr_progs; j++)
			if (!strcmp(obj->progs[j].name, name))
				break;
		if (j == obj->nr_progs) {
			pr_warn("%s: IPO_STRICT(%s): no program %s\n",
				ld->name, name, name);
			return -ENOENT;
		}
		obj->progs[j].strict = true;
	}
	return 0;
}

static void loader_free(struct elf_loader *ld)
{
	size_t i;

	for (i = 0; i < ld->nr_code; i++) {
		free(ld->code[i].relo);
		free(ld->code[i].funcs);
	}
	free(ld->code);
	free(ld->relos);
	if (ld->elf)
		elf_end(ld->elf);
}

void ipo_prog_obj__close(struct ipo_prog_obj *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nr_progs; i++) {
		free(obj->progs[i].name);
		free(obj->progs[i].sec_name);
		free(obj->progs[i].insns);
		free(obj->progs[i].lines);
	}
	free(obj->progs);
	free(obj->license);
	free(obj->name);
	btf__free(obj->btf);
	free(obj);
}

static struct ipo_prog_obj *open_image(void *buf, size_t size,
				       const char *name,
				       const struct ipo_prog_obj_opts *opts)
{
	struct elf_loader ld = {};
	struct ipo_prog_obj *obj;
	int err;

	if (opts && opts->object_name)
		name = opts->object_name;
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return libipo_err_ptr(-ENOMEM);
	obj->name = strdup(name);
	if (!obj->name) {
		free(obj);
		return libipo_err_ptr(-ENOMEM);
	}
	ld.name = obj->name;

	if (elf_version(EV_CURRENT) == EV_NONE) {
		pr_warn("%s: libelf: %s\n", ld.name, elf_errmsg(-1));
		err = -ENOEXEC;
		goto out;
	}
	ld.elf = elf_memory(buf, size);
	if (!ld.elf) {
		pr_warn("%s: libelf: %s\n", ld.name, elf_errmsg(-1));
		err = -ENOEXEC;
		goto out;
	}
	err = check_header(&ld);
	if (!err)
		err = collect_sections(&ld);
	if (!err)
		err = collect_funcs(&ld);
	if (!err)
		err = collect_relos(&ld);
	if (!err)
		err = collect_data(&ld, obj);
	obj->btf = ld.btf;
	if (!err)
		err = collect_programs(&ld, obj);
	if (!err)
		err = collect_strict(&ld, obj);
	if (err == -ENOMEM)
		pr_warn("%s: out of memory\n", ld.name);
out:
	loader_free(&ld);
	if (err) {
		ipo_prog_obj__close(obj);
		return libipo_err_ptr(err);
	}
	return obj;
}

struct ipo_prog_obj *ipo_prog_obj_open_mem(const void *buf, size_t size,
					   const struct ipo_prog_obj_opts *opts)
{
	struct ipo_prog_obj *obj;
	void *copy;
	int err;

	if (!libipo_opts_valid(opts, sizeof(*opts), &err)) {
		pr_warn("%s: bad opts\n", __func__);
		return libipo_err_ptr(err);
	}
	if (!buf || !size) {
		pr_warn("%s: empty image\n", __func__);
		return libipo_err_ptr(-EINVAL);
	}
	/* libelf may write to the image it parses; never to the caller's. */
	copy = malloc(size);
	if (!copy)
		return libipo_err_ptr(-ENOMEM);
	memcpy(copy, buf, size);
	obj = open_image(copy, size, "(memory)", opts);
	err = errno;
	free(copy);
	errno = err;
	return obj;
}

struct ipo_prog_obj *ipo_prog_obj_open(const char *path,
				       const struct ipo_prog_obj_opts *opts)
{
	struct ipo_prog_obj *obj;
	struct stat st;
	size_t done = 0;
	char *buf;
	int fd, err;

	if (!libipo_opts_valid(opts, sizeof(*opts), &err)) {
		pr_warn("%s: bad opts\n", __func__);
		return libipo_err_ptr(err);
	}
	if (!path) {
		pr_warn("%s: no path\n", __func__);
		return libipo_err_ptr(-EINVAL);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		pr_warn("%s: %s\n", path, strerror(-err));
		if (fd >= 0)
			close(fd);
		return libipo_err_ptr(err);
	}
	if (!S_ISREG(st.st_mode) || !st.st_size) {
		pr_warn("%s: not a regular, non-empty file\n", path);
		close(fd);
		return libipo_err_ptr(-ENOEXEC);
	}
	buf = malloc(st.st_size);
	if (!buf) {
		close(fd);
		return libipo_err_ptr(-ENOMEM);
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n <= 0) {
			err = n ? -errno : -EIO;
			pr_warn("%s: read: %s\n", path, strerror(-err));
			close(fd);
			free(buf);
			return libipo_err_ptr(err);
		}
		done += n;
	}
	close(fd);
	obj = open_image(buf, done, path, opts);
	err = errno;
	free(buf);
	errno = err;
	return obj;
}

const char *ipo_prog_obj__name(const struct ipo_prog_obj *obj)
{
	return obj->name;
}

const char *ipo_prog_obj__license(const struct ipo_prog_obj *obj)
{
	return obj->license;
}

const struct btf *ipo_prog_obj__btf(const struct ipo_prog_obj *obj)
{
	return obj->btf;
}

struct ipo_program *ipo_prog_obj__next_program(const struct ipo_prog_obj *obj,
					       const struct ipo_program *prev)
{
	size_t i = prev ? (size_t)(prev - obj->progs) + 1 : 0;

	return i < obj->nr_progs ? &obj->progs[i] : NULL;
}

struct ipo_program *ipo_prog_obj__find_program(const struct ipo_prog_obj *obj,
					       const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_progs; i++)
		if (!strcmp(obj->progs[i].name, name))
			return &obj->progs[i];
	return libipo_err_ptr(-ENOENT);
}

const char *ipo_program__name(const struct ipo_program *prog)
{
	return prog->name;
}

const char *ipo_program__section_name(const struct ipo_program *prog)
{
	return prog->sec_name;
}

uint32_t ipo_program__type(const struct ipo_program *prog)
{
	return prog->type;
}

const char *ipo_program__method_name(const struct ipo_program *prog)
{
	return prog->method_name;
}

const struct bpf_insn *ipo_program__insns(const struct ipo_program *prog)
{
	return prog->insns;
}

size_t ipo_program__insn_cnt(const struct ipo_program *prog)
{
	return prog->insn_cnt;
}

const struct ipo_prog_line *ipo_program__line_info(const struct ipo_program *prog,
						   size_t *cnt)
{
	if (cnt)
		*cnt = prog->line_cnt;
	return prog->line_cnt ? prog->lines : NULL;
}

const struct ipo_prog_line *ipo_program__find_line(const struct ipo_program *prog,
						   uint32_t pc)
{
	const struct ipo_prog_line *best = NULL;
	size_t lo = 0, hi = prog->line_cnt;

	/* The last record at or before @pc: records are sorted. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (prog->lines[mid].insn_off <= pc) {
			best = &prog->lines[mid];
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (pc >= prog->insn_cnt || !best || !best->line)
		return libipo_err_ptr(-ENOENT);
	return best;
}

int ipo_program__where(const struct ipo_program *prog, uint32_t pc,
		       char *buf, size_t size)
{
	const struct ipo_prog_line *l;
	const char *file, *src;
	int n;

	if (!prog || (!buf && size))
		return libipo_err(-EINVAL);
	if (pc >= prog->insn_cnt)
		return libipo_err(-ERANGE);
	l = ipo_program__find_line(prog, pc);
	if (!l)
		return snprintf(buf, size, "insn %u", pc);
	file = l->file ? strrchr(l->file, '/') : NULL;
	file = file ? file + 1 : l->file ? l->file : "?";
	src = l->src ? l->src : "";
	while (*src == ' ' || *src == '\t')
		src++;
	n = snprintf(buf, size, "insn %u, %s:%u%s%s", pc, file, l->line,
		     *src ? ": " : "", src);
	return n;
}

bool ipo_program__strict(const struct ipo_program *prog)
{
	return prog->strict;
}
