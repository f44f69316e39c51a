// SPDX-License-Identifier: GPL-2.0
/*
 * Human and JSON rendering of translations.  The JSON goes through json-c;
 * its shape is the contract documented in README.md.
 */
#include <inttypes.h>
#include <string.h>
#include <errno.h>
#include "names.h"
#include "render.h"

#define FLAG(bits, nr)	(((bits) >> (nr)) & 1)

/* One line a user can act on, for the errors ptwalk returns. */
const char *ptw_strerror(int err)
{
	switch (err) {
	case ESRCH:
		return "no such process (or it has exited)";
	case ENXIO:
		return "kernel thread: it has no user address space";
	case EPERM:
	case EACCES:
		return "permission denied: another process needs CAP_SYS_ADMIN";
	case EFAULT:
		return "kernel address: not in user space";
	case EINVAL:
		return "invalid argument (non-canonical address or bad pid)";
	case ENOENT:
		return "/dev/ptwalk missing: load the module (insmod ptwalk.ko)";
	case E2BIG:
		return "too many addresses in one call";
	case EINTR:
		return "interrupted";
	case EPROTO:
		return "the module's answer made no progress (mismatched ptwalk.ko?)";
	default:
		return strerror(err);
	}
}

static void text_flags(FILE *out, uint64_t flags, const char *const *names,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (FLAG(flags, i))
			fprintf(out, " %s", names[i]);
}

/* As the kernel's ptdump: the largest unit that divides the size exactly. */
const char *exact_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	unsigned int u = 0;

	while (bytes && !(bytes & 1023) && units[u + 1]) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 "%c", bytes, units[u]);
	return buf;
}

void vma_perms(const struct ptwalk_vma *v, char perms[5])
{
	perms[0] = FLAG(v->flags, PTWALK_VF_READ) ? 'r' : '-';
	perms[1] = FLAG(v->flags, PTWALK_VF_WRITE) ? 'w' : '-';
	perms[2] = FLAG(v->flags, PTWALK_VF_EXEC) ? 'x' : '-';
	perms[3] = FLAG(v->flags, PTWALK_VF_SHARED) ? 's' : 'p';
	perms[4] = '\0';
}

void render_xlate_text(FILE *out, int pid, const struct ptwalk_xlate *x)
{
	const char *kind = ptw_name(ptw_kind_names, PTWALK_NR_KINDS, x->kind);
	char buf[32], perms[5];
	unsigned int i;

	fprintf(out, "PID %d  VA 0x%016" PRIx64 "\n", pid, (uint64_t)x->va);
	if (x->error) {
		fprintf(out, "error: %s\n", ptw_strerror(-x->error));
		return;
	}
	if (x->kind == PTWALK_KIND_UNMAPPED) {
		fprintf(out, "not mapped: no VMA covers this address\n\n");
		return;
	}
	fprintf(out, "LEVEL INDEX  ENTRY               ENTRY_PHYS          STATE   FLAGS\n");
	for (i = 0; i <= x->leaf_level && i < PTWALK_NR_LEVELS; i++) {
		const struct ptwalk_level *l = &x->levels[i];

		fprintf(out, "%-5s %5u  0x%016" PRIx64 "  0x%016" PRIx64 "  %-6s ",
			ptw_level_names[i], l->index, (uint64_t)l->entry,
			(uint64_t)l->entry_phys,
			ptw_name(ptw_state_names, PTWALK_NR_STATES, l->state));
		text_flags(out, l->flags, ptw_entry_flag_names, PTWALK_NR_ENTRY_FLAGS);
		if (l->pkey)
			fprintf(out, " pkey=%u", l->pkey);
		fputc('\n', out);
	}
	fprintf(out, "%s  %s %s", x->present ? "PRESENT" : "NOT PRESENT", kind,
		x->page_size ? exact_size(x->page_size, buf, sizeof(buf)) : "");
	if (x->valid & PTWALK_XV_PFN)
		fprintf(out, "  pfn 0x%" PRIx64 "  phys 0x%" PRIx64,
			(uint64_t)x->pfn, (uint64_t)x->phys);
	else if (x->present)
		fprintf(out, "  pfn hidden (needs CAP_SYS_ADMIN)");
	if (x->valid & PTWALK_XV_SWAP)
		fprintf(out, "  type %" PRIu64 " offset 0x%" PRIx64,
			(uint64_t)x->swap_type, (uint64_t)x->swap_offset);
	fputc('\n', out);
	if (x->valid & PTWALK_XV_VMA) {
		vma_perms(&x->vma, perms);
		fprintf(out, "VMA   0x%" PRIx64 "-0x%" PRIx64 " %s %08" PRIx64 " %s\n      flags:",
			(uint64_t)x->vma.start, (uint64_t)x->vma.end, perms,
			(uint64_t)x->vma.pgoff, x->vma.name);
		text_flags(out, x->vma.flags, ptw_vma_flag_names, PTWALK_NR_VMA_FLAGS);
		fputc('\n', out);
	}
	if (x->valid & PTWALK_XV_PAGE) {
		fprintf(out, "PAGE  refcount %d mapcount %d order %u node %d zone %s\n      flags:",
			x->page.refcount, x->page.mapcount, x->page.order,
			x->page.node, x->page.zone);
		text_flags(out, x->page.flags, ptw_page_flag_names, PTWALK_NR_PAGE_FLAGS);
		fputc('\n', out);
	}
	fputc('\n', out);
}

