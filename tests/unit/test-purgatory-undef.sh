#!/bin/sh
# The build's undefined-symbol gate: the real purgatory passes, and an object
# that calls an undefined memcpy (the 2018 seed's bug) is rejected.
. "${top_srcdir:-.}/tests/unit/tap.sh"
check="${top_srcdir:-.}/purgatory/check-undefined.sh"
nm=${NM:-nm}
ro="${top_builddir:-.}/purgatory/purgatory.ro"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

[ -f "$ro" ] || skip_all "no purgatory object built"
"$nm" -u "$ro" > "$tmp/undef"
[ ! -s "$tmp/undef" ]; ok $? "nm -u of purgatory.ro is empty"
sh "$check" "$nm" "$ro" 2>"$tmp/err"; ok $? "the gate accepts purgatory.ro"

cat > "$tmp/broken.c" <<'EOC'
/* what lib/sha256.c did in the 2018 thread: call memcpy with no definition */
void *memcpy(void *d, const void *s, unsigned long n);
void copy_n(void *d, const void *s, unsigned long n) { memcpy(d, s, n); }
EOC
${CC:-cc} -Os -ffreestanding -fno-builtin -c -o "$tmp/broken.o" "$tmp/broken.c"
${LD:-ld} -r -o "$tmp/broken.ro" "$tmp/broken.o"
sh "$check" "$nm" "$tmp/broken.ro" 2>"$tmp/err"
[ $? -eq 1 ]; ok $? "the gate rejects an object with an undefined memcpy"
grep -q 'memcpy' "$tmp/err"; ok $? "the message names memcpy: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/err")" -eq 1 ]; ok $? "the message is one line"
done_testing
