// SPDX-License-Identifier: GPL-2.0
/*
 * demo_target: a process with something worth looking at.  It touches a
 * heap buffer, its stack, a THP-backed region and a file mapping, prints
 * their addresses as "name=0xADDR" lines, then waits to be inspected.
 * The four lines come at once, after every page is touched: a reader that
 * has them all can start inspecting (guest-demo.sh reads them from a FIFO).
 * Anything that fails is said on stderr, with exit status 1, before any
 * address is printed.
 * demo_target --map FILE: only maps FILE (not empty) shared, reads its
 * first page, prints "map=0xADDR" and waits (a VMA with FILE's name).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SZ_2M	(2UL << 20)

static int die(const char *what)
{
	perror(what);
	return 1;
}

static int map_only(const char *path)
{
	volatile char *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	(void)p[0];
	printf("map=%p\n", (void *)p);
	fflush(stdout);
	pause();
	return 0;
}

int main(int argc, char **argv)
{
	char *heap = malloc(64 * 1024);
	volatile char on_stack[64];
	char *raw, *thp, *file;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "--map"))
		return map_only(argv[2]);
	if (!heap)
		return die("demo_target: malloc");
	memset(heap, 1, 64 * 1024);
	on_stack[0] = 1;
	raw = mmap(NULL, 2 * SZ_2M, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return die("demo_target: mmap");
	thp = (char *)(((uintptr_t)raw + SZ_2M - 1) & ~(SZ_2M - 1));
	/* EINVAL: a kernel without THP (Debian's RT ones); the region stays 4K */
	if (madvise(thp, SZ_2M, MADV_HUGEPAGE) && errno != EINVAL)
		return die("demo_target: madvise(MADV_HUGEPAGE)");
	memset(thp, 2, SZ_2M);

	fd = open("/tmp/demo_target.data", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096))
		return die("demo_target: /tmp/demo_target.data");
	file = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (file == MAP_FAILED)
		return die("demo_target: mmap /tmp/demo_target.data");
	strcpy(file, "hello from a file page");

	printf("heap=%p\nstack=%p\nthp=%p\nfile=%p\n", (void *)heap,
	       (void *)on_stack, (void *)(thp + 0x1234), (void *)file);
	fflush(stdout);
	pause();
	return 0;
}