struct json_object *json_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

struct json_object *json_name(const char *s)
{
	char buf[PTWALK_NAME_LEN];

	return json_object_new_string(ptw_utf8_clean(s, buf, sizeof(buf)));
}

struct json_object *json_flags(uint64_t flags, const char *const *names,
			       unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		if (FLAG(flags, i))
			json_object_array_add(a, json_object_new_string(names[i]));
	return a;
}

static struct json_object *json_level(const struct ptwalk_level *l, int see_phys)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "level", json_object_new_string(
		ptw_name(ptw_level_names, PTWALK_NR_LEVELS, l->level)));
	json_object_object_add(o, "index", json_object_new_int(l->index));
	json_object_object_add(o, "state",
			       json_object_new_string(ptw_name(ptw_state_names,
							       PTWALK_NR_STATES, l->state)));
	json_object_object_add(o, "entry", json_hex(l->entry));
	json_object_object_add(o, "entry_phys", see_phys ? json_hex(l->entry_phys) : NULL);
	json_object_object_add(o, "table_phys",
			       see_phys ? json_hex(l->entry_phys - 8ULL * l->index) : NULL);
	json_object_object_add(o, "flags",
			       json_flags(l->flags, ptw_entry_flag_names, PTWALK_NR_ENTRY_FLAGS));
	json_object_object_add(o, "pkey", json_object_new_int(l->pkey));
	return o;
}

struct json_object *json_vma(const struct ptwalk_vma *v)
{
	struct json_object *o = json_object_new_object();
	char perms[5];

	vma_perms(v, perms);
	json_object_object_add(o, "start", json_hex(v->start));
	json_object_object_add(o, "end", json_hex(v->end));
	json_object_object_add(o, "perms", json_object_new_string(perms));
	json_object_object_add(o, "offset", json_hex(v->pgoff));
	json_object_object_add(o, "name", json_name(v->name));
	json_object_object_add(o, "flags",
			       json_flags(v->flags, ptw_vma_flag_names, PTWALK_NR_VMA_FLAGS));
	return o;
}

static struct json_object *json_page(const struct ptwalk_page *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "refcount", json_object_new_int(p->refcount));
	json_object_object_add(o, "mapcount", json_object_new_int(p->mapcount));
	json_object_object_add(o, "order", json_object_new_int(p->order));
	json_object_object_add(o, "flags",
			       json_flags(p->flags, ptw_page_flag_names, PTWALK_NR_PAGE_FLAGS));
	json_object_object_add(o, "zone", json_name(p->zone));
	json_object_object_add(o, "node", json_object_new_int(p->node));
	return o;
}

struct json_object *render_error_json(int pid, uint64_t va, const char *error)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "va", json_hex(va));
	json_object_object_add(o, "error", json_object_new_string(error));
	return o;
}

