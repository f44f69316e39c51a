// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of per-VMA statistics (maps) and of page-table ranges
 * (pagetable), as text and JSON, from the uapi structs whoever filled them:
 * the module or the pagemap fallback.
 */
#include <inttypes.h>
#include <string.h>
#include "names.h"
#include "render.h"

#define FLAG(bits, nr)	(((bits) >> (nr)) & 1)
#define PAGE_SIZE	4096ULL

const char *human_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	double v = bytes / 1024.0;
	unsigned int u = 0;

	if (!bytes) {
		snprintf(buf, len, "0");
		return buf;
	}
	while (v >= 1024 && u < sizeof(units) - 2) {
		v /= 1024;
		u++;
	}
	if (v == (uint64_t)v || v >= 100)
		snprintf(buf, len, "%.0f%c", v, units[u]);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
	return buf;
}

int view_missing(const struct maps_view *view, const char *field)
{
	const char *const *m;

	for (m = view->missing; m && *m; m++)
		if (!strcmp(*m, field))
			return 1;
	return 0;
}

struct json_object *json_entry_flags(const struct maps_view *view, uint64_t flags)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < PTWALK_NR_ENTRY_FLAGS; i++) {
		const char *name = ptw_name(ptw_entry_flag_names, PTWALK_NR_ENTRY_FLAGS, i);

		if (FLAG(flags, i) && !view_missing(view, name))
			json_object_array_add(a, json_object_new_string(name));
	}
	return a;
}

uint64_t stats_resident(const struct ptwalk_vma_stats *s)
{
	return s->resident[PTWALK_PS_4K] + s->resident[PTWALK_PS_2M] + s->resident[PTWALK_PS_1G];
}

uint64_t stats_thp_bytes(const struct ptwalk_vma_stats *s)
{
	uint64_t huge = s->resident[PTWALK_PS_2M] + s->resident[PTWALK_PS_1G];

	return huge > s->hugetlb ? huge - s->hugetlb : 0;
}

static uint64_t table_pages(const __u64 *tables)
{
	return tables[PTWALK_LEVEL_PTE] + tables[PTWALK_LEVEL_PMD] +
	       tables[PTWALK_LEVEL_PUD] + tables[PTWALK_LEVEL_P4D];
}

void maps_sum(const struct ptwalk_vma_stats *s, size_t n, struct ptwalk_vma_stats *t)
{
	size_t i;
	int j;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++, s++) {
		for (j = 0; j < PTWALK_NR_PS; j++)
			t->resident[j] += s->resident[j];
#define SUM(f) (t->f += s->f)
		SUM(thp); SUM(hugetlb); SUM(zero); SUM(swapped); SUM(none); SUM(other);
		SUM(dirty); SUM(accessed); SUM(soft_dirty); SUM(write_protected);
		SUM(pte_deposited); SUM(extents); SUM(node_other);
#undef SUM
		for (j = 0; j < PTWALK_NR_LEVELS; j++) {
			t->tables[j] += s->tables_first[j];
			t->tables_first[j] += s->tables_first[j];
		}
		for (j = 0; j < PTWALK_MAX_NODES; j++)
			t->node[j] += s->node[j];
		for (j = 0; j < PTWALK_NR_FOLIO_ORDERS; j++)
			t->resident_folio[j] += s->resident_folio[j];
		if (s->largest_extent > t->largest_extent)
			t->largest_extent = s->largest_extent;
		t->vma.end += s->vma.end - s->vma.start;	/* the total size */
	}
}

void maps_total_items(const struct ptwalk_vma_stats *t,
		      struct maps_total_item items[MAPS_NR_TOTALS])
{
	const struct maps_total_item all[MAPS_NR_TOTALS] = {
		{ "size", t->vma.end - t->vma.start },
		{ "resident", stats_resident(t) },
		{ "resident_4k", t->resident[PTWALK_PS_4K] },
		{ "resident_2m", t->resident[PTWALK_PS_2M] },
		{ "resident_1g", t->resident[PTWALK_PS_1G] },
		{ "thp_bytes", stats_thp_bytes(t) },
		{ "hugetlb", t->hugetlb },
		{ "zero", t->zero },
		{ "swapped", t->swapped },
		{ "none", t->none },
		{ "other", t->other },
	};

