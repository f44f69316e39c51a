// SPDX-License-Identifier: GPL-2.0
/*
 * maps as SVG: one bar per VMA, its length on a log scale of the VMA's
 * size, filled left to right in proportion to what backs it.  The
 * process's totals ride on the root element (data-total-KEY="BYTES") and
 * in <desc>, with the same keys as the "total" object of `maps --json`.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "names.h"
#include "svg.h"

#define WIDTH		1200
#define BAR_X		150
#define BAR_W		600
#define TEXT_X		(BAR_X + BAR_W + 10)
#define ROW_H		20
#define TOP		70

/* What backs a VMA, in the order the bar shows it. */
struct segment {
	const char *name;
	const char *colour;
};

static const struct segment segments[] = {
	{ "4K", "#4e79a7" }, { "THP", "#f28e2b" }, { "hugetlb", "#e15759" },
	{ "zero page", "#76b7b2" }, { "swapped", "#edc948" },
	{ "never faulted", "#e8e8e8" }, { "other", "#b07aa1" },
};

#define NR_SEGMENTS	(sizeof(segments) / sizeof(segments[0]))

static void segment_bytes(const struct ptwalk_vma_stats *s, uint64_t v[NR_SEGMENTS])
{
	v[0] = s->resident[PTWALK_PS_4K];
	v[1] = stats_thp_bytes(s);
	v[2] = s->hugetlb;
	v[3] = s->zero;
	v[4] = s->swapped;
	v[5] = s->none;
	v[6] = s->other;
}

/* Text content or attribute value: XML-escaped, and valid UTF-8 (paths need not be). */
static void put_escaped(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = ptw_utf8_len(p);

		if (*p == '&')
			fputs("&amp;", out);
		else if (*p == '<')
			fputs("&lt;", out);
		else if (*p == '>')
			fputs("&gt;", out);
		else if (*p == '"')
			fputs("&quot;", out);
		else if (*p == '\'')
			fputs("&apos;", out);
		else if (*p < 0x20 || !n)
			fputc('?', out);
		else
			fwrite(p, 1, n, out);
		p += n ? n : 1;
	}
}

/* The totals the source knows; the SVG leaves out what JSON has as null. */
static void put_totals(FILE *out, const struct maps_view *view,
		       const struct maps_total_item *t, int as_attrs)
{
	unsigned int i;
	char key[32], *c;

	for (i = 0; i < MAPS_NR_TOTALS; i++) {
		if (view_missing(view, t[i].key))
			continue;
		snprintf(key, sizeof(key), "%s", t[i].key);
		for (c = key; *c; c++)
			*c = *c == '_' ? '-' : *c;
		if (as_attrs)
			fprintf(out, " data-total-%s=\"%" PRIu64 "\"", key, t[i].value);
		else
			fprintf(out, "total-%s=%" PRIu64 "\n", key, t[i].value);
	}
}

static void put_legend(FILE *out)
{
	unsigned int i;

	for (i = 0; i < NR_SEGMENTS; i++) {
		int x = 10 + 140 * i;

		fprintf(out, "<rect x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\" "
			"stroke=\"#888\" stroke-width=\"0.5\"/>\n", x, segments[i].colour);
		fprintf(out, "<text x=\"%d\" y=\"45\">%s</text>\n", x + 16, segments[i].name);
	}
}

static double bar_length(uint64_t size, uint64_t largest)
{
	double len = BAR_W * log2(1.0 + size / 4096.0) / log2(1.0 + largest / 4096.0);

	return len < 2 ? 2 : len;
}

static void put_bar(FILE *out, const struct ptwalk_vma_stats *s, int y, double len)
{
	uint64_t v[NR_SEGMENTS], sum = 0;
	double x = BAR_X;
	char size[16];
	unsigned int i;

	segment_bytes(s, v);
	for (i = 0; i < NR_SEGMENTS; i++)
		sum += v[i];
	fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.2f\" height=\"14\" fill=\"none\" "
		"stroke=\"#888\" stroke-width=\"0.5\"/>\n", BAR_X, y, len);
	for (i = 0; i < NR_SEGMENTS && sum; i++) {
		double w = len * v[i] / sum;

		if (!v[i])
			continue;
		fprintf(out, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"14\" fill=\"%s\">"
			"<title>%s: %s</title></rect>\n", x, y, w, segments[i].colour,
			segments[i].name, human_size(v[i], size, sizeof(size)));
		x += w;
	}
}

static void put_row(FILE *out, const struct ptwalk_vma_stats *s, int y, uint64_t largest)
{
	char rss[16], size[16], perms[5];

	vma_perms(&s->vma, perms);
	fprintf(out, "<text x=\"10\" y=\"%d\" class=\"mono\">%012" PRIx64 " %s</text>\n",
		y + 11, (uint64_t)s->vma.start, perms);
	put_bar(out, s, y, bar_length(s->vma.end - s->vma.start, largest));
	fprintf(out, "<text x=\"%d\" y=\"%d\">%s of %s  ", TEXT_X, y + 11,
		human_size(stats_resident(s), rss, sizeof(rss)),
		human_size(s->vma.end - s->vma.start, size, sizeof(size)));
	put_escaped(out, s->vma.name[0] ? s->vma.name : "[anon]");
	fprintf(out, "</text>\n");
}

void svg_maps(FILE *out, const struct maps_view *view,
	      const struct ptwalk_vma_stats *s, size_t n)
{
	struct maps_total_item items[MAPS_NR_TOTALS];
	struct ptwalk_vma_stats total;
	uint64_t largest = 4096;
	int height = TOP + ROW_H * (int)n + 30;
	char rss[16];
	size_t i;

	maps_sum(s, n, &total);
	maps_total_items(&total, items);
	for (i = 0; i < n; i++)
		if (s[i].vma.end - s[i].vma.start > largest)
			largest = s[i].vma.end - s[i].vma.start;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" data-pid=\"%d\" data-source=\"%s\" data-vmas=\"%zu\"",
		WIDTH, height, WIDTH, height, view->pid, view->source, n);
	put_totals(out, view, items, 1);
	fprintf(out, ">\n<desc>ptwalk maps of pid %d, source=%s\n", view->pid, view->source);
	put_totals(out, view, items, 0);
	fprintf(out, "</desc>\n<style>text { font: 12px sans-serif; } "
		".mono { font: 11px monospace; }</style>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"10\" y=\"20\" style=\"font-weight: bold\">pid %d: %zu VMAs, "
		"%s resident (bar length: log scale of VMA size; source: %s)</text>\n",
		view->pid, n, human_size(stats_resident(&total), rss, sizeof(rss)), view->source);
	put_legend(out);
	for (i = 0; i < n; i++)
		put_row(out, &s[i], TOP + ROW_H * (int)i, largest);
	fprintf(out, "</svg>\n");
}
