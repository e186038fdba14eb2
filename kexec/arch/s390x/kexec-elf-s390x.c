// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The s390 ELF loader of kexec_file (arch/s390/kernel/kexec_elf.c, Linux
 * 6.1): each PT_LOAD at its p_paddr (rounded up to p_align; crash: plus the
 * start of the crash region); the segment that holds the entry carries the
 * lowcore and the parmarea. The headers come from the ELF module, which
 * also checks what the kernel trusts (tables and segments within the file).
 */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "arch.h"
#include "kexec-elf.h"
#include "log.h"
#include "plan.h"
#include "s390x.h"

/* the kernel's ALIGN(), including what it does with 0 or odd alignments */
#define KALIGN(x, a) (((x) + ((uint64_t)(a) - 1)) & ~((uint64_t)(a) - 1))

/* The file's headers, one message naming it when they do not hold. */
static int s390_read_elf_info(const struct kexec_inputs *in, const uint8_t *buf,
			      struct kexec_elf_info *info)
{
	if (kexec_build_elf_info(buf, in->kernel_len, info)) {
		kx_error("%s: %s", in->kernel_name, info->err);
		kexec_free_elf_info(info);
		return -EINVAL;
	}
	return 0;
}

static int kexec_file_add_kernel_elf(struct plan *plan, const struct kexec_inputs *in,
				     struct s390_load_data *data)
{
	struct kexec_elf_info info;
	uint64_t entry, crash_start = 0, crash_size;
	uint8_t *kernel;
	unsigned int i;
	int ret;

	kernel = s390_copy_kernel(plan, in);
	if (!kernel)
		return -ENOMEM;
	ret = s390_read_elf_info(in, kernel, &info);
	if (ret)
		return ret;
	if (plan->crash) {
		ret = s390_crash_region(plan, &crash_start, &crash_size);
		if (ret)
			goto out_free_elf_info;
		entry = S390_STARTUP_KDUMP_OFFSET;
	} else {
		entry = info.ehdr.e_entry;
	}

	for (i = 0; i < info.ehdr.e_phnum; i++) {
		struct kexec_buf kbuf = { .plan = plan, .what = "kernel" };
		const Elf64_Phdr *phdr = &info.proghdrs[i];

		if (phdr->p_type != PT_LOAD)
			continue;
		/* elf_is_phdr_sane() has checked p_offset + p_filesz against the file */
		kbuf.buffer = kernel + phdr->p_offset;
		kbuf.bufsz = phdr->p_filesz;

		kbuf.mem = KALIGN(phdr->p_paddr, phdr->p_align) + crash_start;
		kbuf.memsz = phdr->p_memsz;
		data->memsz = KALIGN(data->memsz, phdr->p_align) + kbuf.memsz;

		if (entry - phdr->p_paddr < phdr->p_memsz) {
			data->kernel_buf = kernel + phdr->p_offset;
			data->kernel_mem = kbuf.mem;
			if (in->kernel_len - phdr->p_offset > S390_PARMAREA) {
				data->parm = data->kernel_buf + S390_PARMAREA;
				data->parm_room = in->kernel_len - phdr->p_offset - S390_PARMAREA;
			}
		}

		ipl_report_add_component(data->report, &kbuf,
					 IPL_RB_COMPONENT_FLAG_SIGNED | IPL_RB_COMPONENT_FLAG_VERIFIED,
					 IPL_RB_CERT_UNKNOWN);
		ret = kexec_add_buffer(&kbuf);
		if (ret)
			goto out_free_elf_info;
	}

	ret = -EINVAL;
	if (!data->memsz) {
		kx_error("%s: no PT_LOAD segment with contents", in->kernel_name);
		goto out_free_elf_info;
	}
	/* the kernel would dereference a NULL parmarea here */
	if (!data->kernel_buf) {
		kx_error("%s: the entry 0x%" PRIx64 " is in no PT_LOAD segment", in->kernel_name, entry);
		goto out_free_elf_info;
	}
	ret = 0;
out_free_elf_info:
	kexec_free_elf_info(&info);
	return ret;
}

static int s390_elf_load(struct plan *plan, const struct kexec_inputs *in)
{
	struct kexec_elf_info info;
	const Elf64_Ehdr *ehdr = &info.ehdr;
	uint64_t size;
	unsigned int i;
	int ret;

	/* the probe has checked the magic; the module, that the tables are in the file */
	ret = s390_read_elf_info(in, in->kernel, &info);
	if (ret)
		return ret;
	ret = -EINVAL;
	if (ehdr->e_type != ET_EXEC || ehdr->e_ident[EI_CLASS] != ELFCLASS64 ||
	    ehdr->e_ident[EI_DATA] != ELFDATA2MSB ||
	    (ehdr->e_machine != EM_S390 && ehdr->e_machine != 0xa390 /* EM_S390_OLD */)) {
		kx_error("%s: not a 64-bit big-endian s390 ELF executable", in->kernel_name);
		goto out_free_elf_info;
	}
	if (!ehdr->e_phnum || ehdr->e_phentsize != sizeof(Elf64_Phdr)) {
		kx_error("%s: no program headers, or not of 64-bit size", in->kernel_name);
		goto out_free_elf_info;
	}

	size = (uint64_t)ehdr->e_ehsize + ehdr->e_phoff;	/* as the kernel counts */
	size += (uint64_t)ehdr->e_phentsize * ehdr->e_phnum;
	if (size > in->kernel_len) {
		kx_error("%s: program headers past the end of the file", in->kernel_name);
		goto out_free_elf_info;
	}

	size = KALIGN(size, info.proghdrs[0].p_align);
	for (i = 0; i < ehdr->e_phnum; i++) {
		const Elf64_Phdr *phdr = &info.proghdrs[i];

		if (phdr->p_type == PT_INTERP) {
			kx_error("%s: has an interpreter: a program, not a kernel", in->kernel_name);
			goto out_free_elf_info;
		}
		size += KALIGN(phdr->p_filesz, phdr->p_align);
	}
	if (size > in->kernel_len) {
		kx_error("%s: the segments need 0x%" PRIx64 " bytes, the file has 0x%zx",
			 in->kernel_name, size, in->kernel_len);
		goto out_free_elf_info;
	}
	kexec_free_elf_info(&info);

	return kexec_file_add_components(plan, in, kexec_file_add_kernel_elf);

out_free_elf_info:
	kexec_free_elf_info(&info);
	return ret;
}

/* Only the magic: anything else goes to the loader (see the kernel's comment). */
static int s390_elf_probe(const uint8_t *buf, size_t len)
{
	if (len < sizeof(Elf64_Ehdr))
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
