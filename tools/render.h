/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering of ptwalk answers: knows the uapi structs, not the ioctls. */
#ifndef PTWALK_TOOLS_RENDER_H
#define PTWALK_TOOLS_RENDER_H

#include <stdio.h>
#include <json-c/json.h>
#include <linux/ptwalk.h>

const char *ptw_strerror(int err);
void render_xlate_text(FILE *out, int pid, const struct ptwalk_xlate *x);
struct json_object *render_xlate_json(int pid, const struct ptwalk_xlate *x,
				      int see_phys);
struct json_object *render_error_json(int pid, uint64_t va, const char *error);

/* What `ptwalk info` prints: the module's GET_INFO and the running kernel */
void render_info_text(FILE *out, const struct ptwalk_info *info, const char *kernel);
struct json_object *render_info_json(const struct ptwalk_info *info, const char *kernel);

void render_zones_text(FILE *out, const struct ptwalk_zone *z, unsigned int n);
struct json_object *render_zones_json(const struct ptwalk_zone *z, unsigned int n);
void render_vmstat_text(FILE *out, const struct ptwalk_vmstat_item *it, unsigned int n);
struct json_object *render_vmstat_json(const struct ptwalk_vmstat_item *it, unsigned int n);
void render_faults_text(FILE *out, int pid, const struct ptwalk_faults *f);
struct json_object *render_faults_json(int pid, const struct ptwalk_faults *f);

void render_trace_text(FILE *out, const struct ptwalk_fault_trace *t,
		       const struct ptwalk_ft_vma *vmas);
struct json_object *render_trace_json(const struct ptwalk_fault_trace *t,
				      const struct ptwalk_ft_vma *vmas);

void render_record_text(FILE *out, const struct ptwalk_record *r);
struct maps_view;
/* null for what @view says is missing (entry, kind, level, pfn) */
struct json_object *render_record_json(const struct ptwalk_record *r,
				       const struct maps_view *view, int see_phys);

/* Shared by the renderers (render.c). */
void vma_perms(const struct ptwalk_vma *v, char perms[5]);
struct json_object *json_hex(uint64_t v);
struct json_object *json_flags(uint64_t flags, const char *const *names, unsigned int n);
struct json_object *json_vma(const struct ptwalk_vma *v);
/* A string of the kernel's (a path need not be UTF-8), made valid UTF-8 */
struct json_object *json_name(const char *s);
/* "1536K", "2M": exact, in the largest unit that divides it (ptdump's way) */
const char *exact_size(uint64_t bytes, char *buf, size_t len);
/* "0", "12K", "1.5M", "2G": bytes for a human, rounded */
const char *human_size(uint64_t bytes, char *buf, size_t len);

/* ---- maps and pagetable (render_maps.c) ---- */

/* Where a maps answer came from and what it cannot tell. */
struct maps_view {
	int pid;
	const char *source;		/* "ptwalk" (the module) or "pagemap" */
	const char *const *missing;	/* NULL-terminated names of unknown fields */
	long long vmpte_kb;		/* VmPTE of /proc/PID/status, -1: unknown */
};

/* One total of what backs a process; JSON and SVG carry the same list. */
struct maps_total_item {
	const char *key;
	uint64_t value;
};

#define MAPS_NR_TOTALS	11

/* {"pid", "source", "missing"}: the start of every maps/pagetable/walk answer */
struct json_object *render_source_json(const struct maps_view *view);
int view_missing(const struct maps_view *view, const char *field);
/* Names of the entry flags set, less those @view says are missing (rw, nx...) */
struct json_object *json_entry_flags(const struct maps_view *view, uint64_t flags);
uint64_t stats_resident(const struct ptwalk_vma_stats *s);
/* THP bytes as the SVG draws them: huge leaves that are not hugetlb */
uint64_t stats_thp_bytes(const struct ptwalk_vma_stats *s);
/* Sum of @n VMAs; tables[] from tables_first[] so shared tables count once. */
void maps_sum(const struct ptwalk_vma_stats *s, size_t n, struct ptwalk_vma_stats *total);
void maps_total_items(const struct ptwalk_vma_stats *total,
		      struct maps_total_item items[MAPS_NR_TOTALS]);
void render_maps_text(FILE *out, const struct maps_view *view,
		      const struct ptwalk_vma_stats *s, size_t n);
struct json_object *render_maps_json(const struct maps_view *view,
				     const struct ptwalk_vma_stats *s, size_t n);

/* 4K pages of a present W+X range, else 0 */
uint64_t range_wx_pages(const struct ptwalk_record *r);
void render_range_text(FILE *out, const struct ptwalk_record *r, const char *vma_name);
struct json_object *render_range_json(const struct maps_view *view,
				      const struct ptwalk_record *r, const char *vma_name);
void render_wx_check_text(FILE *out, uint64_t wx_pages);
struct json_object *render_pagetable_json(const struct maps_view *view,
					  struct json_object *ranges,
					  struct json_object *wx_ranges, uint64_t wx_pages);

#endif
