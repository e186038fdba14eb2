#!/bin/bash
# The ppc64 plans against the in-kernel loader's own plans, recorded in a
# QEMU pseries guest of the 6.1 oracle kernel (tests/golden/ppc64-pseries-6.1/:
# 4 KiB pages, 1 CPU, 1 GiB; ppc64-pseries-6.1-64k/: 64 KiB pages as Debian's,
# 4 CPUs, 1 GiB + a DIMM of assigned LMBs; made by tests/e2e-ppc64/record.sh).
# The page size is the recorded AT_PAGESZ, and without it the recorded
# config's PAGE_SHIFT. The loaded image is Debian's own
# ppc64el vmlinux (pinned in inputs; scripts/fetch-ppc64 puts it in
# $UKEXEC_PPC64_CACHE, default tests/e2e-ppc64/cache); the kernel's purgatory
# is in the tree (kexec_purgatory, cut out of the oracle kernel by the recorder),
# so no ppc64 kernel build is needed. kexec --dry-run reads the machine's
# system view, loads the same vmlinux, initrd and command line with the
# kernel's own purgatory and must give the segment table (bufsz, mem, memsz)
# of the kernel's "Loading segment" lines and the addresses of elf_64.c's
# lines; for -p also the backup region, the ELF core header (its PT_LOADs
# and the backup's p_offset) of file_load_64.c's and kexec_file.c's lines,
# and elfcorehdr= at the head of the next kernel's bootargs.
# Without the Debian vmlinux (offline, never fetched) the test is skipped.
. "${top_srcdir:-.}/tests/unit/ppc64-env.sh"

kernel_segments() {
	sed -n -E 's/.*kexec_file: Loading segment [0-9]+: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' "$1"
}
our_segments() {
	sed -n -E 's/^segment\[[0-9]+\]: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' "$1"
}
# loaded_at LOG WHAT: the address of a "Loaded WHAT at 0x..." line (elf_64.c, file_load_64.c)
loaded_at() {
	sed -n -E "s/.*Loaded $2 at (0x[0-9a-f]+)(,.*)?\$/\1/p" "$1" | tail -1
}
# kernel_loaded LOG WHAT: the address of elf_64.c's "Loaded WHAT at 0x..."
kernel_loaded() {
	sed -n -E "s/.*Loaded $2 at (0x[0-9a-f]+)\$/\1/p" "$1" | tail -1
}

