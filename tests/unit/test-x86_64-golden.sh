#!/bin/bash
# The x86_64 plan against the in-kernel loader's own plan, recorded in QEMU
# guests of Debian's 6.1 and 6.12 kernels (tests/golden/x86_64-debian-*/, made
# by tests/e2e-x86_64/record.sh). For each recorded machine: kexec --dry-run reads
# its system view, loads the same kernel, initrd and command line with the
# kernel's own purgatory (--purgatory-from), and must give the segment table
# (bufsz, mem, memsz), entry, final command line and E820 map the kernel's
# debug output shows. With our own purgatory, the kernel and initrd segments
# keep their size and the plan still passes the checks.
# The kernels come from scripts/fetch-kernels (tests/e2e-x86_64/cache); without them
# the machine's cases are skipped.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"

# kernel_segments LOG: "bufsz mem memsz" per segment, from either kernel's format
kernel_segments() {
	# 6.12 (KEXEC_FILE_DEBUG): "kexec_file: segment[i]: buf=.. bufsz=.. mem=.. memsz=.."
	# 6.1 (dynamic debug):     "kexec_file: Loading segment i: buf=.. bufsz=.. mem=.. memsz=.."
	sed -n -E 's/.*kexec_file: (segment\[[0-9]+\]|Loading segment [0-9]+): buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\2 \3 \4/p' "$1"
}
our_segments() {
	sed -n -E 's/^segment\[[0-9]+\]: buf=[^ ]* bufsz=([^ ]*) mem=([^ ]*) memsz=([^ ]*).*/\1 \2 \3/p' "$1"
}

# firmware_e820 BOOTLOG: the "BIOS-e820:" lines as the loader prints a map
firmware_e820() {
	# 7.x prints "System RAM" and "device reserved" and gap lines (skipped)
	sed -n -E 's/.*BIOS-e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] +(.*)$/\1-\2 \3/p' "$1" |
		sed -e 's/ usable$/ (1)/' -e 's/ System RAM$/ (1)/' -e 's/ device reserved$/ (2)/' \
			-e 's/ reserved$/ (2)/' -e 's/ ACPI data$/ (3)/' \
			-e 's/ ACPI NVS$/ (4)/' -e 's/ unusable$/ (5)/'
}

# purgatory_entry BZIMAGE: e_entry of the purgatory object in the kernel's
# xz payload when it lies in the first allocated section (which the kernel
# places at the start of the purgatory segment); nothing otherwise
purgatory_entry() {
	python3 - "$1" <<'EOF' 2>/dev/null
import lzma, struct, sys
b = open(sys.argv[1], 'rb').read()
off, size = struct.unpack_from('<II', b, 0x248)
v = lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(b[((b[0x1f1] or 4) + 1) * 512 + off:][:size])
i = 0
while True:
    i = v.find(b'\x7fELF\x02\x01\x01', i + 1)
    if i < 0:
        sys.exit(1)
    if struct.unpack_from('<HH', v, i + 16) == (1, 62):     # ET_REL, EM_X86_64
        break
entry, shoff = struct.unpack_from('<Q8xQ', v, i + 0x18)
shentsize, shnum = struct.unpack_from('<HH', v, i + 0x3a)
for n in range(shnum):
    flags, addr, _, sz = struct.unpack_from('<QQQQ', v, i + shoff + n * shentsize + 8)
    if flags & 2:                                           # SHF_ALLOC
        if addr <= entry < addr + sz:
            print(hex(entry))
        break
EOF
}