	memcpy(items, all, sizeof(all));
}

/* "0,1" for the nodes holding resident memory, "-" when unknown. */
static const char *nodes_text(const struct maps_view *view,
			      const struct ptwalk_vma_stats *s, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	if (view_missing(view, "nodes"))
		return "-";
	for (i = 0; i < PTWALK_MAX_NODES && used < len; i++)
		if (s->node[i])
			used += snprintf(buf + used, len - used, "%s%d", used ? "," : "", i);
	if (s->node_other && used < len)
		snprintf(buf + used, len - used, "%s+", used ? "," : "");
	return buf[0] ? buf : "-";
}

/* One column's text: the size, or "-" when the source cannot tell. */
static const char *col(const struct maps_view *view, const char *field, uint64_t v,
		       char *buf, size_t len)
{
	return view_missing(view, field) ? "-" : human_size(v, buf, len);
}

static void maps_header(FILE *out)
{
	fprintf(out, "%-25s %-4s %6s %6s %6s %6s %6s %4s %6s %6s %6s %6s %4s %5s %6s %-4s %s\n",
		"START-END", "PERM", "SIZE", "RSS", "4K", "2M", "1G", "THP", "ZERO", "SWAP",
		"NONE", "DIRTY", "PT", "EXT", "LARGE", "NODE", "NAME");
}

static void maps_row(FILE *out, const struct maps_view *view,
		     const struct ptwalk_vma_stats *s, const char *range, const char *perms)
{
	char b[12][16], nodes[32], thp[16], pt[16], ext[16];

	snprintf(thp, sizeof(thp), "%" PRIu64, (uint64_t)s->thp);
	snprintf(pt, sizeof(pt), "%" PRIu64, table_pages(s->tables));
	snprintf(ext, sizeof(ext), "%" PRIu64, (uint64_t)s->extents);
	fprintf(out, "%-25s %-4s %6s %6s %6s %6s %6s %4s %6s %6s %6s %6s %4s %5s %6s %-4s %s\n",
		range, perms, human_size(s->vma.end - s->vma.start, b[0], 16),
		human_size(stats_resident(s), b[1], 16),
		col(view, "resident_4k", s->resident[PTWALK_PS_4K], b[2], 16),
		col(view, "resident_2m", s->resident[PTWALK_PS_2M], b[3], 16),
		col(view, "resident_1g", s->resident[PTWALK_PS_1G], b[4], 16),
		view_missing(view, "thp") ? "-" : thp,
		col(view, "zero", s->zero, b[5], 16),
		human_size(s->swapped, b[6], 16), human_size(s->none, b[7], 16),
		col(view, "dirty", s->dirty, b[8], 16),
		view_missing(view, "tables") ? "-" : pt,
		view_missing(view, "extents") ? "-" : ext,
		col(view, "largest_extent", s->largest_extent, b[9], 16),
		nodes_text(view, s, nodes, sizeof(nodes)), s->vma.name);
}

static void page_tables_line(FILE *out, const struct maps_view *view,
			     const struct ptwalk_vma_stats *t)
{
	const __u64 *tf = t->tables_first;
	uint64_t pages = tf[PTWALK_LEVEL_PTE] + tf[PTWALK_LEVEL_PMD] + tf[PTWALK_LEVEL_PUD] +
			 t->pte_deposited;
	char vmpte[48] = "VmPTE unknown";

	if (view->vmpte_kb >= 0)
		snprintf(vmpte, sizeof(vmpte), "VmPTE %lld kB", view->vmpte_kb);
	if (view_missing(view, "tables")) {
		fprintf(out, "page tables: unknown without the module (%s)\n", vmpte);
		return;
	}
	fprintf(out, "page tables: %" PRIu64 " KiB (pte %" PRIu64 ", pmd %" PRIu64 ", pud %"
		PRIu64 " tables, %" PRIu64 " deposited) %s %s", (uint64_t)(pages * PAGE_SIZE >> 10),
		(uint64_t)tf[PTWALK_LEVEL_PTE], (uint64_t)tf[PTWALK_LEVEL_PMD],
		(uint64_t)tf[PTWALK_LEVEL_PUD], (uint64_t)t->pte_deposited,
		view->vmpte_kb < 0 || (uint64_t)view->vmpte_kb == pages * PAGE_SIZE >> 10 ?
		"=" : "!=", vmpte);
	if (tf[PTWALK_LEVEL_P4D])
		fprintf(out, "; + %" PRIu64 " p4d tables (not in VmPTE)",
			(uint64_t)tf[PTWALK_LEVEL_P4D]);
	fputc('\n', out);
}

