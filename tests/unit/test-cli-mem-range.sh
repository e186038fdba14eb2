#!/bin/bash
# --mem-min/--mem-max on the recorded x86_64 6.1 machines with the cached
# Debian 6.1 kernel: kexec-tools' locate_hole() places every segment inside
# the range, so ukexec's hole walk does too, and says the plan is not the
# in-kernel one; a range that cannot hold the plan is one line, exit 1.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
machine=$top/tests/golden/x86_64-debian-6.1
kernel=$(ls "$cache"/6.1/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -f "$kernel" ] && [ -d "$machine/sysroot" ] || skip_all "no cached 6.1 kernel (scripts/fetch-kernels)"

# plan SYSROOT ARGS...: the --print-plan of a dry run into $tmp/plan, stderr in $tmp/err
plan() {
	root=$1; shift
	"$kexec" --dry-run -c --arch=x86_64 --sysroot="$root" --print-plan "$@" "$kernel" \
		>"$tmp/plan" 2>"$tmp/err"
}

# inside MIN MAX: every segment of $tmp/plan lies in [MIN, MAX]; prints the first that does not
inside() {
	python3 - "$1" "$2" "$tmp/plan" <<'PY'
import re, sys
lo, hi = int(sys.argv[1], 0), int(sys.argv[2], 0)
segs = [(int(m, 16), int(z, 16)) for m, z in
        re.findall(r'mem=0x([0-9a-f]+) memsz=0x([0-9a-f]+)', open(sys.argv[3]).read())]
bad = [hex(m) for m, z in segs if m < lo or m + z - 1 > hi]
print(' '.join(bad))
sys.exit(1 if bad or not segs else 0)
PY
}

variant="not the in-kernel plan: --mem-min/--mem-max"

plan "$machine/sysroot" -l --initrd="$machine/initrd.img"
ok $? "-l without a range plans"
! inside 0x10000000 0xffffffffffffffff >/dev/null && ! grep -q "not the in-kernel plan" "$tmp/plan"
ok $? "without a range the purgatory is low (the kernel's plan) and the plan is the in-kernel one"

plan "$machine/sysroot" -l --initrd="$machine/initrd.img" --mem-min=0x10000000
ok $? "--mem-min=0x10000000 above the low purgatory plans: $(head -c 200 "$tmp/err")"
out=$(inside 0x10000000 0xffffffffffffffff); ok $? "--mem-min: every segment at or above 0x10000000 ($out)"
grep -qF "$variant" "$tmp/plan"; ok $? "--print-plan says the plan is not the in-kernel one"

plan "$machine/sysroot" -l --initrd="$machine/initrd.img" --mem-max=0x2fffffff
out=$(inside 0 0x2fffffff); ok $? "--mem-max=0x2fffffff: every segment below it ($out)"

plan "$machine/sysroot" -l --initrd="$machine/initrd.img" --mem-min=0x10000000 --mem-max=0x13ffffff
out=$(inside 0x10000000 0x13ffffff); ok $? "a 64 MiB range holds the 6.1 plan: every segment inside ($out)"

# the default policy (-a) plans in userspace too: kexec_file_load has no range
"$kexec" --dry-run -d --arch=x86_64 --sysroot="$machine/sysroot" --mem-min=0x10000000 -l "$kernel" \
	>/dev/null 2>"$tmp/err"
grep -q "kexec_file_load has no such argument; using the userspace plan" "$tmp/err" &&
	grep -qF "$variant" "$tmp/err"
ok $? "-a with a range: -d says the userspace plan is used and is not the in-kernel one"
"$kexec" --dry-run -s -d --arch=x86_64 --sysroot="$machine/sysroot" --mem-min=0x10000000 -l "$kernel" \
	>"$tmp/out" 2>"$tmp/err"
grep -q "ignored by kexec_file_load (-s)" "$tmp/err" && grep -q "^kexec_file_load(" "$tmp/out"
ok $? "-s with a range: the kernel places the segments, as kexec-tools (-d says so)"

crash=$machine/crash
plan "$crash/sysroot" -p --mem-max=0x37ffffff
out=$(inside 0x2f000000 0x37ffffff); ok $? "-p --mem-max=0x37ffffff: every segment in the crash region below it ($out)"

# every recorded x86_64 machine (BIOS, EFI, high memory; 6.1 and 6.12): -l
# inside a 256 MiB range above the low purgatory, -p inside the low half of
# the crash region where a crash recording exists
for dir in "$top"/tests/golden/x86_64-debian-*; do
	[ -f "$dir/inputs" ] || continue
	name=${dir##*/} ver=${name#x86_64-debian-}; ver=${ver%%-*}
	k=$cache/$ver/boot/$(sed -n 's/^vmlinuz //p' "$dir/inputs")
	[ -f "$k" ] || { diag "$name: no cached $ver kernel: skipped"; continue; }
	"$kexec" --dry-run -c --arch=x86_64 --sysroot="$dir/sysroot" --print-plan -l "$k" \
		--mem-min=0x10000000 --mem-max=0x1fffffff >"$tmp/plan" 2>"$tmp/err"
	out=$(inside 0x10000000 0x1fffffff); ok $? "$name -l: every segment in 0x10000000-0x1fffffff ($out$(head -c 200 "$tmp/err"))"
	[ -d "$dir/crash/sysroot" ] || continue
	"$kexec" --dry-run -c --arch=x86_64 --sysroot="$dir/crash/sysroot" --print-plan -p "$k" \
		--mem-max=0x37ffffff >"$tmp/plan" 2>"$tmp/err"
	crashk=0x$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Crash kernel$/\1/p' "$dir/crash/sysroot/proc/iomem" | head -n1)
	out=$(inside "$crashk" 0x37ffffff); ok $? "$name -p: every segment in the crash region ($crashk) below 0x38000000 ($out$(head -c 200 "$tmp/err"))"
done

# refusals: one line naming the segment and the range, exit 1 as kexec-tools' locate_hole die()
refused() {
	desc=$1 pat=$2; shift 2
	plan "$@"
	st=$?
	[ $st -eq 1 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && [ ! -s "$tmp/plan" ] && grep -qF -- "$pat" "$tmp/err"
	ok $? "$desc: exit $st, one line: $(head -c 300 "$tmp/err")"
}
refused "a 16 MiB range cannot hold the 63 MiB kernel" \
	"kernel: no memory hole for 0x3f97000 bytes inside --mem-min/--mem-max (0x10000000-0x10ffffff)" \
	"$machine/sysroot" -l --mem-min=0x10000000 --mem-max=0x10ffffff
refused "-p: the range leaves 32 MiB of the crash region" \
	"kernel: no memory hole for 0x3f97000 bytes inside --mem-min/--mem-max" \
	"$crash/sysroot" -p --mem-min=0x3d000000
refused "a range below the kernel's MIN_PURGATORY_ADDR" \
	"purgatory: its loader places it in 0x3000-0xffffffffffffffff, outside --mem-min=0x0/--mem-max=0x2fff" \
	"$machine/sysroot" -l --mem-max=0x2fff
done_testing