struct json_object *render_xlate_json(int pid, const struct ptwalk_xlate *x, int see_phys)
{
	int see_pfn = !!(x->valid & PTWALK_XV_PFN);
	struct json_object *o, *levels, *swap = NULL;
	unsigned int i;

	if (x->error)
		return render_error_json(pid, x->va, ptw_strerror(-x->error));
	o = json_object_new_object();
	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "va", json_hex(x->va));
	json_object_object_add(o, "present", json_object_new_boolean(x->present));
	json_object_object_add(o, "kind",
			       json_object_new_string(ptw_name(ptw_kind_names,
							       PTWALK_NR_KINDS, x->kind)));
	json_object_object_add(o, "leaf", x->kind == PTWALK_KIND_UNMAPPED ? NULL :
			       json_object_new_string(ptw_name(ptw_level_names, PTWALK_NR_LEVELS,
								       x->leaf_level)));
	json_object_object_add(o, "page_size", json_object_new_int64(x->page_size));
	json_object_object_add(o, "pfn", see_pfn ? json_object_new_int64(x->pfn) : NULL);
	json_object_object_add(o, "phys", see_pfn ? json_hex(x->phys) : NULL);
	levels = json_object_new_array();
	for (i = 0; x->kind != PTWALK_KIND_UNMAPPED && i <= x->leaf_level &&
		    i < PTWALK_NR_LEVELS; i++)
		json_object_array_add(levels, json_level(&x->levels[i], see_phys));
	json_object_object_add(o, "levels", levels);
	json_object_object_add(o, "vma", x->valid & PTWALK_XV_VMA ? json_vma(&x->vma) : NULL);
	json_object_object_add(o, "page", x->valid & PTWALK_XV_PAGE ? json_page(&x->page) : NULL);
	if (x->valid & PTWALK_XV_SWAP) {
		swap = json_object_new_object();
		json_object_object_add(swap, "type", json_object_new_int64(x->swap_type));
		json_object_object_add(swap, "offset", json_object_new_int64(x->swap_offset));
	}
	json_object_object_add(o, "swap", swap);
	return o;
}

/* Names of PTWALK_FEAT_* bits, by bit number; unknown bits print as bitN. */
static const char *const feature_names[] = {
	"pfn-visible", "translate", "vmstat", "walk", "maps", "thp", "fault-trace",
};

static const char *feature_name(unsigned int bit, char *buf, size_t len)
{
	if (bit < sizeof(feature_names) / sizeof(feature_names[0]))
		return feature_names[bit];
	snprintf(buf, len, "bit%u", bit);
	return buf;
}

void render_info_text(FILE *out, const struct ptwalk_info *info, const char *kernel)
{
	char buf[24];
	unsigned int bit;

	fprintf(out, "ptwalk %s, ABI %u (module ABI %u)\n", PTWALK_VERSION, PTWALK_ABI_VERSION,
		info->abi_version);
	fprintf(out, "kernel     %s\n", kernel);
	fprintf(out, "paging     %u levels, %u-byte pages, leaf sizes", info->paging_levels,
		1U << info->page_shift);
	for (bit = 0; bit < 64; bit++)
		if (info->page_sizes & (1ULL << bit))
			fprintf(out, " %s", exact_size(1ULL << bit, buf, sizeof(buf)));
	fprintf(out, "\nuser space 0x0-0x%" PRIx64 "\n", (uint64_t)info->user_va_end);
	fprintf(out, "features  ");
	for (bit = 0; bit < 64; bit++)
		if (info->features & (1ULL << bit))
			fprintf(out, " %s", feature_name(bit, buf, sizeof(buf)));
	fprintf(out, "\nmax batch  %u addresses per TRANSLATE\n", info->max_batch);
}

struct json_object *render_info_json(const struct ptwalk_info *info, const char *kernel)
{
	struct json_object *o = json_object_new_object();
	struct json_object *sizes = json_object_new_array();
	struct json_object *feats = json_object_new_array();
	char buf[24];
	unsigned int bit;

