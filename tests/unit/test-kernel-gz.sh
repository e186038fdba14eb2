#!/bin/bash
# A kernel file that is one gzip stream (as arm64's Image.gz) is decompressed
# before the probe: the cached Debian x86_64 kernel, gzipped, must plan
# exactly as the kernel itself on a recorded machine (from --dump-plan: every
# segment's place and size, the kernel's and initrd's bytes, boot_params but
# for its 32-byte RNG seed, which differs between any two runs, entry and
# flags), and -d must say it was decompressed.
# Skips without the cached kernels (scripts/fetch-kernels).
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"

dir=$top/tests/golden/x86_64-debian-6.12
get() { sed -n "s/^$1 //p" "$dir/inputs"; }
kernel=$cache/6.12/boot/$(get vmlinuz)
[ -f "$kernel" ] || skip_all "no cached 6.12 kernel in $cache (scripts/fetch-kernels)"
command -v gzip >/dev/null || skip_all "no gzip"
gzip -c "$kernel" > "$tmp/vmlinuz.gz"
args=(--dry-run -d --sysroot="$dir/sysroot" -l --initrd="$dir/$(get initrd | cut -d' ' -f1)"
      --append="$(get cmdline-l)" --purgatory-from="$kernel")

"$kexec" "${args[@]}" --dump-plan="$tmp/plain" "$kernel" >/dev/null 2>"$tmp/plain.log"
ok $? "the plain kernel plans"
"$kexec" "${args[@]}" --dump-plan="$tmp/gz" "$tmp/vmlinuz.gz" >/dev/null 2>"$tmp/gz.log"
ok $? "the gzipped kernel plans"
grep -q "vmlinuz.gz: a gzip stream" "$tmp/gz.log"; ok $? "-d says the kernel was decompressed"
! grep -q "stream, 0x" "$tmp/plain.log"; ok $? "-d says nothing of it for the plain kernel"
# segment N FILE MEM MEMSZ BUFSZ SHA256 WHAT: all but the hash, the hash of the kernel and initrd
layout() { awk '$1 != "segment" || $8 == "kernel" || $8 == "initrd" { print; next } { $7 = "-"; print }' "$1"; }
layout "$tmp/plain/manifest" > "$tmp/plain.layout"
layout "$tmp/gz/manifest" > "$tmp/gz.layout"
[ "$(grep -c '^segment' "$tmp/plain.layout")" -ge 4 ] && cmp -s "$tmp/plain.layout" "$tmp/gz.layout"
ok $? "the same plan: $(grep -c '^segment' "$tmp/plain.layout") segments at the same places, the same kernel and initrd bytes"
diff "$tmp/plain.layout" "$tmp/gz.layout" | sed 's/^/# /'
bp=$(awk '$1 == "segment" && $8 == "boot_params" { print $3 }' "$tmp/plain/manifest")
span=$(cmp -l "$tmp/plain/$bp" "$tmp/gz/$bp" 2>/dev/null | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print NR ? hi - lo + 1 : 0 }')
[ -n "$bp" ] && [ -s "$tmp/gz/$bp" ] && [ "$span" -le 32 ]
ok $? "boot_params equal but for the RNG seed (differing span: $span bytes)"
done_testing
