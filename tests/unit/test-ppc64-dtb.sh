#!/bin/bash
# ppc64 --dtb/--devicetreeblob (petitboot's boot options with a device tree):
# kexec-tools' variant through kexec_load. On the recorded pseries machine
# with Debian's vmlinux: the device tree segment starts from the given blob
# (a property only in the blob is in it; without --dtb it is not), the
# command line and the initrd are set in its /chosen as the kernel's plan
# sets them, --print-plan says it is not the in-kernel plan; a blob that is
# not a device tree, or is cut short, is refused naming the file; -s --dtb
# is refused (kexec_file_load takes no device tree on ppc64).
. "${top_srcdir:-.}/tests/unit/ppc64-env.sh"
ppc64_need_vmlinux

cmdline="root=/dev/sda2 quiet ukexec.dtb=petitboot"
initrd=$dir/$(get initrd | cut -d' ' -f1)
python3 "$edit" add "$dir/sysroot/sys/firmware/fdt" "$tmp/blob" ukexec,dtb-marker only-in-the-blob
ok $? "a blob with a root property the machine's tree does not have"
# ppc64 ARGS...: a dry run on the recorded machine, the plan dumped in $tmp/dump
ppc64() {
	rm -rf "$tmp/dump"
	"$kexec" --dry-run --arch=ppc64 --sysroot="$dir/sysroot" --purgatory="$dir/kexec_purgatory" \
		--dump-plan="$tmp/dump" --print-plan "$@" >"$tmp/out" 2>"$tmp/err"
}
# segment WHAT: the dumped segment's file
segment() { echo "$tmp/dump/$(awk -v w="$1" '$1 == "segment" && $0 ~ w"$" { print $3; exit }' "$tmp/dump/manifest")"; }
prop() { python3 "$edit" get "$(segment "device tree")" "$@" 2>&1; }

for opt in dtb devicetreeblob; do
	ppc64 -l --initrd="$initrd" --"$opt"="$tmp/blob" --append="$cmdline" "$cache/debian-vmlinux"
	ok $? "-l --$opt: planned: $(head -c 200 "$tmp/err")"
	[ "$(prop / ukexec,dtb-marker)" = only-in-the-blob ]
	ok $? "--$opt: the device tree segment has the blob's own property: $(prop / ukexec,dtb-marker)"
	[ "$(prop /chosen bootargs)" = "$cmdline" ]
	ok $? "--$opt: /chosen/bootargs is --append: $(prop /chosen bootargs)"
	mem=$(awk '$1 == "segment" && / initrd$/ { print $4 }' "$tmp/dump/manifest")
	[ -n "$mem" ] && [ "$((0x$(prop /chosen linux,initrd-start)))" = "$((mem))" ]
	ok $? "--$opt: /chosen/linux,initrd-start is the initrd segment's address $mem: $(prop /chosen linux,initrd-start)"
	grep -q "^not the in-kernel plan: --dtb: the device tree starts from the given blob" "$tmp/out"
	ok $? "--$opt: --print-plan says it is not the in-kernel plan"
done

# the check of the check: without --dtb the tree is the machine's, the marker absent
ppc64 -l --initrd="$initrd" --append="$cmdline" "$cache/debian-vmlinux"
ok $? "-l without --dtb: planned"
prop / ukexec,dtb-marker | grep -q "no property ukexec,dtb-marker"
ok $? "without --dtb: the device tree segment has no blob property"
! grep -q "not the in-kernel plan" "$tmp/out"
ok $? "without --dtb: the in-kernel plan"

ppc64 -p --dtb="$tmp/blob" --append="$cmdline" "$cache/debian-vmlinux"
ok $? "-p --dtb: planned: $(head -c 200 "$tmp/err")"
[ "$(prop / ukexec,dtb-marker)" = only-in-the-blob ] && prop /chosen bootargs | grep -q "^elfcorehdr=.* $cmdline\$"
ok $? "-p --dtb: the blob's property and elfcorehdr= + --append in the crash kernel's tree"

# refused inputs: one line naming the file, nothing planned
refused() {
	local desc=$1 pat=$2; shift 2
	"$kexec" --dry-run --arch=ppc64 --sysroot="$dir/sysroot" --purgatory="$dir/kexec_purgatory" \
		"$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -ne 0 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -qF -- "$pat" "$tmp/err"
	ok $? "$desc: exit $st, one line: $(head -c 200 "$tmp/err")"
}
head -c 4096 /dev/zero > "$tmp/zeros"
refused "a blob of zeros" "$tmp/zeros: not a flattened device tree: FDT_ERR_BADMAGIC" \
	-l --dtb="$tmp/zeros" "$cache/debian-vmlinux"
[ $st -eq 255 ]
ok $? "a blob of zeros: exit 255, as kexec-tools' fixup_dt() failing (exit $st)"
head -c 20 "$tmp/blob" > "$tmp/short"
refused "a blob shorter than its header" "$tmp/short: not a flattened device tree: 20 bytes" \
	-l --dtb="$tmp/short" "$cache/debian-vmlinux"
head -c 8000 "$tmp/blob" > "$tmp/cut"
refused "a blob cut short" "$tmp/cut: truncated device tree: its header says $(stat -c %s "$tmp/blob") bytes, the file has 8000" \
	-l --devicetreeblob="$tmp/cut" "$cache/debian-vmlinux"
# sysfs has no mmap (kexec-tools' idiom is --dtb=/sys/firmware/fdt): the file
# is read, and its bytes reach the device tree check
sysfile=
for f in /sys/kernel/kexec_loaded /sys/kernel/warn_count /sys/kernel/uevent_seqnum; do
	[ -r "$f" ] && sysfile=$f && break
done
if [ -n "$sysfile" ]; then
	n=$(wc -c < "$sysfile")
	refused "a sysfs file ($sysfile) read, not mapped" "$sysfile: not a flattened device tree: $n bytes" \
		-l --dtb="$sysfile" "$cache/debian-vmlinux"
else
	diag "no readable sysfs file: the read fallback is not checked"
fi
refused "-s --dtb" "--dtb: kexec_file_load takes no device tree on ppc64" \
	-s -l --dtb="$tmp/blob" "$cache/debian-vmlinux"
[ $st -eq 1 ]
ok $? "-s --dtb: exit 1, as kexec-tools' die()"
done_testing