/* "4K 772K, 64K 1M, 2M 2M": resident bytes by the size of their folio */
static void folio_sizes_line(FILE *out, const struct maps_view *view,
			     const struct ptwalk_vma_stats *t)
{
	char size[16], bytes[16];
	const char *sep = "";
	unsigned int o;

	if (view_missing(view, "resident_by_folio"))
		return;
	fprintf(out, "resident by folio size:");
	for (o = 0; o < PTWALK_NR_FOLIO_ORDERS; o++) {
		if (!t->resident_folio[o])
			continue;
		fprintf(out, "%s %s %s", sep, exact_size(PAGE_SIZE << o, size, sizeof(size)),
			human_size(t->resident_folio[o], bytes, sizeof(bytes)));
		sep = ",";
	}
	fputc('\n', out);
}

/* {"4096": bytes, "65536": bytes, ...}: the folio sizes that hold resident memory */
static struct json_object *json_folios(const struct maps_view *view,
				       const struct ptwalk_vma_stats *s)
{
	struct json_object *o;
	char key[24];
	unsigned int i;

	if (view_missing(view, "resident_by_folio"))
		return NULL;
	o = json_object_new_object();
	for (i = 0; i < PTWALK_NR_FOLIO_ORDERS; i++) {
		if (!s->resident_folio[i])
			continue;
		snprintf(key, sizeof(key), "%llu", PAGE_SIZE << i);
		json_object_object_add(o, key, json_object_new_int64(s->resident_folio[i]));
	}
	return o;
}

void render_maps_text(FILE *out, const struct maps_view *view,
		      const struct ptwalk_vma_stats *s, size_t n)
{
	struct ptwalk_vma_stats total;
	char range[48], perms[5];
	size_t i;

	maps_header(out);
	for (i = 0; i < n; i++) {
		snprintf(range, sizeof(range), "%012" PRIx64 "-%012" PRIx64,
			 (uint64_t)s[i].vma.start, (uint64_t)s[i].vma.end);
		vma_perms(&s[i].vma, perms);
		maps_row(out, view, &s[i], range, perms);
	}
	maps_sum(s, n, &total);
	snprintf(range, sizeof(range), "TOTAL (%zu VMAs)", n);
	maps_row(out, view, &total, range, "");
	folio_sizes_line(out, view, &total);
	page_tables_line(out, view, &total);
}

/* v, or null when the source cannot tell @field */
static struct json_object *json_known(const struct maps_view *view, const char *field,
				      uint64_t v)
{
	return view_missing(view, field) ? NULL : json_object_new_int64(v);
}

static struct json_object *json_tables(const struct maps_view *view, const char *field,
				       const __u64 *tables)
{
	struct json_object *o;
	int l;

	if (view_missing(view, field))
		return NULL;
	o = json_object_new_object();
	for (l = PTWALK_LEVEL_PTE; l > PTWALK_LEVEL_PGD; l--)
		json_object_object_add(o, ptw_level_names[l], json_object_new_int64(tables[l]));
	return o;
}