machines=0
for dir in "$top"/tests/golden/ppc64-pseries-*; do
	[ -f "$dir/inputs" ] || continue
	ver=${dir##*/}
	get() { sed -n "s/^$1 //p" "$dir/inputs"; }
	payload=$cache/debian-vmlinux purgatory=$dir/$(get purgatory | cut -d' ' -f1)

	if [ ! -f "$payload" ] || [ "$(sha256sum < "$payload" | cut -d' ' -f1)" != "$(get payload-sha256)" ]; then
		diag "$ver: $(get package) (vmlinux sha256 $(get payload-sha256)) is not in $cache (scripts/fetch-ppc64): skipped"
		continue
	fi
	[ "$(sha256sum < "$purgatory" | cut -d' ' -f1)" = "$(get purgatory | cut -d' ' -f2)" ]
	ok $? "$ver: $purgatory is the recorded kernel purgatory (sha256 of inputs)"

	# a vmlinux whose first PT_LOAD ends 16 bytes into the 256 of slave code
	# setup_purgatory() copies: refused, not read past its end
	printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\2\0\25\0\1\0\0\0' > "$tmp/short"
	printf '\0\0\0\0\0\0\0\300\100\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\2\0\0\0\100\0\70\0\1\0\0\0\0\0\0\0' >> "$tmp/short"
	printf '\1\0\0\0\7\0\0\0\0\20\0\0\0\0\0\0\0\0\0\0\0\0\0\300\0\0\0\0\0\0\0\0' >> "$tmp/short"
	printf '\20\0\0\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0\1\0\0\0\0\0' >> "$tmp/short"
	head -c $((0x1010 - 120)) /dev/zero >> "$tmp/short"
	"$kexec" --dry-run --sysroot="$dir/sysroot" --arch=ppc64 -l "$tmp/short" \
		--purgatory="$purgatory" >/dev/null 2>"$tmp/err"
	[ $? -ne 0 ] && grep -q "short: no 256 bytes of slave code" "$tmp/err"
	ok $? "$ver: a vmlinux 16 bytes into its slave code refused: $(head -1 "$tmp/err")"

	machines=$((machines + 1))
	initrd=$dir/$(get initrd | cut -d' ' -f1)
	args=(--dry-run -d --sysroot="$dir/sysroot" --arch=ppc64 -l "$payload" --initrd="$initrd"
	      --append="$(get cmdline-l)" --purgatory="$purgatory" --print-plan)

	"$kexec" "${args[@]}" >"$tmp/plan" 2>"$tmp/debug"
	ok $? "$ver: -l dry run with the kernel's own purgatory"
	[ -s "$tmp/debug" ] && grep -i error "$tmp/debug" | head -3 | sed 's/^/# /'
	kernel_segments "$dir/kernel-plan-l.log" > "$tmp/want"
	our_segments "$tmp/plan" > "$tmp/got"
	[ -s "$tmp/want" ] && diff "$tmp/want" "$tmp/got" >"$tmp/diff"
	ok $? "$ver: segment table (bufsz mem memsz) = the kernel's: $(tr '\n' ';' < "$tmp/want")"
	[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"

	# the page size is the recorded kernel's (AT_PAGESZ); without the auxv, its config's
	page=$(od -An -tu8 -w16 -v "$dir/sysroot/proc/self/auxv" | awk '$1 == 6 { printf "0x%x", $2 }')
	grep -q "^page size $page: recorded" "$tmp/debug"
	ok $? "$ver: page size $page, the recorded AT_PAGESZ"
	cfg=$(ls "$dir"/sysroot/boot/config-* 2>/dev/null | head -n1)
	if [ -n "$cfg" ]; then
		rm -rf "$tmp/noauxv"
		cp -a "$dir/sysroot" "$tmp/noauxv"
		rm "$tmp/noauxv/proc/self/auxv"
		"$kexec" "${args[@]/--sysroot=*/--sysroot=$tmp/noauxv}" >"$tmp/plan-cfg" 2>"$tmp/debug-cfg"
		kernel_segments "$dir/kernel-plan-l.log" > "$tmp/want"
		our_segments "$tmp/plan-cfg" | diff "$tmp/want" - >/dev/null &&
			grep -q "^page size $page: the kernel config's (CONFIG_PPC_PAGE_SHIFT=" "$tmp/debug-cfg"
		ok $? "$ver: without the auxv, $(basename "$cfg")'s CONFIG_PPC_PAGE_SHIFT gives $page and the kernel's table"
	fi

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

	# Debian's vmlinux has no KEXEC_FILE, so no kexec_purgatory to take
	"$kexec" "${args[@]/--purgatory=*/--purgatory-from=$payload}" >/dev/null 2>"$tmp/err"
	[ $? -ne 0 ] && grep -q "no symbol kexec_purgatory_size" "$tmp/err"
	ok $? "$ver: --purgatory-from=debian-vmlinux refused: $(grep -m1 kexec_purgatory "$tmp/err")"

	# the oracle kernel, where it is at hand: --purgatory-from finds the same object
	if [ -f "$cache/vmlinux" ] && [ "$(sha256sum < "$cache/vmlinux" | cut -d' ' -f1)" = "$(get oracle-vmlinux-sha256)" ]; then
		"$kexec" "${args[@]/--purgatory=*/--purgatory-from=$cache/vmlinux}" >"$tmp/plan-from" 2>/dev/null
		diff <(sed 's/buf=0x[0-9a-f]*//' "$tmp/plan") <(sed 's/buf=0x[0-9a-f]*//' "$tmp/plan-from") >&2
		ok $? "$ver: --purgatory-from=the oracle vmlinux plans as --purgatory=$(get purgatory | cut -d' ' -f1)"
	fi

	# -p: the crash region of the device tree, the backup region, the ELF
	# core headers, elfcorehdr= and the usable-memory properties
	pargs=(--dry-run -d --sysroot="$dir/sysroot" --arch=ppc64 -p "$payload" --initrd="$initrd"
	       --append="$(get cmdline-p)" --purgatory="$purgatory" --print-plan)
	"$kexec" "${pargs[@]}" >"$tmp/plan-p" 2>"$tmp/debug-p"
	ok $? "$ver: -p dry run with the kernel's own purgatory"
	grep -i error "$tmp/debug-p" | head -3 | sed 's/^/# /'
	kernel_segments "$dir/kernel-plan-p.log" > "$tmp/want"
	our_segments "$tmp/plan-p" > "$tmp/got"
	[ -s "$tmp/want" ] && diff "$tmp/want" "$tmp/got" >"$tmp/diff"
	ok $? "$ver: -p segment table (bufsz mem memsz) = the kernel's: $(tr '\n' ';' < "$tmp/want")"
	[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"

	for what in "the kernel" purgatory "the backup region" "elf core header" initrd "device tree"; do
		want=$(loaded_at "$dir/kernel-plan-p.log" "$what")
		got=$(loaded_at "$tmp/debug-p" "$what")
		[ -n "$want" ] && [ "$want" = "$got" ]
		ok $? "$ver: -p: $what at $got = the kernel's $want"
	done
	want=$(sed -n 's/.*Backup region offset updated to \(0x[0-9a-f]*\)$/\1/p' "$dir/kernel-plan-p.log")
	got=$(sed -n 's/.*Backup region offset updated to \(0x[0-9a-f]*\)$/\1/p' "$tmp/debug-p")
	[ -n "$want" ] && [ "$want" = "$got" ]
	ok $? "$ver: -p: the backup PT_LOAD's p_offset $got = the kernel's $want"

	# the core headers' PT_LOADs: memory from the device tree minus the crash region
	sed -n -E 's/.*Crash PT_LOAD ELF header\. .*vaddr=(0x[0-9a-f]+), paddr=(0x[0-9a-f]+), sz=(0x[0-9a-f]+) e_phnum=([0-9]+).*/\1 \2 \3 \4/p' \
		"$dir/kernel-plan-p.log" > "$tmp/want"
	sed -n -E 's/.*crash PT_LOAD: vaddr=(0x[0-9a-f]+) paddr=(0x[0-9a-f]+) sz=(0x[0-9a-f]+) e_phnum=([0-9]+).*/\1 \2 \3 \4/p' \
		"$tmp/debug-p" > "$tmp/got"
	[ -s "$tmp/want" ] && diff "$tmp/want" "$tmp/got" >"$tmp/diff"
	ok $? "$ver: -p: ELF core PT_LOADs (vaddr paddr sz e_phnum) = the kernel's: $(tr '\n' ';' < "$tmp/want")"
	[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"

	# setup_kdump_cmdline: the FDT's bootargs start with elfcorehdr=<the header's address>
	elf=$(loaded_at "$dir/kernel-plan-p.log" "elf core header")
	rm -rf "$tmp/dump"
	"$kexec" "${pargs[@]/--print-plan/--dump-plan=$tmp/dump}" >/dev/null 2>&1
	fdt=$(awk '$NF == "tree" && $(NF-1) == "device" { print $3 }' "$tmp/dump/manifest")
	grep -aq "elfcorehdr=$elf $(get cmdline-p)" "$tmp/dump/$fdt"
	ok $? "$ver: -p: bootargs \"elfcorehdr=$elf $(get cmdline-p)\""

	# the bytes: the crash segments the kernel wrote (recorded through /proc/kcore)
	if [ -d "$dir/kernel-p-segments" ]; then
		if command -v python3 >/dev/null; then
			kernel_segments "$dir/kernel-plan-p.log" > "$tmp/table"
			python3 "$top/tests/e2e-ppc64/crash-bytes.py" "$tmp/table" \
				"$(loaded_at "$dir/kernel-plan-p.log" purgatory)" "$dir/kernel-p-segments" \
				"$tmp/dump" "$payload" > "$tmp/bytes"
			while read -r st msg; do
				[ "$st" = ok ]
				ok $? "$ver: -p bytes: $msg"
			done < "$tmp/bytes"
			[ -s "$tmp/bytes" ]
			ok $? "$ver: -p bytes compared"
		else
			diag "$ver: no python3: the -p segment bytes are not compared"
		fi
	fi

	# our own purgatory (purgatory/arch/ppc64, embedded when the build had a
	# ppc64le compiler), the default: every segment but the purgatory's is
	# the kernel's, the purgatory one page at the kernel purgatory's address
	if grep -qs '^#define HAVE_PPC64_PURGATORY 1' "${top_builddir:-.}/config.h"; then
		for load in l p; do
			oargs=(--dry-run -d --sysroot="$dir/sysroot" --arch=ppc64 -$load "$payload"
			       --initrd="$initrd" --append="$(get cmdline-$load)")
			rm -rf "$tmp/own-$load"
			"$kexec" "${oargs[@]}" --print-plan --dump-plan="$tmp/own-$load" >"$tmp/own-plan-$load" 2>"$tmp/own-debug-$load"
			ok $? "$ver: -$load dry run with our own purgatory (no --purgatory: the default)"
			grep -q "embedded purgatory" "$tmp/own-debug-$load" || diag "$(grep -m1 -i purgatory "$tmp/own-debug-$load")"
			pur=$(loaded_at "$dir/kernel-plan-$load.log" purgatory)
			kernel_segments "$dir/kernel-plan-$load.log" |
				awk -v p="$pur" '$2 == p { $1 = "purgatory" } 1' > "$tmp/want"
			our_segments "$tmp/own-plan-$load" |
				awk -v p="$pur" '$2 == p { $1 = "purgatory" } 1' > "$tmp/got"
			[ -s "$tmp/want" ] && diff "$tmp/want" "$tmp/got" >"$tmp/diff"
			ok $? "$ver: -$load with our purgatory: every segment = the kernel's but the purgatory's bufsz ($(awk -v p="$pur" '$2 == p { print $1 }' <(our_segments "$tmp/own-plan-$load")) at $pur, memsz $(awk -v p="$pur" '$2 == p { print $3 }' <(our_segments "$tmp/own-plan-$load")))"
			[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"
			got=$(sed -n 's/^entry = //p' "$tmp/own-plan-$load")
			[ -n "$pur" ] && [ "$((pur))" = "$((got))" ]
			ok $? "$ver: -$load with our purgatory: entry $got = its first byte (purgatory_start)"
		done
		# -l: the same bytes as with the kernel's purgatory but the device
		# tree's seeds (no -l bytes of the kernel were recorded)
		rm -rf "$tmp/kp-l"
		"$kexec" "${args[@]/--print-plan/--dump-plan=$tmp/kp-l}" >/dev/null 2>&1
		kernel_segments "$dir/kernel-plan-l.log" > "$tmp/table"
		python3 "$top/tests/e2e-ppc64/crash-bytes.py" --own-purgatory "$tmp/table" \
			"$(loaded_at "$dir/kernel-plan-l.log" purgatory)" "$tmp/kp-l" "$tmp/own-l" "$payload" > "$tmp/bytes"
		while read -r st msg; do
			[ "$st" = ok ]
			ok $? "$ver: -l bytes, our purgatory vs the kernel's: $msg"
		done < "$tmp/bytes"
		# -p: against the bytes the kernel wrote
		if [ -d "$dir/kernel-p-segments" ]; then
			kernel_segments "$dir/kernel-plan-p.log" > "$tmp/table"
			python3 "$top/tests/e2e-ppc64/crash-bytes.py" --own-purgatory "$tmp/table" \
				"$(loaded_at "$dir/kernel-plan-p.log" purgatory)" "$dir/kernel-p-segments" \
				"$tmp/own-p" "$payload" > "$tmp/bytes"
			while read -r st msg; do
				[ "$st" = ok ]
				ok $? "$ver: -p bytes with our purgatory: $msg"
			done < "$tmp/bytes"
			[ "$(wc -l < "$tmp/bytes")" -ge 7 ]
			ok $? "$ver: -p bytes with our purgatory: $(wc -l < "$tmp/bytes") checks"
		fi
	else
		diag "$ver: built without a ppc64le compiler: no purgatory of ours to plan with"
	fi
done
[ $machines -gt 0 ] || skip_all "no recorded ppc64 machine has its Debian vmlinux in $cache (scripts/fetch-ppc64)"
done_testing
