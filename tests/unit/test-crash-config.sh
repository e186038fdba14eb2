#!/bin/bash
# The room a 6.12 x86_64 crash load reserves for hotplug program headers
# comes from the running kernel's config (2 + CONFIG_NR_CPUS_DEFAULT +
# CONFIG_CRASH_MAX_MEMORY_RANGES, arch/x86/kernel/crash.c), read under the
# sysroot from /boot/config-RELEASE, else Debian's values (8192 + 8192): on
# the recorded 6.12 crash machine, Debian's own config plans as no config, a
# config with CONFIG_NR_CPUS_DEFAULT=64 shrinks the ELF core header segment to
# ALIGN((2 + 64 + 8192) * sizeof(Elf64_Phdr) + sizeof(Elf64_Ehdr), 4096).
# Skips without the cached kernels (scripts/fetch-kernels).
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"

g=$top/tests/golden/x86_64-debian-6.12/crash
release=$(cat "$g/sysroot/proc/sys/kernel/osrelease")
kernel=$cache/6.12/boot/vmlinuz-$release
config=$cache/6.12/boot/config-$release
[ -f "$kernel" ] && [ -f "$config" ] || skip_all "no cached 6.12 kernel and config in $cache (scripts/fetch-kernels)"
cp -r "$g/sysroot" "$tmp/root"
mkdir -p "$tmp/root/boot"

# plan NAME: dry-run crash load, manifest in $tmp/NAME, -d log in $tmp/NAME.log
plan() {
	local name=$1
	shift
	"$kexec" --dry-run -d -p --sysroot="$tmp/root" --purgatory-from="$kernel" "$@" \
		--append="console=ttyS0" --dump-plan="$tmp/$name" "$kernel" >/dev/null 2>"$tmp/$name.log"
}
# layout NAME: the manifest without the hashes of boot_params and purgatory (RNG seed)
layout() { awk '$1 == "segment" { $7 = "-" } { print }' "$tmp/$1/manifest"; }
elf_memsz() { awk '$1 == "segment" && $8 == "elfcorehdr" { print $5 }' "$tmp/$1/manifest"; }

plan none; ok $? "crash load without a kernel config"
grep -q "room for 16386 program headers" "$tmp/none.log" &&
	grep -q "kernel fact: CONFIG_NR_CPUS_DEFAULT=8192 assumed (Debian's for 6.12.95; no kernel config found)" "$tmp/none.log" &&
	grep -q "kernel fact: CONFIG_CRASH_HOTPLUG=1 assumed (Debian's for 6.12.95; no kernel config found)" "$tmp/none.log"
ok $? "-d: Debian's defaults assumed, one line each, 16386 program headers"
cp "$config" "$tmp/root/boot/config-$release"
plan debian; ok $? "crash load with Debian's config-$release"
grep -q "kernel fact: CONFIG_NR_CPUS_DEFAULT=8192 (from .*/boot/config-$release)" "$tmp/debian.log" &&
	grep -q "kernel fact: CONFIG_CRASH_MAX_MEMORY_RANGES=8192 (from .*/boot/config-$release)" "$tmp/debian.log" &&
	grep -q "room for 16386 program headers" "$tmp/debian.log"
ok $? "-d: 2 + 8192 + 8192 from /boot/config-$release"
[ -n "$(elf_memsz none)" ] && [ "$(layout none)" = "$(layout debian)" ]
ok $? "Debian's config plans as the default (elfcorehdr memsz $(elf_memsz none))"
sed 's/^CONFIG_NR_CPUS_DEFAULT=.*/CONFIG_NR_CPUS_DEFAULT=64/' "$config" > "$tmp/root/boot/config-$release"
plan small; ok $? "crash load with CONFIG_NR_CPUS_DEFAULT=64"
want=$(printf '0x%x' $(( ((2 + 64 + 8192) * 56 + 64 + 4095) / 4096 * 4096 )))
[ "$(elf_memsz small)" = "$want" ]
ok $? "elfcorehdr memsz $(elf_memsz small) = ALIGN((2 + 64 + 8192) * 56 + 64, 4096) = $want"

