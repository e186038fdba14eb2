#!/bin/bash
# Golden dry run (issue 6): the plan ukexec computes on an x86_64 (any) host
# for Debian 12's s390x kernel + an initrd + a command line, against the
# recorded system view of a 1 GiB QEMU s390x guest (sysroot-qemu-1g), checked
# field by field against the rules of Linux 6.1's s390 kexec_file
# (arch/s390/kernel/machine_kexec_file.c, kexec_image.c, ipl.c,
# kernel/kexec_file.c). Each expected value is computed from the inputs by
# the rule named next to it (golden-check.py), never from ukexec's output.
# Skips (77; TAP skip under make) without the kernel or an s390x purgatory.
. "$(dirname "$0")/lib.sh"

s390x_need_inputs
s390x_host_plan_tools

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# a deterministic initrd of an odd size
python3 -c 'import sys, random; r = random.Random(390); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(1234567)))' > "$tmp/initrd"
cmdline="console=ttysclp0 panic=-1 ukexec.golden=1"

"$kexec" --dry-run --arch=s390x --print-plan --sysroot="$e2e_dir/sysroot-qemu-1g" \
	--purgatory="$purg" -c -l "$cache/vmlinuz" --initrd="$tmp/initrd" --append="$cmdline" \
	--dump-plan="$tmp/plan" >"$tmp/print" 2>"$tmp/err"
st=$?
if [ $st -ne 0 ]; then
	echo "1..1"; echo "not ok 1 - dry run: exit $st: $(head -c 300 "$tmp/err")"; exit 1
fi
python3 "$e2e_dir/golden-check.py" "$cache/vmlinuz" "$tmp/initrd" "$cmdline" "$purg" \
	"$tmp/plan" "$tmp/print"
