/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels ptwalk builds for (Debian 6.1 and
 * 6.12) lives here, each behind a helper named after what it does, so the
 * rest of the module reads like code for one kernel.
 */
#ifndef PTWALK_COMPAT_H
#define PTWALK_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/page-flags.h>

/* 6.1 has no pmdp_get_lockless(); on x86-64 a PMD is read in one load. */
static inline pmd_t ptw_pmdp_get(pmd_t *pmdp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return pmdp_get_lockless(pmdp);
#else
	return READ_ONCE(*pmdp);
#endif
}

/* Huge PFN-map PMDs (VM_PFNMAP with huge pages) arrived in 6.12. */
static inline bool ptw_pmd_special(pmd_t pmd)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return pmd_special(pmd);
#else
	return false;
#endif
}

/* Both hardware dirty and the shadow-stack "saved dirty" bit (6.6+). */
#ifdef _PAGE_SAVED_DIRTY
#define PTW_PAGE_SAVED_DIRTY	_PAGE_SAVED_DIRTY
#else
#define PTW_PAGE_SAVED_DIRTY	0
#endif

/*
 * Mappings of this page by page tables, as /proc/kpagecount reports it:
 * 6.1 has page_mapcount(); 6.12 dropped it for the same sum open-coded
 * as folio_precise_page_mapcount() in mm/internal.h.
 */
static inline int ptw_page_mapcount(struct folio *folio, struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#else
	return page_mapcount(page);
#endif
}

/* Buddy orders: MAX_ORDER counted them up to 6.3, NR_PAGE_ORDERS since 6.8. */
#ifdef NR_PAGE_ORDERS
#define PTW_NR_PAGE_ORDERS	NR_PAGE_ORDERS
#else
#define PTW_NR_PAGE_ORDERS	MAX_ORDER
#endif

#endif /* PTWALK_COMPAT_H */
