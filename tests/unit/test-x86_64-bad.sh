#!/bin/bash
# Bad inputs to the x86_64 loader: one line on stderr naming the file and the
# problem, a nonzero exit, nothing printed as a plan. Uses a recorded machine
# and the cached Debian kernel (scripts/fetch-kernels); skipped without it.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
machine=$top/tests/golden/x86_64-debian-6.12
kernel=$(ls "$cache"/6.12/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -f "$kernel" ] && [ -d "$machine/sysroot" ] || skip_all "no cached 6.12 kernel (scripts/fetch-kernels)"

# refuses DESC PATTERN ARGS...: nonzero exit, one stderr line matching PATTERN, no plan
refuses() {
	local desc=$1 pat=$2 st
	shift 2
	"$kexec" --dry-run --print-plan "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st -ne 0 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q -- "$pat" "$tmp/err" && [ ! -s "$tmp/out" ]
	ok $? "$desc: exit $st: $(head -c 200 "$tmp/err")"
}

sys=--sysroot=$machine/sysroot
head -c 3000 "$kernel" > "$tmp/short"
refuses "shorter than its setup code" "$tmp/short: bzImage truncated" $sys -l "$tmp/short"
head -c 600000 "$kernel" > "$tmp/cut"
refuses "cut inside the kernel" "$tmp/cut: bzImage truncated" $sys -l "$tmp/cut"
cp "$kernel" "$tmp/nomagic" && printf 'XXXX' | dd of="$tmp/nomagic" bs=1 seek=$((0x202)) conv=notrunc 2>/dev/null
refuses "no HdrS" "$tmp/nomagic: not a bzImage (no HdrS" $sys -l "$tmp/nomagic"
cp "$kernel" "$tmp/no64" && printf '\000\000' | dd of="$tmp/no64" bs=1 seek=$((0x236)) conv=notrunc 2>/dev/null
refuses "not 64-bit (xloadflags 0), -t bzImage64" "$tmp/no64: not a bzImage64 (XLF_KERNEL_64" $sys -t bzImage64 -l "$tmp/no64"
# without -t, kexec-tools' bzImage loader takes a 32-bit bzImage (its 32-bit entry)
"$kexec" --dry-run --print-plan $sys -l "$tmp/no64" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && grep -q "not the in-kernel plan: a 32-bit entry" "$tmp/out"
ok $? "not 64-bit (xloadflags 0): kexec-tools' 32-bit bzImage loader, said so: $(head -c 200 "$tmp/err")"
cp "$kernel" "$tmp/small-init" && printf '\000\020\000\000' | dd of="$tmp/small-init" bs=1 seek=$((0x260)) conv=notrunc 2>/dev/null
refuses "init_size smaller than the kernel (found by fuzz-bzimage: it hashed 2^64 zeros)" \
	"$tmp/small-init: init_size 0x1000 is smaller than the 0x[0-9a-f]* bytes of the kernel" $sys -l "$tmp/small-init"
refuses "command line too long" "command line too long" $sys -l "$kernel" --append="$(head -c 3000 /dev/zero | tr '\0' x)"
refuses "command line with no room for elfcorehdr=" "command line too long to append elfcorehdr=" $sys -l "$kernel" --append="$(head -c 2030 /dev/zero | tr '\0' x)"
mkdir -p "$tmp/nobp/proc/sys/kernel" && cp "$machine/sysroot/proc/iomem" "$tmp/nobp/proc/"
refuses "no boot_params in the system view" "nobp/sys/kernel/boot_params/data: No such file or directory" --sysroot="$tmp/nobp" -l "$kernel"
refuses "kdump without /proc/kcore" "sysroot/proc/kcore: No such file or directory" $sys -p "$kernel"
grep -v 'Crash kernel' "$machine/sysroot/proc/iomem" > "$tmp/iomem"
mkdir -p "$tmp/nocrash" && cp -r "$machine/sysroot/." "$tmp/nocrash/" && cp "$tmp/iomem" "$tmp/nocrash/proc/iomem"
refuses "kdump without a crash region" "no \"Crash kernel\" region in /proc/iomem" --sysroot="$tmp/nocrash" -p "$kernel"
refuses "a missing initrd" "/nonexistent/initrd: No such file or directory" $sys -l "$kernel" --initrd=/nonexistent/initrd
# and the unmodified kernel loads, so the refusals above are about the damage
"$kexec" --dry-run $sys -l "$kernel" >/dev/null 2>&1
ok $? "the intact kernel plans"
done_testing