static struct json_object *json_nodes(const struct maps_view *view,
				      const struct ptwalk_vma_stats *s)
{
	struct json_object *o;
	char key[8];
	int i;

	if (view_missing(view, "nodes"))
		return NULL;
	o = json_object_new_object();
	for (i = 0; i < PTWALK_MAX_NODES; i++) {
		if (!s->node[i])
			continue;
		snprintf(key, sizeof(key), "%d", i);
		json_object_object_add(o, key, json_object_new_int64(s->node[i]));
	}
	return o;
}

/* The fields a VMA and the total share. */
static void json_stats(struct json_object *o, const struct maps_view *view,
		       const struct ptwalk_vma_stats *s)
{
	struct maps_total_item items[MAPS_NR_TOTALS];
	unsigned int i;

	maps_total_items(s, items);
	for (i = 0; i < MAPS_NR_TOTALS; i++)
		json_object_object_add(o, items[i].key, json_known(view, items[i].key, items[i].value));
#define KNOWN(k) json_object_object_add(o, #k, json_known(view, #k, s->k))
	KNOWN(thp);
	KNOWN(dirty);
	KNOWN(accessed);
	KNOWN(soft_dirty);
	KNOWN(write_protected);
	KNOWN(pte_deposited);
	KNOWN(extents);
	KNOWN(largest_extent);
#undef KNOWN
	json_object_object_add(o, "tables", json_tables(view, "tables", s->tables));
	json_object_object_add(o, "tables_first",
			       json_tables(view, "tables_first", s->tables_first));
	json_object_object_add(o, "nodes", json_nodes(view, s));
	json_object_object_add(o, "node_other", json_known(view, "nodes", s->node_other));
	json_object_object_add(o, "resident_by_folio", json_folios(view, s));
}

static struct json_object *json_total(const struct maps_view *view,
				      const struct ptwalk_vma_stats *s, size_t n)
{
	struct json_object *o = json_object_new_object();
	struct ptwalk_vma_stats t;
	const __u64 *tf = t.tables_first;

	maps_sum(s, n, &t);
	json_object_object_add(o, "vmas", json_object_new_int64(n));
	json_stats(o, view, &t);
	json_object_object_add(o, "page_table_bytes", json_known(view, "tables",
		(tf[PTWALK_LEVEL_PTE] + tf[PTWALK_LEVEL_PMD] + tf[PTWALK_LEVEL_PUD] +
		 t.pte_deposited) * PAGE_SIZE));
	json_object_object_add(o, "vmpte_bytes", view->vmpte_kb < 0 ? NULL :
			       json_object_new_int64(view->vmpte_kb * 1024));
	return o;
}

struct json_object *render_source_json(const struct maps_view *view)
{
	struct json_object *o = json_object_new_object();
	struct json_object *missing = json_object_new_array();
	const char *const *m;

	for (m = view->missing; m && *m; m++)
		json_object_array_add(missing, json_object_new_string(*m));
	json_object_object_add(o, "pid", json_object_new_int(view->pid));
	json_object_object_add(o, "source", json_object_new_string(view->source));
	json_object_object_add(o, "missing", missing);
	return o;
}

struct json_object *render_maps_json(const struct maps_view *view,
				     const struct ptwalk_vma_stats *s, size_t n)
{
	struct json_object *o = render_source_json(view);
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		struct json_object *v = json_vma(&s[i].vma);

		json_stats(v, view, &s[i]);
		json_object_array_add(arr, v);
	}
	json_object_object_add(o, "vmas", arr);
	json_object_object_add(o, "total", json_total(view, s, n));
	return o;
}

/* ---- pagetable ---- */

uint64_t range_wx_pages(const struct ptwalk_record *r)
{
	if (!FLAG(r->cats, PTWALK_CAT_WX) || !r->present)
		return 0;
	return r->length / PAGE_SIZE;
}

