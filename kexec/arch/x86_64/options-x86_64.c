// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-tools' x86_64 options (arch/x86_64/include/arch/options.h and the
 * loaders' usage) the in-kernel bzImage64 plan already means, has no use
 * for, or cannot mean.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "log.h"
#include "request.h"
#include "x86_64.h"

/* kexec-tools' --serial: ttyS0, ttyS1 or a 0x port base below 0x10000 */
static int check_serial(const char *val)
{
	unsigned long port = ULONG_MAX;
	char *end;

	if (!strcmp(val, "ttyS0") || !strcmp(val, "ttyS1"))
		return 0;
	if (!strncmp(val, "0x", 2) && isxdigit((unsigned char)val[2])) {
		port = strtoul(val + 2, &end, 16);
		if (*end)
			port = ULONG_MAX;
	}
	if (port >= 65536) {
		kx_error("bad value for --serial: '%s' (ttyS0, ttyS1 or a port like 0x3f8)", val);
		return KX_EXIT_FAILED;
	}
	return 0;
}

/* kexec-tools' --serial-baud: 9600 to 115200, dividing 115200 */
static int check_serial_baud(const char *val)
{
	unsigned long baud;
	char *end;

	baud = strtoul(val, &end, 0);
	if (!isdigit((unsigned char)*val) || *end || baud < 9600 || baud > 115200 || 115200 % baud) {
		kx_error("bad value for --serial-baud: '%s' (9600 to 115200, dividing 115200)", val);
		return KX_EXIT_FAILED;
	}
	return 0;
}

#define NO_EFFECT ARCH_OPTION_NO_EFFECT
#define REFUSED ARCH_OPTION_REFUSED
#define VARIANT ARCH_OPTION_VARIANT
#define ELF_LOADER "an option of the ELF loaders (elf-x86_64: --args-linux; elf-x86: all three, --args-elf by default); a bzImage64 ignores it"
#define PURGATORY_CONSOLE "only kexec-tools' purgatory prints to a console; the kernel's is silent"
#define PURGATORY_SERIAL "only kexec-tools' purgatory prints to a serial port"

const struct arch_option x86_64_options[] = {
	{ "elf64-core-headers", NO_EFFECT, "the core headers are ELF64, as the kernel's", NULL },
	{ "elf32-core-headers", NO_EFFECT,
	  "the core headers stay ELF64: kexec-tools on x86_64 ignores it too", NULL },
	{ "reset-vga", NO_EFFECT, "only kexec-tools' purgatory resets VGA; the kernel's does not", NULL },
	{ "console-vga", NO_EFFECT, PURGATORY_CONSOLE, NULL },
	{ "console-serial", NO_EFFECT, PURGATORY_CONSOLE, NULL },
	{ "serial", NO_EFFECT, PURGATORY_SERIAL, check_serial },
	{ "serial-baud", NO_EFFECT, PURGATORY_SERIAL, check_serial_baud },
	{ "pass-memmap-cmdline", NO_EFFECT,
	  "the crash memory map goes in boot_params' e820 table, as the kernel passes it", NULL },
	{ "noefi", NO_EFFECT,
	  "the EFI setup_data is passed as the kernel passes it (add noefi to --append to boot without EFI)",
	  NULL },
	{ "reuse-video-type", NO_EFFECT, "the running kernel's screen_info is passed, as the kernel does",
	  NULL },
	{ "args-linux", NO_EFFECT, ELF_LOADER, NULL },
	{ "args-elf", NO_EFFECT, ELF_LOADER, NULL },
	{ "args-none", NO_EFFECT, ELF_LOADER, NULL },
	{ "real-mode", VARIANT,
	  "kexec-tools' bzImage loader, the kernel's setup code entered in 16-bit real mode on the BIOS; not the in-kernel plan",
	  NULL },
	{ "entry-32bit", VARIANT,
	  "kexec-tools' bzImage loader, entered in 32-bit protected mode; not the in-kernel plan",
	  NULL },
	{ "module", VARIANT, "a module of a multiboot-x86 or multiboot2-x86 image; not the in-kernel plan", NULL },
	{ "dtb", REFUSED, "not an option of kexec-tools for x86_64: x86_64 kernels boot without a device tree",
	  NULL },
	{ NULL, NO_EFFECT, NULL, NULL },
};

/* arch/i386/include/arch/options.h: OPT_APPEND ... OPT_REUSE_VIDEO_TYPE */
const char *const x86_64_loader_options[] = {
	"command-line", "append", "reuse-cmdline", "initrd", "ramdisk", "args-elf", "args-linux",
	"args-none", "module", "real-mode", "entry-32bit", "pass-memmap-cmdline", "noefi",
	"reuse-video-type", NULL,
};