	json_object_object_add(o, "version", json_object_new_string(PTWALK_VERSION));
	json_object_object_add(o, "abi_version", json_object_new_int(PTWALK_ABI_VERSION));
	json_object_object_add(o, "module_abi_version", json_object_new_int(info->abi_version));
	json_object_object_add(o, "kernel", json_name(kernel));
	json_object_object_add(o, "paging_levels", json_object_new_int(info->paging_levels));
	json_object_object_add(o, "page_size", json_object_new_int64(1LL << info->page_shift));
	for (bit = 0; bit < 64; bit++) {
		if (info->page_sizes & (1ULL << bit))
			json_object_array_add(sizes, json_object_new_int64(1LL << bit));
		if (info->features & (1ULL << bit))
			json_object_array_add(feats, json_object_new_string(feature_name(bit, buf,
											 sizeof(buf))));
	}
	json_object_object_add(o, "leaf_sizes", sizes);
	json_object_object_add(o, "features", feats);
	json_object_object_add(o, "user_va_end", json_hex(info->user_va_end));
	json_object_object_add(o, "max_batch", json_object_new_int64(info->max_batch));
	return o;
}

void render_zones_text(FILE *out, const struct ptwalk_zone *z, unsigned int n)
{
	unsigned int i, j;

	fprintf(out, "%-4s %-8s %10s %10s %8s %8s %8s %8s %8s %10s %10s\n", "NODE", "ZONE",
		"FREE", "FREE_SNAP", "MIN", "LOW", "HIGH", "PROMO", "BOOST", "HEADROOM",
		"MANAGED");
	for (i = 0; i < n; i++, z++) {
		fprintf(out, "%-4d %-8s %10" PRIu64 " %10" PRIu64 " %8" PRIu64 " %8" PRIu64
			" %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %10" PRId64 " %10" PRIu64 "\n",
			z->node, z->name, (uint64_t)z->free, (uint64_t)z->free_snapshot,
			(uint64_t)z->wmark_min, (uint64_t)z->wmark_low,
			(uint64_t)z->wmark_high, (uint64_t)z->wmark_promo,
			(uint64_t)z->watermark_boost, (int64_t)z->headroom,
			(uint64_t)z->managed);
		fprintf(out, "     %-8s with boost: min %" PRIu64 " low %" PRIu64 " high %" PRIu64
			" promo %" PRIu64 "\n", "",
			(uint64_t)(z->wmark_min + z->watermark_boost),
			(uint64_t)(z->wmark_low + z->watermark_boost),
			(uint64_t)(z->wmark_high + z->watermark_boost),
			(uint64_t)(z->wmark_promo + z->watermark_boost));
		fprintf(out, "     %-8s free blocks by order:", "");
		for (j = 0; j < z->nr_orders; j++)
			fprintf(out, " %" PRIu64, (uint64_t)z->free_blocks[j]);
		fputc('\n', out);
	}
	fprintf(out, "(pages; watermarks without boost; headroom = free - (low + boost), < 0 wakes kswapd)\n");
}

static struct json_object *json_u64_array(const __u64 *v, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64(v[i]));
	return a;
}

struct json_object *render_zones_json(const struct ptwalk_zone *z, unsigned int n)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++, z++) {
		struct json_object *o = json_object_new_object();

#define ADD(k, v) json_object_object_add(o, k, json_object_new_int64(v))
		ADD("node", z->node);
		json_object_object_add(o, "zone", json_name(z->name));
		ADD("free", z->free);
		ADD("free_snapshot", z->free_snapshot);
		ADD("min", z->wmark_min);
		ADD("low", z->wmark_low);
		ADD("high", z->wmark_high);
		ADD("promo", z->wmark_promo);
		ADD("boost", z->watermark_boost);
		ADD("min_boosted", z->wmark_min + z->watermark_boost);
		ADD("low_boosted", z->wmark_low + z->watermark_boost);
		ADD("high_boosted", z->wmark_high + z->watermark_boost);
		ADD("promo_boosted", z->wmark_promo + z->watermark_boost);
		ADD("headroom", z->headroom);
		ADD("headroom_bytes", z->headroom * 4096);
		ADD("managed", z->managed);
		ADD("present", z->present);
		ADD("spanned", z->spanned);
		ADD("reserved_highatomic", z->reserved_highatomic);
#undef ADD
		json_object_object_add(o, "lowmem_reserve",
				       json_u64_array(z->lowmem_reserve, z->nr_reserve));
		json_object_object_add(o, "free_blocks",
				       json_u64_array(z->free_blocks, z->nr_orders));
		json_object_array_add(arr, o);
	}
	return arr;
}

