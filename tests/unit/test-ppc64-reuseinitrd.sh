#!/bin/bash
# ppc64 --reuseinitrd: kexec-tools' variant through kexec_load. A copy of the
# recorded pseries machine (tests/golden/ppc64-pseries-6.1: its /chosen holds
# the initrd it was booted with, 0x920000-0x15eaf8a) booted with
# retain_initrd: `kexec -l --reuseinitrd` of Debian's vmlinux plans no initrd
# segment, the next kernel's /chosen/linux,initrd-start/-end are the running
# kernel's, reserved in its /memreserve/, and no segment overlaps them (the
# kernel segment, at 0x510000 otherwise, moves above); --print-plan says it is
# not the in-kernel plan. Without retain_initrd, with --initrd too, or with
# -s: one line, exit 1 (kexec-tools' die()); retain_initrd but no initrd in
# the running tree: one line naming the property, exit 255.
. "${top_srcdir:-.}/tests/unit/ppc64-env.sh"
ppc64_need_vmlinux

# the machine: the recorded one, booted with retain_initrd
cp -a "$dir/sysroot" "$tmp/ri"
chmod -R u+w "$tmp/ri"
echo "console=hvc0 panic=-1 crashkernel=128M retain_initrd" > "$tmp/ri/proc/cmdline"
chosen=$tmp/ri/proc/device-tree/chosen
start=0x920000 end=0x15eaf8a
[ "$(od -An -tx1 "$chosen/linux,initrd-start" | tr -d ' \n')" = 0000000000920000 ] &&
	[ "$(od -An -tx1 "$chosen/linux,initrd-end" | tr -d ' \n')" = 00000000015eaf8a ]
ok $? "the recorded machine's /chosen: the initrd it was booted with, $start-$end"

# ppc64 ROOT ARGS...: a dry run, the plan dumped in $tmp/dump, stdout/stderr kept
ppc64() {
	local root=$1; shift
	rm -rf "$tmp/dump"
	"$kexec" --dry-run --arch=ppc64 --sysroot="$root" --purgatory="$dir/kexec_purgatory" \
		--dump-plan="$tmp/dump" --print-plan "$@" >"$tmp/out" 2>"$tmp/err"
}
# the dumped plan's segments: "mem memsz what" lines; the device tree's file
segments() { awk '$1 == "segment" { $1 = $2 = $3 = $6 = $7 = ""; print }' "$tmp/dump/manifest" | sed 's/^ *//'; }
fdtfile() { echo "$tmp/dump/$(awk '$1 == "segment" && / device tree$/ { print $3 }' "$tmp/dump/manifest")"; }
prop() { python3 "$edit" get "$(fdtfile)" "$@" 2>&1; }
# memreserve BLOB: "BASE SIZE" per /memreserve/ entry
memreserve() {
	python3 - "$1" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
p = struct.unpack('>I', b[16:20])[0]
while True:
    base, size = struct.unpack('>QQ', b[p:p + 16]); p += 16
    if not base and not size:
        break
    print('0x%x 0x%x' % (base, size))
EOF
}

ppc64 "$tmp/ri" -l --reuseinitrd --append="console=hvc0 ukexec.reuse=1" "$cache/debian-vmlinux"
ok $? "-l --reuseinitrd on the machine booted with retain_initrd: planned: $(head -c 200 "$tmp/err")"
segments | sed 's/^/# /'
! segments | grep -q initrd
ok $? "no initrd segment"
[ "$((0x$(prop /chosen linux,initrd-start)))" = "$((start))" ] &&
	[ "$((0x$(prop /chosen linux,initrd-end)))" = "$((end))" ]
ok $? "the next kernel's /chosen/linux,initrd-start/-end are the running kernel's: 0x$(prop /chosen linux,initrd-start)-0x$(prop /chosen linux,initrd-end)"
memreserve "$(fdtfile)" | grep -qx "$start $(printf '0x%x' $((end - start)))"
ok $? "the retained initrd is in the next kernel's /memreserve/: $(memreserve "$(fdtfile)" | tr '\n' ';')"
over=$(segments | while read -r mem memsz what; do
	[ $((mem)) -lt $((end)) ] && [ $((mem + memsz)) -gt $((start)) ] && echo "$what $mem"; done)
[ -z "$over" ] && [ -s "$tmp/dump/manifest" ]
ok $? "no segment overlaps the retained initrd${over:+: $over}"
[ "$(prop /chosen bootargs)" = "console=hvc0 ukexec.reuse=1" ]
ok $? "/chosen/bootargs is --append: $(prop /chosen bootargs)"
grep -q "^not the in-kernel plan: --reuseinitrd: no initrd segment" "$tmp/out"
ok $? "--print-plan says it is not the in-kernel plan"

# the check of the check: the recorded machine itself (no retain_initrd)
# puts the kernel where the retained initrd is
ppc64 "$dir/sysroot" -l --append="console=hvc0" "$cache/debian-vmlinux"
k=$(awk '$1 == "segment" && / kernel$/ { print $4 }' "$tmp/dump/manifest")
[ -n "$k" ] && [ $((k)) -lt $((end)) ]
ok $? "without retain_initrd the kernel segment is at $k, inside the old initrd"

ppc64 "$tmp/ri" -p --reuseinitrd --append="console=hvc0" "$cache/debian-vmlinux"
ok $? "-p --reuseinitrd: planned: $(head -c 200 "$tmp/err")"
! segments | grep -q initrd && [ "$((0x$(prop /chosen linux,initrd-start)))" = "$((start))" ]
ok $? "-p --reuseinitrd: no initrd segment, the crash kernel's tree names the retained one"

# refused: one line, nothing planned (-l: --print-plan prints nothing), kexec-tools' exit code
refused() {
	local desc=$1 want=$2 pat=$3 root=$4; shift 4
	"$kexec" --dry-run --arch=ppc64 --sysroot="$root" --purgatory="$dir/kexec_purgatory" \
		"$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -eq "$want" ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		grep -qF -- "$pat" "$tmp/err"
	ok $? "$desc: exit $st (want $want), one line: $(head -c 200 "$tmp/err")"
}
refused "--reuseinitrd without retain_initrd (kexec-tools: die)" 1 \
	"--reuseinitrd: $dir/sysroot/proc/cmdline has no retain_initrd" \
	"$dir/sysroot" -l --print-plan --reuseinitrd "$cache/debian-vmlinux"
refused "--reuseinitrd and --initrd (kexec-tools' ppc64 loader: die)" 1 \
	"--reuseinitrd: --initrd=$dir/initrd.img given too" \
	"$tmp/ri" -l --print-plan --reuseinitrd --initrd="$dir/initrd.img" "$cache/debian-vmlinux"
refused "-s --reuseinitrd (kexec-tools: die)" 1 \
	"--reuseinitrd: kexec_file_load takes no retained initrd" \
	"$tmp/ri" -s -l --reuseinitrd "$cache/debian-vmlinux"
rm "$chosen/linux,initrd-start" "$chosen/linux,initrd-end"
refused "retain_initrd, but no initrd in the running tree" 255 \
	"--reuseinitrd: $tmp/ri/proc/device-tree/chosen/linux,initrd-start: missing: the running kernel has no initrd to reuse" \
	"$tmp/ri" -l --print-plan --reuseinitrd "$cache/debian-vmlinux"
done_testing
