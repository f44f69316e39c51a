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
struct json_object *render_record_json(const struct ptwalk_record *r, int see_phys);

#endif
