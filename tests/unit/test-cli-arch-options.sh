#!/bin/bash
# kexec-tools 2.0.25's per-arch options for s390x, arm64 and ppc64 (its
# arch/<arch>/include/arch/options.h and loaders' usage), read as kexec-tools
# for that arch reads them: its own options accepted with -d saying why the
# in-kernel plan is unchanged (the plan is compared with and without them on
# the recorded arm64 and ppc64 machines), or refused with the reason; another
# arch's options refused as kexec-tools' getopt does (exit 1).
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"

# refuses DESC PATTERN ARGS...: exit 1, one line on stderr matching PATTERN, nothing on stdout
refuses() {
	desc=$1 pat=$2; shift 2
	"$kexec" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq 1 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -qF -- "$pat" "$tmp/err"
	ok $? "$desc: exit $st, one line: $(head -c 200 "$tmp/err")"
}
# segments FILE: the plan without the buffers' host addresses
segments() { sed -E 's/buf=0x[0-9a-f]+|buf=\(nil\)/buf=/' "$1"; }

# s390x: kexec-tools' s390 loaders take --command-line, --append, --initrd, --reuse-cmdline only
for o in reset-vga serial=ttyS0 noefi elf64-core-headers args-linux dt-no-old-root devicetreeblob=x; do
	refuses "s390x --${o%%=*}" "--${o%%=*}: not an option of kexec-tools for s390x" \
		--dry-run --arch=s390x -l k "--$o"
done
refuses "s390x --dtb" "--dtb: s390x boots without a device tree" --dry-run --arch=s390x -l k --dtb=x
refuses "s390x --reuseinitrd" "--reuseinitrd: reusing the first boot's initrd is not implemented for s390x" \
	--dry-run --arch=s390x -l k --reuseinitrd

# arm64: --serial (kexec-tools' purgatory console) has no effect; x86/ppc64 options are not arm64's
for o in reset-vga noefi elf64-core-headers serial-baud=9600 dt-no-old-root devicetreeblob=x module=m; do
	refuses "arm64 --${o%%=*}" "--${o%%=*}: not an option of kexec-tools for arm64" \
		--dry-run --arch=arm64 -l k "--$o"
done
refuses "arm64 --reuseinitrd" "--reuseinitrd: reusing the first boot's initrd is not implemented for arm64" \
	--dry-run --arch=arm64 -l k --reuseinitrd
g=$top/tests/golden/arm64-virt-6.1/plan
if grep -qs '^#define HAVE_LIBFDT 1' "${top_builddir:-.}/config.h" && [ -f "$g/image.head" ]; then
	{ cat "$g/image.head"; head -c $(($(cat "$g/image.size") - 64)) /dev/zero; } > "$tmp/Image"
	cp -r "$g/sysroot" "$tmp/arm64" && chmod -R u+w "$tmp/arm64" && gzip -d "$tmp/arm64/sys/firmware/fdt.gz"
	arm64() { "$kexec" --dry-run --arch=arm64 --print-plan --sysroot="$tmp/arm64" -c -l "$tmp/Image" \
		--append="$(cat "$g/plan-kexec.cmdline")" "$@"; }
	arm64 >"$tmp/a0" 2>"$tmp/err"; ok $? "arm64: the recorded machine plans: $(head -c 200 "$tmp/err")"
	arm64 -d --serial=ttyAMA0 >"$tmp/a1" 2>"$tmp/err"
	ok $? "arm64 --serial=ttyAMA0 accepted (kexec-tools: the purgatory's console)"
	grep -q -- "--serial: no effect on the in-kernel plan: the console kexec-tools' purgatory prints to" "$tmp/err"
	ok $? "arm64 -d says why --serial changes nothing"
	diff <(segments "$tmp/a0") <(segments "$tmp/a1") >/dev/null
	ok $? "arm64 --serial: the plan is the same"
else
	diag "arm64: built without libfdt or no recorded machine: plan checks skipped"
fi

# ppc64: --elf64-core-headers, --dt-no-old-root, --args-linux change nothing;
# --dtb and --reuseinitrd are kexec-tools' variants, refused with -s
for o in reset-vga serial=ttyS0 noefi console-vga module=m; do
	refuses "ppc64 --${o%%=*}" "--${o%%=*}: not an option of kexec-tools for ppc64" \
		--dry-run --arch=ppc64 -l k "--$o"
done
# -l/-p take a blob (tests/unit/test-ppc64-dtb.sh); kexec_file_load has none
refuses "ppc64 -s --dtb" "--dtb: kexec_file_load takes no device tree on ppc64" \
	--dry-run --arch=ppc64 -s -l k --dtb=x
refuses "ppc64 -s --devicetreeblob" "--devicetreeblob: kexec_file_load takes no device tree on ppc64" \
	--dry-run --arch=ppc64 -s -l k --devicetreeblob=x
# -l/-p reuse the retained initrd (tests/unit/test-ppc64-reuseinitrd.sh); kexec_file_load cannot
refuses "ppc64 -s --reuseinitrd" "--reuseinitrd: kexec_file_load takes no retained initrd" \
	--dry-run --arch=ppc64 -s -l k --reuseinitrd
