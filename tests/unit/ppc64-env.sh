# Common start of the tests/unit/test-ppc64-*.sh (sourced after nothing else):
# kernel-env.sh's helpers, the ppc64 kernel cache (scripts/fetch-ppc64), the
# recorded pseries machine of the 6.1 oracle kernel and its inputs, and the
# skips every ppc64 test shares.
. "${top_srcdir:-.}/tests/unit/kernel-env.sh"
cache=${UKEXEC_PPC64_CACHE:-$top/tests/e2e-ppc64/cache}
dir=$top/tests/golden/ppc64-pseries-6.1
edit=$top/tests/unit/fdt-edit.py
get() { sed -n "s/^$1 //p" "$dir/inputs"; }

grep -qs '^#define HAVE_LIBFDT 1' "${top_builddir:-.}/config.h" ||
	skip_all "built without libfdt: ukexec has no ppc64 loader"

# ppc64_need_vmlinux: skip the test unless Debian's vmlinux pinned in $dir/inputs is cached
ppc64_need_vmlinux() {
	[ -f "$cache/debian-vmlinux" ] &&
		[ "$(sha256sum < "$cache/debian-vmlinux" | cut -d' ' -f1)" = "$(get payload-sha256)" ] ||
		skip_all "$(get package) is not in $cache (scripts/fetch-ppc64)"
}