machines=0
for dir in "$top"/tests/golden/x86_64-debian-*; do
	[ -f "$dir/inputs" ] || continue
	ver=${dir##*-debian-}	# 6.1, 6.12-efi, 6.1-high, ...
	get() { sed -n "s/^$1 //p" "$dir/inputs"; }
	kernel=$cache/${ver%%-*}/boot/$(get vmlinuz)
	if [ ! -f "$kernel" ] || [ "$(sha256sum < "$kernel" | cut -d' ' -f1)" != "$(get vmlinuz-sha256)" ]; then
		diag "$ver: $(get vmlinuz) with sha256 $(get vmlinuz-sha256) is not in $cache (scripts/fetch-kernels): skipped"
		continue
	fi
	machines=$((machines + 1))
	cmdline=$(get cmdline-l)
	initrd=$dir/$(get initrd | cut -d' ' -f1)
	args=(--dry-run -d --sysroot="$dir/sysroot" -l "$kernel" --initrd="$initrd" --append="$cmdline" --print-plan)

	"$kexec" "${args[@]}" --purgatory-from="$kernel" >"$tmp/plan" 2>"$tmp/debug"
	ok $? "$ver: dry run with the kernel's own purgatory"
	kernel_segments "$dir/kernel-plan-l.log" > "$tmp/want"
	our_segments "$tmp/plan" > "$tmp/got"
	[ -s "$tmp/want" ] && diff "$tmp/want" "$tmp/got" >"$tmp/diff"
	ok $? "$ver: segment table (bufsz mem memsz) = the kernel's: $(tr '\n' ';' < "$tmp/want")"
	[ -s "$tmp/diff" ] && sed 's/^/# /' "$tmp/diff"

	want=$(sed -n -E 's/.*kexec_file_load: type:0, start:(0x[0-9a-f]+).*/\1/p' "$dir/kernel-plan-l.log" | tail -1)
	got=$(sed -n 's/^entry = //p' "$tmp/plan")
	if [ -n "$want" ]; then
		[ "$want" = "$got" ]; ok $? "$ver: entry $got = the kernel's image->start $want"
	else
		# 6.1 prints no image->start, but where it loaded the purgatory; its
		# entry is then e_entry of the kernel's purgatory object
		load=$(sed -n -E 's/.*kexec-bzImage64: Loaded purgatory at (0x[0-9a-f]+)$/\1/p' "$dir/kernel-plan-l.log" | tail -1)
		e_entry=$(purgatory_entry "$kernel")
		[ -n "$load" ] && [ -n "$e_entry" ] && [ -n "$got" ] && [ "$((load + e_entry))" = "$((got))" ]
		ok $? "$ver: entry $got = the purgatory's load address the kernel logged ($load) + its e_entry ($e_entry)"
	fi

	want=$(sed -n 's/.*kexec-bzImage64: Final command line is: //p' "$dir/kernel-plan-l.log" | tail -1)
	got=$(sed -n 's/^final command line: //p' "$tmp/debug")
	[ -n "$want" ] && [ "$want" = "$got" ]; ok $? "$ver: final command line '$got'"

	sed -n -E 's/.*kexec-bzImage64: ([0-9a-f]{16}-[0-9a-f]{16} \([0-9]+\))$/\1/p' "$dir/kernel-plan-l.log" > "$tmp/want-e820"
	grep -E '^[0-9a-f]{16}-[0-9a-f]{16} \([0-9]+\)$' "$tmp/debug" > "$tmp/got-e820"
	firmware_e820 "$dir/boot-dmesg.log" > "$tmp/firmware-e820"
	if [ -s "$tmp/want-e820" ]; then
		diff "$tmp/want-e820" "$tmp/got-e820" >/dev/null
		ok $? "$ver: E820 map for the new kernel = the kernel's ($(wc -l < "$tmp/want-e820") entries)"
		# the rule the 6.1 case relies on, checked where the kernel prints its map
		diff "$tmp/want-e820" "$tmp/firmware-e820" >/dev/null
		ok $? "$ver: the kernel's map is the firmware's (BIOS-e820 lines of its boot log)"
	else
		# 6.1 prints no map: it passes e820_table_kexec, the firmware's map
		[ -s "$tmp/firmware-e820" ] && diff "$tmp/firmware-e820" "$tmp/got-e820" >/dev/null
		ok $? "$ver: E820 map for the new kernel = the firmware's in its boot log ($(wc -l < "$tmp/firmware-e820") entries)"
	fi

	# our own purgatory: other sizes, so other places, but the same kernel and initrd
	"$kexec" "${args[@]}" >"$tmp/plan-own" 2>/dev/null
	ok $? "$ver: dry run with ukexec's purgatory"
	our_segments "$tmp/plan-own" | sed -n '3,4p' | cut -d' ' -f1 > "$tmp/got"
	kernel_segments "$dir/kernel-plan-l.log" | sed -n '3,4p' | cut -d' ' -f1 > "$tmp/want"
	diff "$tmp/want" "$tmp/got" >/dev/null
	ok $? "$ver: with ukexec's purgatory, kernel and initrd bufsz as the kernel's"

	# the dumped boot_params: what the kernel's loader writes, read back
	rm -rf "$tmp/dump"
	"$kexec" "${args[@]}" --purgatory-from="$kernel" --dump-plan="$tmp/dump" >/dev/null 2>&1
	bp="$tmp/dump/segment-1.bin"
	le() { od -An -t u$2 -j $(($1)) -N $2 "$bp" | tr -d ' '; }
	[ "$(le 0x210 1)" = 208 ] && [ "$(le 0x211 1)" = 0 ]
	ok $? "$ver: boot_params: type_of_loader 0xd0, loadflags 0"
	kernel_segments "$dir/kernel-plan-l.log" > "$tmp/want-all"
	bp_mem=$(sed -n 2p "$tmp/want-all" | cut -d' ' -f2)
	initrd_mem=$(sed -n 4p "$tmp/want-all" | cut -d' ' -f2)
	[ $(( $(le 0x228 4) + ($(le 0xc8 4) << 32) )) = $((bp_mem + 0x1000)) ]
	ok $? "$ver: boot_params: cmd_line_ptr (+ ext_cmd_line_ptr) = boot_params + 4096"
	[ $(( $(le 0x218 4) + ($(le 0xc0 4) << 32) )) = $((initrd_mem)) ] &&
		[ "$(le 0x21c 4)" = "$(stat -c %s "$initrd")" ] && [ "$(le 0xc4 4)" = 0 ]
	ok $? "$ver: boot_params: ramdisk_image and ramdisk_size (+ their ext_ high halves)"
	[ "$(dd if="$bp" bs=1 skip=4096 count=${#cmdline} 2>/dev/null)" = "$cmdline" ]
	ok $? "$ver: boot_params: the command line at offset 4096"
	sd=$(le 0x250 8)
	case $ver in
	5.10*)	# setup_rng_seed() came with 6.0
		[ "$sd" = 0 ]
		ok $? "$ver: boot_params: no setup_data (5.10 adds no RNG seed)" ;;
	*)	[ "$sd" -gt 0 ] && off=$((sd - bp_mem)) && [ "$(le $((off + 8)) 4)" = 9 ] && [ "$(le $((off + 12)) 4)" = 32 ]
		ok $? "$ver: boot_params: setup_data is an RNG seed of 32 bytes after the EFI room" ;;
	esac

	# a crash load whose segments were dumped from the guest: byte for byte
	[ -f "$dir/boot_params-p.bin" ] || continue
	rm -rf "$tmp/dump-p"
	"$kexec" --dry-run --sysroot="$dir/sysroot" -p "$kernel" --purgatory-from="$kernel" \
		--initrd="$initrd" --append="$(get cmdline-p)" --print-plan --dump-plan="$tmp/dump-p" >"$tmp/plan-p" 2>"$tmp/err-p"
	ok $? "$ver: crash load dry run $(head -c 200 "$tmp/err-p")"
	awk '$1 == "segment" { print $6, $4, $5 }' "$dir/segments-p.txt" > "$tmp/want"
	our_segments "$tmp/plan-p" > "$tmp/got"
	diff "$tmp/want" "$tmp/got" >/dev/null
	ok $? "$ver: crash segment table = the kernel's: $(tr '\n' ';' < "$tmp/want")"
	cmp -s "$dir/elfcorehdr-p.bin" "$tmp/dump-p/segment-0.bin"
	ok $? "$ver: ELF core headers: 0 bytes differ from the kernel's ($(stat -c %s "$dir/elfcorehdr-p.bin") bytes)"
	# the boot_params segment: only the RNG seed (setup_data type 9) may differ
	bp="$tmp/dump-p/segment-2.bin"
	bp_mem=$(awk '$1 == "segment" && $3 == "boot_params" { print $4 }' "$dir/segments-p.txt")
	seed=$(( $(le 0x250 8) - bp_mem + 16 ))
	ndiff=$(cmp -l "$dir/boot_params-p.bin" "$bp" | awk -v s=$seed '$1 - 1 < s || $1 - 1 >= s + 32' | wc -l)
	[ "$(stat -c %s "$bp")" = "$(stat -c %s "$dir/boot_params-p.bin")" ] && [ "$ndiff" -eq 0 ] &&
		[ "$(le $((seed - 8)) 4)" = 9 ]
	ok $? "$ver: crash boot_params: 0 bytes differ from the kernel's outside the 32-byte RNG seed at 0x$(printf %x $seed) ($ndiff differ)"
done
[ $machines -gt 0 ] || skip_all "no recorded machine has its kernel in $cache (run scripts/fetch-kernels)"
done_testing