/* ptdump's way: USR, RW or ro, x or NX, then the bits that are set. */
static void range_flags(const struct ptwalk_record *r, char *buf, size_t len)
{
	static const struct { int bit; const char *name; } extra[] = {
		{ PTWALK_EF_ACCESSED, "A" }, { PTWALK_EF_DIRTY, "D" },
		{ PTWALK_EF_SOFT_DIRTY, "SD" }, { PTWALK_EF_UFFD_WP, "UFFD" },
		{ PTWALK_EF_UFFD_RWP, "UFFD-RWP" },
		{ PTWALK_EF_GLOBAL, "GLB" }, { PTWALK_EF_PWT, "PWT" }, { PTWALK_EF_PCD, "PCD" },
		{ PTWALK_EF_SPECIAL, "SPECIAL" }, { PTWALK_EF_DEVMAP, "DEVMAP" },
		{ PTWALK_EF_PROTNONE, "PROTNONE" }, { PTWALK_EF_SAVED_DIRTY, "SAVED-D" },
		{ PTWALK_EF_SWP_EXCLUSIVE, "EXCL" },
	};
	size_t used;
	unsigned int i;

	if (r->present)
		used = snprintf(buf, len, "%-3s %-2s %-2s",
				FLAG(r->flags, PTWALK_EF_USER) ? "USR" : "",
				FLAG(r->flags, PTWALK_EF_RW) ? "RW" : "ro",
				FLAG(r->flags, PTWALK_EF_NX) ? "NX" : "x");
	else
		used = snprintf(buf, len, "-");
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]) && used < len; i++)
		if (FLAG(r->flags, extra[i].bit))
			used += snprintf(buf + used, len - used, " %s", extra[i].name);
}

void render_range_text(FILE *out, const struct ptwalk_record *r, const char *vma_name)
{
	char size[24], flags[96];

	range_flags(r, flags, sizeof(flags));
	fprintf(out, "0x%016" PRIx64 "-0x%016" PRIx64 " %6s  %-3s  %-8s  %-22s %3s  %s\n",
		(uint64_t)r->va, (uint64_t)(r->va + r->length),
		exact_size(r->length, size, sizeof(size)),
		ptw_name(ptw_level_names, PTWALK_NR_LEVELS, r->level),
		ptw_name(ptw_kind_names, PTWALK_NR_KINDS, r->kind), flags,
		range_wx_pages(r) ? "W+X" : "", vma_name);
}

struct json_object *render_range_json(const struct maps_view *view,
				      const struct ptwalk_record *r, const char *vma_name)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "start", json_hex(r->va));
	json_object_object_add(o, "end", json_hex(r->va + r->length));
	json_object_object_add(o, "length", json_object_new_int64(r->length));
	json_object_object_add(o, "level", view_missing(view, "level") ? NULL :
			       json_object_new_string(ptw_name(ptw_level_names, PTWALK_NR_LEVELS,
							       r->level)));
	json_object_object_add(o, "kind", view_missing(view, "kind") ? NULL :
			       json_object_new_string(ptw_name(ptw_kind_names, PTWALK_NR_KINDS,
							       r->kind)));
	json_object_object_add(o, "present", json_object_new_boolean(r->present));
	json_object_object_add(o, "flags", json_entry_flags(view, r->flags));
	json_object_object_add(o, "categories",
			       json_flags(r->cats, ptw_cat_names, PTWALK_NR_CATS));
	json_object_object_add(o, "wx", json_object_new_boolean(range_wx_pages(r) != 0));
	json_object_object_add(o, "vma_start", json_hex(r->vma_start));
	json_object_object_add(o, "vma_name", json_name(vma_name));
	return o;
}

void render_wx_check_text(FILE *out, uint64_t wx_pages)
{
	fprintf(out, "Checked W+X mappings: %s, %" PRIu64 " W+X pages\n",
		wx_pages ? "FAILED" : "passed", wx_pages);
}

struct json_object *render_pagetable_json(const struct maps_view *view,
					  struct json_object *ranges,
					  struct json_object *wx_ranges, uint64_t wx_pages)
{
	struct json_object *o = render_source_json(view);

	json_object_object_add(o, "ranges", ranges);
	json_object_object_add(o, "wx_ranges", wx_ranges);
	json_object_object_add(o, "wx_pages", json_object_new_int64(wx_pages));
	json_object_object_add(o, "wx_check",
			       json_object_new_string(wx_pages ? "FAILED" : "passed"));
	return o;
}
