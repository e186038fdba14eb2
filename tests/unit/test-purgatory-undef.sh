#!/bin/sh
# The build's undefined-symbol gate: the real purgatory passes, and an object
# that calls an undefined memcpy (the 2018 seed's bug) is rejected.
. "${top_srcdir:-.}/tests/unit/tap.sh"
check="${top_srcdir:-.}/purgatory/check-undefined.sh"
nm=${NM:-nm}
ro="${top_builddir:-.}/purgatory/purgatory.ro"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

ppc64_ro="${top_builddir:-.}/purgatory/ppc64/purgatory.ro"
[ -f "$ro" ] || [ -f "$ppc64_ro" ] || skip_all "no purgatory object built"
if [ -f "$ro" ]; then
	"$nm" -u "$ro" > "$tmp/undef"
	[ ! -s "$tmp/undef" ]; ok $? "nm -u of purgatory.ro is empty"
	sh "$check" "$nm" "$ro" 2>"$tmp/err"; ok $? "the gate accepts purgatory.ro"

	cat > "$tmp/broken.c" <<-'EOC'
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
fi

# ppc64's gate lets the loader's .TOC. (the TOC base) through by name only
if [ -f "$ppc64_ro" ] && [ -n "${PPC64_CC:-}" ] && [ "$PPC64_CC" != no ]; then
	[ "$("$PPC64_NM" -u "$ppc64_ro" | awk '{ print $NF }')" = .TOC. ]
	ok $? "ppc64: nm -u of purgatory/ppc64/purgatory.ro is .TOC. alone"
	sh "$check" "$PPC64_NM" "$ppc64_ro" .TOC. 2>"$tmp/err"; ok $? "ppc64: the gate accepts it with .TOC. allowed"
	sh "$check" "$PPC64_NM" "$ppc64_ro" 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q '\.TOC\.' "$tmp/err"; ok $? "ppc64: and names .TOC. when it is not allowed"
	printf 'void *memcpy(void *d, const void *s, unsigned long n);\nextern int g;\nvoid copy_n(void *d, unsigned long n) { memcpy(d, &g, n); }\nint g;\n' > "$tmp/broken64.c"
	"$PPC64_CC" -O1 -ffreestanding -fno-builtin -c -o "$tmp/broken64.o" "$tmp/broken64.c" &&
		"$PPC64_LD" -r -o "$tmp/broken64.ro" "$tmp/broken64.o"
	sh "$check" "$PPC64_NM" "$tmp/broken64.ro" .TOC. 2>"$tmp/err"
	[ $? -eq 1 ] && grep -q memcpy "$tmp/err" && ! grep -q '\.TOC\.' "$tmp/err"
	ok $? "ppc64: the gate (.TOC. allowed) rejects an undefined memcpy: $(cat "$tmp/err")"
fi
done_testing
