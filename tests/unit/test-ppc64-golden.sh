#!/bin/bash
# The ppc64 -l plan against the in-kernel loader's own plan, recorded in a
# QEMU pseries guest of the 6.1 oracle kernel (tests/golden/ppc64-pseries-6.1/,
# made by tests/e2e-ppc64/record.sh). kexec --dry-run reads the machine's
# system view, loads the same vmlinux, initrd and command line with the
# kernel's own purgatory (--purgatory-from=vmlinux) and must give the segment
# table (bufsz, mem, memsz) of the kernel's "Loading segment" lines, the
# kernel's and purgatory's addresses of elf_64.c's lines and the exclude
# ranges of ranges.c's. The oracle kernel is not in the tree: it is looked
# for in $UKEXEC_PPC64_CACHE (default tests/e2e-ppc64/cache, made by
# doc/dev/next-arches/build-ppc64le.sh); without it the test is skipped.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
cache=${UKEXEC_PPC64_CACHE:-$top/tests/e2e-ppc64/cache}

kernel_segments() {
	sed -n -E 's/.*kexec_file: Loading segment [0-9]+: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' "$1"
}
our_segments() {
	sed -n -E 's/^segment\[[0-9]+\]: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' "$1"
}
# kernel_loaded LOG WHAT: the address of elf_64.c's "Loaded WHAT at 0x..."
kernel_loaded() {
	sed -n -E "s/.*Loaded $2 at (0x[0-9a-f]+)\$/\1/p" "$1" | tail -1
}

grep -qs '^#define HAVE_LIBFDT 1' "${top_builddir:-.}/config.h" ||
	skip_all "built without libfdt: ukexec has no ppc64 loader"
machines=0
for dir in "$top"/tests/golden/ppc64-pseries-*; do
	[ -f "$dir/inputs" ] || continue
	ver=${dir##*/}
	get() { sed -n "s/^$1 //p" "$dir/inputs"; }
	vmlinux=$cache/vmlinux payload=$cache/vmlinux.stripped
	if [ ! -f "$payload" ] || [ "$(sha256sum < "$payload" | cut -d' ' -f1)" != "$(get payload-sha256)" ] ||
	   [ "$(sha256sum < "$vmlinux" | cut -d' ' -f1)" != "$(get vmlinux-sha256)" ]; then
		diag "$ver: the oracle kernel (vmlinux sha256 $(get vmlinux-sha256)) is not in $cache: skipped"
		continue
	fi
	machines=$((machines + 1))
	initrd=$dir/$(get initrd | cut -d' ' -f1)
	args=(--dry-run -d --sysroot="$dir/sysroot" --arch=ppc64 -l "$payload" --initrd="$initrd"
	      --append="$(get cmdline-l)" --purgatory-from="$vmlinux" --print-plan)

	"$kexec" "${args[@]}" >"$tmp/plan" 2>"$tmp/debug"
	ok $? "$ver: -l dry run with the kernel's own purgatory"
	[ -s "$tmp/debug" ] && grep -i error "$tmp/debug" | head -3 | sed 's/^/# /'
	kernel_segments "$dir/kernel-plan-l.log" > "$tmp/want"
	our_segments "$tmp/plan" > "$tmp/got"
	[ -s "$tmp/want" ] && diff "$tmp/want" "$tmp/got" >"$tmp/diff"
	ok $? "$ver: segment table (bufsz mem memsz) = the kernel's: $(tr '\n' ';' < "$tmp/want")"
	[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"

	for what in "the kernel" purgatory initrd "device tree"; do
		want=$(kernel_loaded "$dir/kernel-plan-l.log" "$what")
		got=$(kernel_loaded "$tmp/debug" "$what")
		[ -n "$want" ] && [ "$want" = "$got" ]
		ok $? "$ver: $what at $got = the kernel's $want"
	done

	# the purgatory's entry is purgatory_start, the first byte of its segment
	want=$(kernel_loaded "$dir/kernel-plan-l.log" purgatory)
	got=$(sed -n 's/^entry = //p' "$tmp/plan")
	[ -n "$want" ] && [ "$((want))" = "$((got))" ]
	ok $? "$ver: entry $got = where the kernel loaded the purgatory ($want)"

	# a stripped vmlinux has no symbol table to find kexec_purgatory with
	"$kexec" "${args[@]}" --purgatory-from="$payload" >/dev/null 2>"$tmp/err"
	[ $? -ne 0 ] && grep -q "no symbol kexec_purgatory_size" "$tmp/err"
	ok $? "$ver: --purgatory-from=vmlinux.stripped refused: $(grep -m1 kexec_purgatory "$tmp/err")"
done
[ $machines -gt 0 ] || skip_all "no recorded ppc64 machine has its oracle kernel in $cache"
done_testing