void render_vmstat_text(FILE *out, const struct ptwalk_vmstat_item *it, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		fprintf(out, "%-32s %" PRIu64 "\n", it[i].name, (uint64_t)it[i].value);
}

struct json_object *render_vmstat_json(const struct ptwalk_vmstat_item *it, unsigned int n)
{
	struct json_object *o = json_object_new_object();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_object_add(o, it[i].name, json_object_new_int64(it[i].value));
	return o;
}

void render_faults_text(FILE *out, int pid, const struct ptwalk_faults *f)
{
	fprintf(out, "PID %d  threads %u\nminor %" PRIu64 "  major %" PRIu64
		"  children: minor %" PRIu64 "  major %" PRIu64 "\n", pid, f->nr_threads,
		(uint64_t)f->min_flt, (uint64_t)f->maj_flt, (uint64_t)f->cmin_flt,
		(uint64_t)f->cmaj_flt);
}

struct json_object *render_faults_json(int pid, const struct ptwalk_faults *f)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(pid));
	json_object_object_add(o, "threads", json_object_new_int(f->nr_threads));
	json_object_object_add(o, "min_flt", json_object_new_int64(f->min_flt));
	json_object_object_add(o, "maj_flt", json_object_new_int64(f->maj_flt));
	json_object_object_add(o, "cmin_flt", json_object_new_int64(f->cmin_flt));
	json_object_object_add(o, "cmaj_flt", json_object_new_int64(f->cmaj_flt));
	return o;
}

#define FT_COLS	10

static const char *const ft_cols[FT_COLS] = {
	"faults", "read", "write", "exec", "prot", "kernel", "minor", "major", "retry",
	"error",
};

static void ft_values(const struct ptwalk_ft_vma *v, uint64_t out[FT_COLS])
{
	uint64_t vals[FT_COLS] = { v->faults, v->read, v->write, v->exec, v->protection,
				   v->kernel_mode, v->minor, v->major, v->retry, v->error };

	memcpy(out, vals, sizeof(vals));
}

void render_trace_text(FILE *out, const struct ptwalk_fault_trace *t,
		       const struct ptwalk_ft_vma *vmas)
{
	uint64_t vals[FT_COLS];
	unsigned int i, j;

	fprintf(out, "PID %d  traced %.1f s  VMAs %u (max %u)  missed %" PRIu64 "\n",
		t->traced_pid, t->elapsed_ns / 1e9, t->total_vmas, t->max_vmas,
		(uint64_t)t->nmissed);
	fprintf(out, "%-33s", "VMA");
	for (j = 0; j < FT_COLS; j++)
		fprintf(out, " %8s", ft_cols[j]);
	fputc('\n', out);
	for (i = 0; i <= t->count; i++) {
		const struct ptwalk_ft_vma *v = i < t->count ? &vmas[i] : &t->overflow;

		if (i == t->count && !v->faults)
			break;
		if (i < t->count)
			fprintf(out, "%016" PRIx64 "-%016" PRIx64, (uint64_t)v->start,
				(uint64_t)v->end);
		else
			fprintf(out, "%-33s", "(overflow)");
		ft_values(v, vals);
		for (j = 0; j < FT_COLS; j++)
			fprintf(out, " %8" PRIu64, vals[j]);
		fputc('\n', out);
	}
	fprintf(out, "fault duration:\n");
	for (i = 0; i < PTWALK_FT_HIST; i++)
		if (t->hist[i])
			/* bucket i: 2^i..2^(i+1)-1 ns, and bucket 0 also 0 ns */
			fprintf(out, "  %s %10" PRIu64 " ns  %" PRIu64 "\n", i ? ">=" : "<=",
				(uint64_t)1 << i, (uint64_t)t->hist[i]);
}

