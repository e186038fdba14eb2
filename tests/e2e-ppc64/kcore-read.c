// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kcore-read PADDR SIZE: copy SIZE bytes of physical memory at PADDR to
 * stdout through /proc/kcore (the direct map, __va(PADDR) = 0xc000... +
 * PADDR on ppc64). Run by tests/e2e-ppc64/record.sh's guest /init after a
 * crash load, whose segments the kernel has copied into the crash region:
 * the kernel's own device tree, ELF core headers and purgatory, byte for byte.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PPC64_PAGE_OFFSET 0xc000000000000000ULL

int main(int argc, char **argv)
{
	uint64_t paddr, size, va;
	Elf64_Ehdr eh;
	int fd, i;

	if (argc != 3)
		return fprintf(stderr, "usage: kcore-read PADDR SIZE\n"), 2;
	paddr = strtoull(argv[1], NULL, 0);
	size = strtoull(argv[2], NULL, 0);
	va = PPC64_PAGE_OFFSET + paddr;
	fd = open("/proc/kcore", O_RDONLY);
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return perror("/proc/kcore"), 1;
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		static char buf[65536];
		uint64_t off, done = 0;

		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + (uint64_t)i * sizeof(ph)) != sizeof(ph))
			return perror("/proc/kcore program headers"), 1;
		if (ph.p_type != PT_LOAD || va < ph.p_vaddr || va + size > ph.p_vaddr + ph.p_memsz)
			continue;
		off = ph.p_offset + (va - ph.p_vaddr);
		while (done < size) {
			size_t n = size - done < sizeof(buf) ? size - done : sizeof(buf);
			ssize_t r = pread(fd, buf, n, off + done);

			if (r <= 0 || write(1, buf, r) != r)
				return perror("kcore-read"), 1;
			done += r;
		}
		return 0;
	}
	fprintf(stderr, "kcore-read: 0x%llx+0x%llx is in no PT_LOAD of /proc/kcore\n",
		(unsigned long long)paddr, (unsigned long long)size);
	return 1;
}
