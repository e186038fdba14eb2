#!/bin/bash
# What the kernel's loader does that userspace cannot reproduce is said in one
# line, the same words with --print-plan (stdout) and -d (stderr), once, and
# only where the kernel would do it to this load: CMA placement (6.17+, -l,
# CONFIG_DMA_CMA and a default area: cma= or CONFIG_CMA_SIZE_MBYTES), KHO
# scratch (6.16+, -l, kho=on), dm-crypt keys (6.16+, -p, keys configured
# under /sys/kernel/config/crash_dm_crypt_keys). Plans on the recorded 6.12
# crash machine with the cached Debian 6.12 kernel under other versions' rules
# (--kexec-file-profile) and configs; skips without the cached kernel.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"

g=$top/tests/golden/x86_64-debian-6.12/crash
release=$(cat "$g/sysroot/proc/sys/kernel/osrelease")
kernel=$cache/6.12/boot/vmlinuz-$release
config=$cache/6.12/boot/config-$release
[ -f "$kernel" ] && [ -f "$config" ] || skip_all "no cached 6.12 kernel and config in $cache (scripts/fetch-kernels)"
cp -r "$g/sysroot" "$tmp/root"
cmdline=$(cat "$g/sysroot/proc/cmdline")
keys=$tmp/root/sys/kernel/config/crash_dm_crypt_keys

# a kernel config: Debian 6.12's with the options given set (NAME=VALUE ...)
mkconfig() {
	local out=$1 o
	shift
	cp "$config" "$out"
	for o; do
		sed -i "/^${o%%=*}=/d; /^# ${o%%=*} is not set/d" "$out"
		echo "$o" >> "$out"
	done
}
# plan NAME ARGS...: a dry run, stdout in $tmp/NAME.out, stderr in $tmp/NAME.err
plan() {
	local name=$1
	shift
	"$kexec" --dry-run --sysroot="$tmp/root" --purgatory-from="$kernel" --append="console=ttyS0" \
		"$@" "$kernel" >"$tmp/$name.out" 2>"$tmp/$name.err"
}
count() { grep -c "where userspace cannot know" "$1"; }
said() { [ "$(count "$1")" = 1 ] && grep -q "$2" "$1"; }
nothing() { [ "$(count "$tmp/$1.out")" = 0 ] && [ "$(count "$tmp/$1.err")" = 0 ]; }

cma="CMA area where userspace cannot know"
mkconfig "$tmp/cma.config" CONFIG_DMA_CMA=y CONFIG_CMA_SIZE_MBYTES=0
echo "$cmdline cma=64M" > "$tmp/root/proc/cmdline"
plan cma-print -l --print-plan --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma.config"
ok $? "-l under the rules of 6.17.1, CONFIG_DMA_CMA, cma=64M, --print-plan"
said "$tmp/cma-print.out" "$cma" && [ "$(count "$tmp/cma-print.err")" = 0 ]
ok $? "--print-plan: the CMA line once, on stdout with the plan"
plan cma-d -l -d --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma.config"
said "$tmp/cma-d.err" "$cma" && [ "$(count "$tmp/cma-d.out")" = 0 ] &&
	[ "$(grep "$cma" "$tmp/cma-d.err")" = "$(grep "$cma" "$tmp/cma-print.out")" ]
ok $? "-d: the same line once, on stderr"
plan cma-both -l -d --print-plan --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma.config"
said "$tmp/cma-both.out" "$cma" && [ "$(count "$tmp/cma-both.err")" = 0 ]
ok $? "-d and --print-plan: once in all"
plan cma-p -p --print-plan --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma.config"
ok $? "-p, the same machine and config"
nothing cma-p
ok $? "-p: no CMA line (kexec_alloc_contig() skips crash loads)"
echo "$cmdline cma=0" > "$tmp/root/proc/cmdline"
plan cma-0 -l --print-plan --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma.config" && nothing cma-0
ok $? "cma=0 on the command line: no CMA area, no line"
echo "$cmdline" > "$tmp/root/proc/cmdline"
plan cma-none -l --print-plan --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma.config" && nothing cma-none
ok $? "no cma=, CONFIG_CMA_SIZE_MBYTES=0 (Debian 7.x amd64): no line"
mkconfig "$tmp/cma16.config" CONFIG_DMA_CMA=y CONFIG_CMA_SIZE_MBYTES=16
plan cma-16 -l --print-plan --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma16.config" &&
	said "$tmp/cma-16.out" "$cma"
