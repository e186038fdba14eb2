#!/bin/bash
# The command line on a recorded x86_64 machine and the cached Debian kernel
# (scripts/fetch-kernels), planned with --arch=x86_64 so any host runs it:
# what kexec-tools makes of --reuse-cmdline. Skipped without the kernel.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
machine=$top/tests/golden/x86_64-debian-6.12-high
kernel=$(ls "$cache"/6.12/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -f "$kernel" ] && [ -d "$machine/sysroot" ] || skip_all "no cached 6.12 kernel (scripts/fetch-kernels)"

# cmdline_of ARGS...: the command line a dry run puts in boot_params
cmdline_of() {
	rm -rf "$tmp/plan"
	"$kexec" --dry-run -c --arch=x86_64 --sysroot="$machine/sysroot" --dump-plan="$tmp/plan" "$@" \
		>/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
	seg=$(awk '$NF == "boot_params" { print $3 }' "$tmp/plan/manifest")
	tr '\0' '\n' < "$tmp/plan/$seg" | grep -a 'ukexec.stage=' | head -n1
}

grep -q 'crashkernel=256M,high crashkernel=128M,low' "$machine/sysroot/proc/cmdline"
ok $? "the recorded machine boots with crashkernel=,high and ,low"
# kexec-tools' remove_parameter() drops the first crashkernel= word only
line=$(cmdline_of -p --reuse-cmdline "$kernel")
case " $line " in
*" crashkernel=256M,high "*) ok 1 "-p --reuse-cmdline drops crashkernel=256M,high: $line" ;;
*" crashkernel=128M,low "*) ok 0 "-p --reuse-cmdline keeps the second word, crashkernel=128M,low: $line" ;;
*) ok 1 "-p --reuse-cmdline keeps crashkernel=128M,low: $line" ;;
esac
line=$(cmdline_of -l --reuse-cmdline "$kernel")
case " $line " in
*" crashkernel=256M,high crashkernel=128M,low "*) ok 0 "-l --reuse-cmdline keeps every crashkernel= word" ;;
*) ok 1 "-l --reuse-cmdline keeps every crashkernel= word: $line" ;;
esac
done_testing
