# Common start of the tests/unit/*.sh that plan with the cached Debian
# kernels (sourced): the TAP helpers, the tree's kexec, the kernel cache
# (scripts/fetch-kernels) and a scratch directory removed on exit. A test
# of another architecture's kernel sets its own cache after sourcing this.
. "${top_srcdir:-.}/tests/unit/tap.sh"
top=${top_srcdir:-.}
kexec="${top_builddir:-.}/kexec/kexec"
cache=${UKEXEC_KERNEL_CACHE:-$top/tests/e2e-x86_64/cache}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