static struct json_object *json_ft_vma(const struct ptwalk_ft_vma *v)
{
	struct json_object *o = json_object_new_object();
	uint64_t vals[FT_COLS];
	unsigned int j;

	json_object_object_add(o, "start", json_hex(v->start));
	json_object_object_add(o, "end", json_hex(v->end));
	ft_values(v, vals);
	for (j = 0; j < FT_COLS; j++)
		json_object_object_add(o, ft_cols[j], json_object_new_int64(vals[j]));
	return o;
}

struct json_object *render_trace_json(const struct ptwalk_fault_trace *t,
				      const struct ptwalk_ft_vma *vmas)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	unsigned int i;

	json_object_object_add(o, "pid", json_object_new_int(t->traced_pid));
	json_object_object_add(o, "elapsed_ns", json_object_new_int64(t->elapsed_ns));
	json_object_object_add(o, "missed", json_object_new_int64(t->nmissed));
	json_object_object_add(o, "total_vmas", json_object_new_int(t->total_vmas));
	json_object_object_add(o, "max_vmas", json_object_new_int(t->max_vmas));
	json_object_object_add(o, "running", json_object_new_boolean(t->running));
	for (i = 0; i < t->count; i++)
		json_object_array_add(a, json_ft_vma(&vmas[i]));
	json_object_object_add(o, "vmas", a);
	json_object_object_add(o, "overflow", json_ft_vma(&t->overflow));
	a = json_object_new_array();
	for (i = 0; i < PTWALK_FT_HIST; i++)
		json_object_array_add(a, json_object_new_int64(t->hist[i]));
	json_object_object_add(o, "hist_log2_ns", a);
	return o;
}

void render_record_text(FILE *out, const struct ptwalk_record *r)
{
	char buf[32];

	fprintf(out, "%016" PRIx64 "-%016" PRIx64 " %8s %-4s %-9s ", (uint64_t)r->va,
		(uint64_t)(r->va + r->length), exact_size(r->length, buf, sizeof(buf)),
		ptw_name(ptw_level_names, PTWALK_NR_LEVELS, r->level),
		ptw_name(ptw_kind_names, PTWALK_NR_KINDS, r->kind));
	if (r->present && r->pfn)
		fprintf(out, "pfn %#10" PRIx64 " ", (uint64_t)r->pfn);
	else
		fprintf(out, "%15s", "");
	text_flags(out, r->flags, ptw_entry_flag_names, PTWALK_NR_ENTRY_FLAGS);
	fputc('\n', out);
}

struct json_object *render_record_json(const struct ptwalk_record *r,
				       const struct maps_view *view, int see_phys)
{
	struct json_object *o = json_object_new_object();
	int level = !view_missing(view, "level");

	json_object_object_add(o, "va", json_hex(r->va));
	json_object_object_add(o, "length", json_object_new_int64(r->length));
	json_object_object_add(o, "page_size", level ?
			       json_object_new_int64(1ULL << r->page_size_shift) : NULL);
	json_object_object_add(o, "leaf", level ? json_object_new_string(
		ptw_name(ptw_level_names, PTWALK_NR_LEVELS, r->level)) : NULL);
	json_object_object_add(o, "kind", view_missing(view, "kind") ? NULL :
			       json_object_new_string(ptw_name(ptw_kind_names, PTWALK_NR_KINDS,
							       r->kind)));
	json_object_object_add(o, "present", json_object_new_boolean(r->present));
	json_object_object_add(o, "pfn", see_phys && r->present && !view_missing(view, "pfn") ?
			       json_object_new_int64(r->pfn) : NULL);
	json_object_object_add(o, "entry", view_missing(view, "entry") ? NULL :
			       json_hex(r->entry));
	json_object_object_add(o, "flags", json_entry_flags(view, r->flags));
	json_object_object_add(o, "categories",
			       json_flags(r->cats, ptw_cat_names, PTWALK_NR_CATS));
	json_object_object_add(o, "vma_start", json_hex(r->vma_start));
	return o;
}
