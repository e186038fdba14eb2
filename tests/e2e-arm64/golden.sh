#!/bin/bash
# Golden dry run: ukexec's arm64 plan on the recorded QEMU virt machine
# (tests/golden/arm64-virt-6.1/plan, from record-plan.sh) against the plan
# the machine's 6.1 kernel logged for the same inputs: the segment tables of
# -l and -p, and the -l DTB byte for byte outside the seeds
# (golden-check.py). The payload's bytes do not matter to the plan: the
# kernel file is its recorded 64-byte header padded to its size, the initrd
# zeros of the recorded size. Without libfdt ukexec cannot build the DTB:
# skip (77).
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bld=${top_builddir:-$top/build}
kexec=$bld/kexec/kexec
g=$top/tests/golden/arm64-virt-6.1/plan
grep -q '^#define HAVE_LIBFDT 1' "$bld/config.h" 2>/dev/null || { echo "1..0 # SKIP built without libfdt"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3"; exit 77; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# the sysroot, with QEMU's 1 MiB DTB buffer (gzip'ed in the tree) unpacked
cp -r "$g/sysroot" "$tmp/sysroot" && gzip -d "$tmp/sysroot/sys/firmware/fdt.gz" || exit 1
{ cat "$g/image.head"; head -c $(($(cat "$g/image.size") - 64)) /dev/zero; } > "$tmp/Image"
head -c "$(cat "$g/plan-initrd.size")" /dev/zero > "$tmp/initrd"

run() { # OUT -l|-p ARGS...
	local out=$1 mode=$2; shift 2
	if ! "$kexec" --dry-run --arch=arm64 --print-plan --sysroot="$tmp/sysroot" -c "$mode" \
		"$tmp/Image" --initrd="$tmp/initrd" "$@" >"$out" 2>"$tmp/err"; then
		echo "1..1"; echo "not ok 1 - dry run $*: $(head -c 300 "$tmp/err")"; exit 1
	fi
}
run "$tmp/print-l" -l --append="$(cat "$g/plan-kexec.cmdline")" --dump-plan="$tmp/dump-l"
run "$tmp/print-p" -p --append="$(cat "$g/plan-crash.cmdline")"
# with a stand-in purgatory when the cross assembler is there
purg=()
if command -v aarch64-linux-gnu-as >/dev/null &&
	aarch64-linux-gnu-as -o "$tmp/purg.o" "$top/tests/e2e-arm64/stub-purgatory.S"; then
	run "$tmp/print-pl" -l --append="$(cat "$g/plan-kexec.cmdline")" --purgatory="$tmp/purg.o" \
		--dump-plan="$tmp/dump-pl"
	run "$tmp/print-pp" -p --append="$(cat "$g/plan-crash.cmdline")" --purgatory="$tmp/purg.o" \
		--dump-plan="$tmp/dump-pp"
	purg=("$tmp/dump-pl" "$tmp/dump-pp")
fi
python3 "$top/tests/e2e-arm64/golden-check.py" "$g" "$tmp/print-l" "$tmp/print-p" "$tmp/dump-l" "${purg[@]}"
