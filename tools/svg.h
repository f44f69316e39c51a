/* SPDX-License-Identifier: GPL-2.0 */
/* The address space of a process as an SVG picture: one bar per VMA. */
#ifndef PTWALK_TOOLS_SVG_H
#define PTWALK_TOOLS_SVG_H

#include <stdio.h>
#include "render.h"

void svg_maps(FILE *out, const struct maps_view *view,
	      const struct ptwalk_vma_stats *s, size_t n);

#endif
