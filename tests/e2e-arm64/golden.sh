#!/bin/bash
# Golden dry run: ukexec's arm64 plans on the recorded QEMU virt machines
# (tests/golden/arm64-virt-<version>/plan and kdump, from record-plan.sh;
# 6.1 and 6.12, each dry run picking its kexec_file profile from the
# recorded osrelease) against the plans the machines' kernels logged for the
# same inputs: the segment tables of -l and -p, the DTBs the next kernels
# booted with byte for byte outside the seeds (-l on the first machine, -p
# on the crash boot's), and with a stand-in purgatory the kernel's segments
# unmoved (golden-check.py). The payload's bytes do not matter to the plan:
# the kernel file is its recorded 64-byte header padded to its size, the
# initrd zeros of the recorded size. Without libfdt ukexec cannot build the
# DTB: skip (77).
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bld=${top_builddir:-$top/build}
kexec=$bld/kexec/kexec
versions="6.1 6.12"
grep -q '^#define HAVE_LIBFDT 1' "$bld/config.h" 2>/dev/null || { echo "1..0 # SKIP built without libfdt"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3"; exit 77; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
have_purg=
command -v aarch64-linux-gnu-as >/dev/null &&
	aarch64-linux-gnu-as -o "$tmp/purg.o" "$top/tests/e2e-arm64/stub-purgatory.S" && have_purg=1

run() { # SYSROOT OUT -l|-p ARGS...
	local root=$1 out=$2 mode=$3; shift 3
	if ! "$kexec" --dry-run --arch=arm64 --print-plan --sysroot="$root" -c "$mode" \
		"$tmp/Image" --initrd="$tmp/initrd" "$@" >"$out" 2>"$tmp/err"; then
		echo "1..1"; echo "not ok 1 - dry run $mode $*: $(head -c 300 "$tmp/err")"; exit 1
	fi
}
args=()
plan_version() { # VERSION: ukexec's outputs for arm64-virt-VERSION's two machines
	local v=$1 g=$top/tests/golden/arm64-virt-$1/plan name dir w cl cp
	# the payload of that kernel's record: its header and size
	{ cat "$g/image.head"; head -c $(($(cat "$g/image.size") - 64)) /dev/zero; } > "$tmp/Image"
	head -c "$(cat "$g/plan-initrd.size")" /dev/zero > "$tmp/initrd"
	cl=$(cat "$g/plan-kexec.cmdline") cp=$(cat "$g/plan-crash.cmdline")
	for name in plan kdump; do
		dir=$g/../$name w=$tmp/$v/$name
		mkdir -p "$w"
		# the sysroot, with QEMU's 1 MiB DTB buffer (gzip'ed in the tree) unpacked
		cp -r "$dir/sysroot" "$w/sysroot" && chmod -R u+w "$w/sysroot" &&
			gzip -d "$w/sysroot/sys/firmware/fdt.gz" || exit 1
		run "$w/sysroot" "$w/print-l" -l --append="$cl" --dump-plan="$w/dump-l"
		run "$w/sysroot" "$w/print-p" -p --append="$cp" --dump-plan="$w/dump-p"
		if [ -n "$have_purg" ]; then
			run "$w/sysroot" /dev/null -l --append="$cl" --purgatory="$tmp/purg.o" --dump-plan="$w/dump-pl"
			run "$w/sysroot" /dev/null -p --append="$cp" --purgatory="$tmp/purg.o" --dump-plan="$w/dump-pp"
		fi
		args+=("$v/$name=$dir:$w")
	done
}
for v in $versions; do
	plan_version "$v"
done
python3 "$top/tests/e2e-arm64/golden-check.py" "${args[@]}"