ok $? "no cma=, CONFIG_CMA_SIZE_MBYTES=16: the line"
plan cma-old -l --print-plan --kexec-file-profile=6.16.12 --kernel-config="$tmp/cma16.config" &&
	nothing cma-old
ok $? "the same under the rules of 6.16.12 (CMA is 6.17+): no line"

kho="inside the KHO scratch areas where userspace cannot know"
mkconfig "$tmp/kho.config" CONFIG_KEXEC_HANDOVER=y
plan kho-off -l --print-plan --kexec-file-profile=6.16.12 --kernel-config="$tmp/kho.config" && nothing kho-off
ok $? "6.16.12, CONFIG_KEXEC_HANDOVER, no kho=: no line"
echo "$cmdline kho=on" > "$tmp/root/proc/cmdline"
plan kho-on -l --print-plan --kexec-file-profile=6.16.12 --kernel-config="$tmp/kho.config" &&
	said "$tmp/kho-on.out" "$kho"
ok $? "6.16.12, CONFIG_KEXEC_HANDOVER, kho=on, -l: the KHO line"
echo "$cmdline" > "$tmp/root/proc/cmdline"

dm="dm-crypt keys as a segment at a random place in the crash region where userspace cannot know"
mkconfig "$tmp/dm.config" CONFIG_CRASH_DM_CRYPT=y
mkdir -p "$keys"
echo 1 > "$keys/count"
plan dm -p --print-plan --kexec-file-profile=6.16.12 --kernel-config="$tmp/dm.config" &&
	said "$tmp/dm.out" "$dm"
ok $? "6.16.12, CONFIG_CRASH_DM_CRYPT, 1 key in configfs, -p: the dm-crypt line"
plan dm-l -l --print-plan --kexec-file-profile=6.16.12 --kernel-config="$tmp/dm.config" && nothing dm-l
ok $? "the same, -l: no line (crash loads only)"
plan dm-noconf -p --print-plan --kexec-file-profile=6.16.12 --kernel-config="$config" && nothing dm-noconf
ok $? "1 key but no CONFIG_CRASH_DM_CRYPT: no line"
echo 0 > "$keys/count"
plan dm-0 -p --print-plan --kexec-file-profile=6.16.12 --kernel-config="$tmp/dm.config" && nothing dm-0
ok $? "no key configured: no line"
echo x1 > "$keys/count"
plan dm-bad -p --print-plan --kexec-file-profile=6.16.12 --kernel-config="$tmp/dm.config"
st=$?
[ $st -ne 0 ] && [ ! -s "$tmp/dm-bad.out" ] && [ "$(wc -l < "$tmp/dm-bad.err")" = 1 ] &&
	grep -q "crash_dm_crypt_keys/count: not a decimal key count" "$tmp/dm-bad.err"
ok $? "a count that is no number: one line naming the file, exit $st, no plan"
rm -rf "$tmp/root/sys/kernel/config"

plan debian -l -d --print-plan --kexec-file-profile=7.3.4 && nothing debian
ok $? "7.3.4 with Debian's defaults (CMA_SIZE_MBYTES=0) and no cma=: no line"
grep -q "kernel fact: CONFIG_DMA_CMA=1 assumed (Debian's for 7.3.4; no kernel config found)" "$tmp/debian.err" &&
	grep -q "kernel fact: CONFIG_CMA_SIZE_MBYTES=0 assumed" "$tmp/debian.err"
ok $? "-d: Debian 7.3.4's CMA facts assumed, by version"
done_testing
