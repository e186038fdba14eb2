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
	"$kexec" --dry-run -d -p --sysroot="$tmp/root" --purgatory-from="$kernel" \
		--append="console=ttyS0" --dump-plan="$tmp/$1" "$kernel" >/dev/null 2>"$tmp/$1.log"
}
# layout NAME: the manifest without the hashes of boot_params and purgatory (RNG seed)
layout() { awk '$1 == "segment" { $7 = "-" } { print }' "$tmp/$1/manifest"; }
elf_memsz() { awk '$1 == "segment" && $8 == "elfcorehdr" { print $5 }' "$tmp/$1/manifest"; }

plan none; ok $? "crash load without a kernel config"
grep -q "room for 16386 program headers (the profile's default" "$tmp/none.log"
ok $? "-d: the profile's default, 16386 program headers"
cp "$config" "$tmp/root/boot/config-$release"
plan debian; ok $? "crash load with Debian's config-$release"
grep -q "room for 2 + 8192 + 8192 program headers (.*/boot/config-$release)" "$tmp/debian.log"
ok $? "-d: 2 + 8192 + 8192 from /boot/config-$release"
[ -n "$(elf_memsz none)" ] && [ "$(layout none)" = "$(layout debian)" ]
ok $? "Debian's config plans as the default (elfcorehdr memsz $(elf_memsz none))"
sed 's/^CONFIG_NR_CPUS_DEFAULT=.*/CONFIG_NR_CPUS_DEFAULT=64/' "$config" > "$tmp/root/boot/config-$release"
plan small; ok $? "crash load with CONFIG_NR_CPUS_DEFAULT=64"
want=$(printf '0x%x' $(( ((2 + 64 + 8192) * 56 + 64 + 4095) / 4096 * 4096 )))
[ "$(elf_memsz small)" = "$want" ]
ok $? "elfcorehdr memsz $(elf_memsz small) = ALIGN((2 + 64 + 8192) * 56 + 64, 4096) = $want"
done_testing
