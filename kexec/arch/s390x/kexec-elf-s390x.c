// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The s390 ELF loader of kexec_file (arch/s390/kernel/kexec_elf.c, Linux
 * 6.1): each PT_LOAD at its p_paddr (rounded up to p_align; crash: plus the
 * start of the crash region); the segment that holds the entry carries the
 * lowcore and the parmarea.
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "arch.h"
#include "byteorder.h"
#include "log.h"
#include "plan.h"
#include "s390x.h"

/* the kernel's ALIGN(), including what it does with 0 or odd alignments */
#define KALIGN(x, a) (((x) + ((uint64_t)(a) - 1)) & ~((uint64_t)(a) - 1))

#define EHDR_SIZE 64
#define PHDR_SIZE 56

struct s390_phdr {
	uint32_t p_type;
	uint64_t p_offset, p_paddr, p_filesz, p_memsz, p_align;
};

static void read_phdr(const struct plan *plan, const uint8_t *p, struct s390_phdr *ph)
{
	ph->p_type = elf_get32(plan->arch->ei_data, p);
	ph->p_offset = elf_get64(plan->arch->ei_data, p + 8);
	ph->p_paddr = elf_get64(plan->arch->ei_data, p + 24);
	ph->p_filesz = elf_get64(plan->arch->ei_data, p + 32);
	ph->p_memsz = elf_get64(plan->arch->ei_data, p + 40);
	ph->p_align = elf_get64(plan->arch->ei_data, p + 48);
}

static int kexec_file_add_kernel_elf(struct plan *plan, const struct kexec_inputs *in,
				     struct s390_load_data *data)
{
	uint64_t entry, phoff, crash_start = 0, crash_size;
	uint16_t phnum;
	uint8_t *kernel;
	unsigned int i;
	int ret;

	kernel = s390_copy_kernel(plan, in);
	if (!kernel)
		return -ENOMEM;
	if (plan->crash) {
		ret = s390_crash_region(plan, &crash_start, &crash_size);
		if (ret)
			return ret;
		entry = S390_STARTUP_KDUMP_OFFSET;
	} else {
		entry = elf_get64(plan->arch->ei_data, kernel + 24);
	}
	phoff = elf_get64(plan->arch->ei_data, kernel + 32);
	phnum = get_be16(kernel + 56);

	for (i = 0; i < phnum; i++) {
		struct kexec_buf kbuf = { .plan = plan, .what = "kernel" };
		struct s390_phdr ph;

		read_phdr(plan, kernel + phoff + (uint64_t)i * PHDR_SIZE, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		/* the kernel trusts the sizes summed in s390_elf_load; a copy must not */
		if (ph.p_filesz > in->kernel_len - ph.p_offset) {
			kx_error("%s: program header %u: 0x%" PRIx64 " bytes at 0x%" PRIx64
				 " run past the end of the file", in->kernel_name, i, ph.p_filesz,
				 ph.p_offset);
			return -EINVAL;
		}

		kbuf.buffer = kernel + ph.p_offset;
		kbuf.bufsz = ph.p_filesz;

		kbuf.mem = KALIGN(ph.p_paddr, ph.p_align) + crash_start;
		kbuf.memsz = ph.p_memsz;
		data->memsz = KALIGN(data->memsz, ph.p_align) + kbuf.memsz;

		if (entry - ph.p_paddr < ph.p_memsz) {
			data->kernel_buf = kernel + ph.p_offset;
			data->kernel_mem = kbuf.mem;
			if (in->kernel_len - ph.p_offset > S390_PARMAREA) {
				data->parm = data->kernel_buf + S390_PARMAREA;
				data->parm_room = in->kernel_len - ph.p_offset - S390_PARMAREA;
			}
		}

		ipl_report_add_component(data->report, &kbuf,
					 IPL_RB_COMPONENT_FLAG_SIGNED | IPL_RB_COMPONENT_FLAG_VERIFIED,
					 IPL_RB_CERT_UNKNOWN);
		ret = kexec_add_buffer(&kbuf);
		if (ret)
			return ret;
	}

	if (!data->memsz) {
		kx_error("%s: no PT_LOAD segment with contents", in->kernel_name);
		return -EINVAL;
	}
	/* the kernel would dereference a NULL parmarea here */
	if (!data->kernel_buf) {
		kx_error("%s: the entry 0x%" PRIx64 " is in no PT_LOAD segment", in->kernel_name, entry);
		return -EINVAL;
	}
	return 0;
}

static int s390_elf_load(struct plan *plan, const struct kexec_inputs *in)
{
	const uint8_t *ehdr = in->kernel;
	uint64_t size, phoff;
	uint16_t machine, phentsize, phnum;
	unsigned int i;

	/* the probe has checked the magic and that the header is there */
	machine = get_be16(ehdr + 18);
	if (get_be16(ehdr + 16) != ET_EXEC || ehdr[EI_CLASS] != ELFCLASS64 ||
	    (machine != EM_S390 && machine != 0xa390 /* EM_S390_OLD */)) {
		kx_error("%s: not a 64-bit big-endian s390 ELF executable", in->kernel_name);
		return -EINVAL;
	}
	phoff = elf_get64(plan->arch->ei_data, ehdr + 32);
	phentsize = get_be16(ehdr + 54);
	phnum = get_be16(ehdr + 56);
	if (!phnum || phentsize != PHDR_SIZE) {
		kx_error("%s: no program headers, or not of 64-bit size", in->kernel_name);
		return -EINVAL;
	}

	size = get_be16(ehdr + 52) + phoff;	/* e_ehsize + e_phoff, as the kernel counts */
	size += (uint64_t)phentsize * phnum;
	if (phoff > in->kernel_len || size < phoff || size > in->kernel_len) {
		kx_error("%s: program headers past the end of the file", in->kernel_name);
		return -EINVAL;
	}

	size = KALIGN(size, elf_get64(plan->arch->ei_data, ehdr + phoff + 48));
	for (i = 0; i < phnum; i++) {
		struct s390_phdr ph;

		read_phdr(plan, ehdr + phoff + (uint64_t)i * PHDR_SIZE, &ph);
		if (ph.p_type == PT_INTERP) {
			kx_error("%s: has an interpreter: a program, not a kernel", in->kernel_name);
			return -EINVAL;
		}
		if (ph.p_offset > in->kernel_len) {
			kx_error("%s: program header %u starts past the end of the file", in->kernel_name, i);
			return -EINVAL;
		}
		size += KALIGN(ph.p_filesz, ph.p_align);
	}
	if (size > in->kernel_len) {
		kx_error("%s: the segments need 0x%" PRIx64 " bytes, the file has 0x%zx",
			 in->kernel_name, size, in->kernel_len);
		return -EINVAL;
	}

	return kexec_file_add_components(plan, in, kexec_file_add_kernel_elf);
}

/* Only the magic: anything else goes to the loader (see the kernel's comment). */
static int s390_elf_probe(const uint8_t *buf, size_t len)
{
	if (len < EHDR_SIZE)
		return -ENOEXEC;
	if (memcmp(buf, ELFMAG, SELFMAG))
		return -ENOEXEC;
	return 0;
}

const struct kexec_file_ops s390_kexec_elf_ops = {
	.name = "elf",
	.probe = s390_elf_probe,
	.load = s390_elf_load,
};
