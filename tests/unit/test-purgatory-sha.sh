#!/bin/bash
# The x86_64 purgatory's digest check on the host, generic and SHA-NI
# (tests/unit/test-purgatory-sha.c), also over a real plan: the cached Debian
# 6.12 kernel and a 4 MiB initrd on the recorded 6.12 machine, with the digest
# sha256sum(1) gives for what the plan's regions cover. Without the kernel
# (scripts/fetch-kernels) only the plan-free cases run.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
prog="${top_builddir:-.}/tests/unit/test-purgatory-sha"
machine=$top/tests/golden/x86_64-debian-6.12
kernel=$(ls "$cache"/6.12/boot/vmlinuz-* 2>/dev/null | head -n1)
if ! [ -f "$kernel" ] || ! [ -d "$machine/sysroot" ]; then
	echo "# no cached 6.12 kernel (scripts/fetch-kernels): no real plan"
	exec "$prog"
fi
head -c $((4 << 20)) /dev/urandom > "$tmp/initrd"
"$kexec" --dry-run -c -l --sysroot="$machine/sysroot" --initrd="$tmp/initrd" \
	--append="console=ttyS0 root=/dev/vda1 ro" --dump-plan="$tmp/plan" "$kernel" >/dev/null ||
	{ echo "1..1"; echo "not ok 1 - kexec --dump-plan failed"; exit 1; }
: > "$tmp/all"
while read -r tag i file mem memsz bufsz sum what; do
	[ "$tag" = segment ] && [ "$what" != purgatory ] || continue
	cp "$tmp/plan/$file" "$tmp/seg" && truncate -s $((memsz)) "$tmp/seg" && cat "$tmp/seg" >> "$tmp/all"
done < "$tmp/plan/manifest"
"$prog" "$tmp/plan" "$(sha256sum < "$tmp/all" | cut -c1-64)"
