/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the libFuzzer harnesses share (tests/fuzz/fuzz-*.c). */
#ifndef UKEXEC_FUZZ_COMMON_H
#define UKEXEC_FUZZ_COMMON_H
#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "arch.h"
#include "byteorder.h"
#include "kexec_file.h"
#include "log.h"
#include "plan.h"
#include "profile.h"
#include "purgatory.h"
#include "request.h"

/*
 * A ppc64le vmlinux as Debian's: one PT_LOAD at physical 0, 4 KiB of it in a
 * file of FUZZ_PPC64_VMLINUX_SIZE bytes (fuzz-ppc64's seed, fuzz-sysview's kernel).
 */
#define FUZZ_PPC64_VMLINUX_SIZE 0x2000
static inline void fuzz_ppc64_vmlinux(uint8_t v[FUZZ_PPC64_VMLINUX_SIZE])
{
	uint8_t *ph = v + sizeof(Elf64_Ehdr);

	memset(v, 0, FUZZ_PPC64_VMLINUX_SIZE);
	memcpy(v, ELFMAG, SELFMAG);
	v[EI_CLASS] = ELFCLASS64;
	v[EI_DATA] = ELFDATA2LSB;
	v[EI_VERSION] = EV_CURRENT;
	put_le16(v + offsetof(Elf64_Ehdr, e_type), ET_EXEC);
	put_le16(v + offsetof(Elf64_Ehdr, e_machine), EM_PPC64);
	put_le32(v + offsetof(Elf64_Ehdr, e_version), EV_CURRENT);
	put_le64(v + offsetof(Elf64_Ehdr, e_entry), 0xc000000000000000ULL);
	put_le64(v + offsetof(Elf64_Ehdr, e_phoff), sizeof(Elf64_Ehdr));
	put_le32(v + offsetof(Elf64_Ehdr, e_flags), 2);
	put_le16(v + offsetof(Elf64_Ehdr, e_ehsize), sizeof(Elf64_Ehdr));
	put_le16(v + offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr));
	put_le16(v + offsetof(Elf64_Ehdr, e_phnum), 1);
	put_le32(ph + offsetof(Elf64_Phdr, p_type), PT_LOAD);
	put_le32(ph + offsetof(Elf64_Phdr, p_flags), PF_R | PF_W | PF_X);
	put_le64(ph + offsetof(Elf64_Phdr, p_offset), 0x1000);
	put_le64(ph + offsetof(Elf64_Phdr, p_vaddr), 0xc000000000000000ULL);
	put_le64(ph + offsetof(Elf64_Phdr, p_paddr), 0);
	put_le64(ph + offsetof(Elf64_Phdr, p_filesz), 0x1000);
	put_le64(ph + offsetof(Elf64_Phdr, p_memsz), 0x3000);
	put_le64(ph + offsetof(Elf64_Phdr, p_align), 0x10000);
}

/* the loaders' one-line refusals are expected: not printed */
static inline void fuzz_quiet(enum kx_level level, const char *msg, void *arg)
{
	(void)level;
	(void)msg;
	(void)arg;
}

/* the harnesses do not hash plans of megabytes of zeros (kexec_inputs.digest_max_memsz) */
#define FUZZ_DIGEST_MAX_MEMSZ ((4u << 20) - 1)

/*
 * One load of data as the kernel image through the tool's pipeline
 * (kexec_file_plan), with a small initrd, cmdline and --dtb (NULL: none), on
 * the machine sv; pi (NULL: none) is opened and released by the caller.
 */
static inline void fuzz_plan(const struct arch *arch, const struct sysview *sv,
			     const char *profile, bool crash, struct purgatory_info *pi,
			     const char *cmdline, const uint8_t *data, size_t size,
			     const uint8_t *dtb, size_t dtb_len)
{
	static const uint8_t initrd[5000] = { 1 };
	struct kexec_inputs in;
	struct request req;
	struct plan plan;

	memset(&req, 0, sizeof(req));
	/* an x86_64 vmlinux gets past its loader's argument check */
	req.arch_opts[0].name = "args-linux";
	req.arch_opts[0].arch_only = true;
	req.nr_arch_opts = 1;
	memset(&in, 0, sizeof(in));
	in.req = &req;
	in.kernel_name = "fuzz";
	in.kernel = data;
	in.kernel_len = size;
	in.initrd_name = "initrd";
	in.initrd = initrd;
	in.initrd_len = sizeof(initrd);
	in.cmdline = cmdline;
	in.cmdline_len = strlen(cmdline) + 1;
	in.dtb = dtb;
	in.dtb_len = dtb_len;
	in.pi = pi;
	in.digest_max_memsz = FUZZ_DIGEST_MAX_MEMSZ;
	plan_init(&plan, arch, sv, profile_find(arch->name, profile), crash);
	kexec_file_plan(&plan, &in);
	plan_release(&plan);
}
#endif