cache=${UKEXEC_PPC64_CACHE:-$top/tests/e2e-ppc64/cache}
dir=$top/tests/golden/ppc64-pseries-6.1
get() { sed -n "s/^$1 //p" "$dir/inputs"; }
if grep -qs '^#define HAVE_LIBFDT 1' "${top_builddir:-.}/config.h" && [ -f "$cache/vmlinux.stripped" ] &&
   [ "$(sha256sum < "$cache/vmlinux.stripped" | cut -d' ' -f1)" = "$(get payload-sha256)" ]; then
	ppc64() { "$kexec" --dry-run --arch=ppc64 --print-plan --sysroot="$dir/sysroot" -l \
		"$cache/vmlinux.stripped" --initrd="$dir/$(get initrd | cut -d' ' -f1)" \
		--append="$(get cmdline-l)" --purgatory-from="$cache/vmlinux" "$@"; }
	ppc64 >"$tmp/p0" 2>"$tmp/err"; ok $? "ppc64: the recorded machine plans: $(head -c 200 "$tmp/err")"
	for o in elf64-core-headers dt-no-old-root args-linux; do
		ppc64 -d "--$o" >"$tmp/p1" 2>"$tmp/err"
		ok $? "ppc64 --$o accepted"
		grep -q -- "--$o: no effect on the in-kernel plan: " "$tmp/err"
		ok $? "ppc64 -d: $(grep -- "--$o:" "$tmp/err" | head -c 160)"
		diff <(segments "$tmp/p0") <(segments "$tmp/p1") >/dev/null
		ok $? "ppc64 --$o: the plan is the same"
	done
else
	diag "ppc64: built without libfdt or no oracle kernel in $cache: plan checks skipped"
fi

# x86_64's own are not refused there (tests/unit/test-cli.sh checks their meaning)
"$kexec" --dry-run --arch=x86_64 -s -l --noefi --reset-vga --serial=ttyS1 "$kexec" >/dev/null 2>&1
ok $? "x86_64 keeps its kexec-tools options"

# kexec-tools' main() "Check for bogus options": with an action that loads
# nothing (-u, -e, -S, --load-jump-back-helper) a loader's option (numbered
# from the arch's OPT_ARCH_MAX) is refused, exit 1; an arch option is not
mkdir -p "$tmp/none/sys/kernel"
echo 0 > "$tmp/none/sys/kernel/kexec_loaded"; echo 0 > "$tmp/none/sys/kernel/kexec_crash_loaded"
for o in command-line=x append=x reuse-cmdline initrd=i ramdisk=i args-linux args-elf args-none \
	module=m real-mode entry-32bit pass-memmap-cmdline noefi reuse-video-type; do
	refuses "x86_64 -u --${o%%=*}" "--${o%%=*}: an option of the x86_64 image loaders, which -u does not use" \
		--dry-run --arch=x86_64 --sysroot="$tmp/none" -u "--$o"
done
refuses "x86_64 -e --append" "--append: an option of the x86_64 image loaders, which -e does not use" \
	--dry-run --arch=x86_64 --sysroot="$tmp/none" -e --append=x
refuses "x86_64 -S --initrd" "--initrd: an option of the x86_64 image loaders, which -S does not use" \
	--sysroot="$tmp/none" -S --initrd=i
refuses "x86_64 --load-jump-back-helper --reuse-cmdline" \
	"--reuse-cmdline: an option of the x86_64 image loaders, which --load-jump-back-helper does not use" \
	--dry-run --arch=x86_64 --sysroot="$tmp/none" --load-jump-back-helper --entry=0x1000 --reuse-cmdline
for o in reset-vga serial=ttyS0 serial-baud=9600 console-vga console-serial elf32-core-headers elf64-core-headers; do
	"$kexec" --dry-run --arch=x86_64 --sysroot="$tmp/none" -u "--$o" >/dev/null 2>"$tmp/err"
	ok $? "x86_64 -u --${o%%=*}: accepted (below OPT_ARCH_MAX, as kexec-tools) $(head -c 100 "$tmp/err")"
done
for o in command-line=x append=x initrd=i reuse-cmdline; do
	refuses "s390x -u --${o%%=*}" "--${o%%=*}: an option of the s390x image loaders, which -u does not use" \
		--dry-run --arch=s390x --sysroot="$tmp/none" -u "--$o"
done
for o in command-line=x append=x ramdisk=i initrd=i devicetreeblob=d dtb=d args-linux; do
	refuses "ppc64 -e --${o%%=*}" "--${o%%=*}" --dry-run --arch=ppc64 --sysroot="$tmp/none" -e "--$o"
done
"$kexec" --dry-run --arch=ppc64 --sysroot="$tmp/none" -u --dt-no-old-root --elf64-core-headers >/dev/null 2>&1
ok $? "ppc64 -u --dt-no-old-root --elf64-core-headers: accepted (arch options, as kexec-tools)"
# arm64's options are all below its OPT_ARCH_MAX: kexec-tools accepts them with -u
"$kexec" --dry-run --arch=arm64 --sysroot="$tmp/none" -u --append=x --initrd=i --dtb=d --serial=ttyAMA0 \
	--reuse-cmdline >/dev/null 2>&1
ok $? "arm64 -u with every arm64 option: accepted, as kexec-tools"
"$kexec" --dry-run --arch=x86_64 --sysroot="$tmp/none" -l --append=x --initrd=i "$tmp/none" >/dev/null 2>"$tmp/err"
! grep -q "image loaders" "$tmp/err"
ok $? "x86_64 -l --append --initrd: the loader's options are not refused with a load"
refuses "x86_64 --dtb (not kexec-tools' there)" "--dtb: not an option of kexec-tools for x86_64" \
	--dry-run --arch=x86_64 -l k --dtb=d
done_testing