# --kernel-config=FILE wins over the sysroot's, gzip or not
gzip -c "$tmp/root/boot/config-$release" > "$tmp/small.gz"
cp "$config" "$tmp/root/boot/config-$release"
plan given --kernel-config="$tmp/small.gz"; ok $? "crash load with --kernel-config=small.gz"
[ "$(elf_memsz given)" = "$want" ] && grep -q "kernel fact: CONFIG_NR_CPUS_DEFAULT=64 (from $tmp/small.gz)" "$tmp/given.log"
ok $? "--kernel-config=FILE (gzip): memsz $(elf_memsz given), -d names the file"

# without CONFIG_CRASH_HOTPLUG the segment is the headers alone
sed 's/^CONFIG_CRASH_HOTPLUG=y/# CONFIG_CRASH_HOTPLUG is not set/' "$config" > "$tmp/nohp.config"
plan nohp --kernel-config="$tmp/nohp.config"; ok $? "crash load with CONFIG_CRASH_HOTPLUG not set"
[ -n "$(elf_memsz nohp)" ] && [ $(( $(elf_memsz nohp) )) -lt $(( $(elf_memsz debian) )) ] &&
	[ $(( $(elf_memsz nohp) )) -le 4096 ] && grep -q "kernel fact: CONFIG_CRASH_HOTPLUG=0 (from $tmp/nohp.config)" "$tmp/nohp.log"
ok $? "no CONFIG_CRASH_HOTPLUG: elfcorehdr memsz $(elf_memsz nohp) (the headers alone, no room)"

# 6.6-6.10 left every segment from the ELF core header on out of the digest:
# the purgatory (its digest and regions) no longer follows the random seed
purg() { awk '$1 == "segment" && $8 == "purgatory" { print $7 }' "$tmp/$1/manifest"; }
plan bug1 --kexec-file-profile=6.10.0 && plan bug2 --kexec-file-profile=6.10.0 &&
	plan fix1 --kexec-file-profile=6.12.95 && plan fix2 --kexec-file-profile=6.12.95
ok $? "crash loads under the rules of 6.10.0 and 6.12.95, twice each"
[ -n "$(purg bug1)" ] && [ "$(purg bug1)" = "$(purg bug2)" ] && [ "$(purg fix1)" != "$(purg fix2)" ]
ok $? "6.10 (digest-skip bug): the purgatory is the same across RNG seeds; 6.12: it is not"

# what userspace cannot know is said where the kernel would do it to this
# load (tests/unit/test-unknowable.sh has the cases): never CMA for a crash load
sed 's/^# CONFIG_CMA is not set/CONFIG_CMA=y\nCONFIG_DMA_CMA=y\nCONFIG_CMA_SIZE_MBYTES=64/' "$config" > "$tmp/cma.config"
plan cma --kexec-file-profile=6.17.1 --kernel-config="$tmp/cma.config"
ok $? "crash load under the rules of 6.17.1"
! grep -q "where userspace cannot know" "$tmp/cma.log" &&
	grep -q "kernel fact: CONFIG_CMA_SIZE_MBYTES=64 (from $tmp/cma.config)" "$tmp/cma.log"
ok $? "6.17.1 with a 64 MiB default CMA area: no CMA line for a crash load (kexec_alloc_contig() skips them)"
plan nocma --kexec-file-profile=6.17.1 --kernel-config="$config"
! grep -q "where userspace cannot know" "$tmp/nocma.log" && grep -q "CONFIG_DMA_CMA=0 (from $config)" "$tmp/nocma.log"
ok $? "6.17.1 with Debian 6.12's config (no CONFIG_DMA_CMA): no such line, the fact said"
plan bug --kexec-file-profile=6.16.3
! grep -q "uninitialised kexec_buf" "$tmp/bug.log" && ! grep -q "CMA area" "$tmp/bug.log" &&
	grep -q "rules of 6.16.3" "$tmp/bug.log"
ok $? "x86_64 6.16.3: no random placement line (x86 initialises its kexec_bufs), no CMA line"

"$kexec" --dry-run -p --sysroot="$tmp/root" --kernel-config="$tmp/missing" "$kernel" >/dev/null 2>"$tmp/missing.log"
st=$?
[ $st -ne 0 ] && [ "$(wc -l < "$tmp/missing.log")" = 1 ] && grep -q "$tmp/missing" "$tmp/missing.log"
ok $? "--kernel-config of a missing file: one line naming it, exit $st"
done_testing
