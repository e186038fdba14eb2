#!/bin/bash
# The README's first command as a new user meets it: scripts/demo in a
# pristine clone of this repository's HEAD, with no cache of any kind (no
# tests/e2e-x86_64/cache, so no kernels, busybox or accelerator answer; no build
# directory), under a caller's set -euo pipefail. TAP; its transcript is
# kept in LOGDIR (default: a temporary directory, printed).
#   tests/fresh/demo-fresh.sh [LOGDIR]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
logdir=${1:-$(mktemp -d /tmp/ukexec-demo-fresh.XXXXXX)}
mkdir -p "$logdir"
log=$logdir/demo.log
work=$(mktemp -d /tmp/ukexec-fresh.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "1..3"
if ! git clone -q --no-hardlinks "$top" "$work/ukexec" >"$logdir/clone.log" 2>&1; then
	echo "not ok 1 - a pristine clone of $top (log: $logdir/clone.log)"
	echo "not ok 2 - scripts/demo # SKIP no clone"
	echo "not ok 3 - the second kernel's marker # SKIP no clone"
	exit 1
fi
if [ -e "$work/ukexec/tests/e2e-x86_64/cache" ] || compgen -G "$work/ukexec/build*" >/dev/null; then
	echo "not ok 1 - the clone of $top is not pristine (a cache or build directory is there)"
	exit 1
fi
echo "ok 1 - a pristine clone of $(git -C "$top" rev-parse --short HEAD): no tests/e2e-x86_64/cache, no build directory"

# Nothing of this machine's state leaks in: no UKEXEC_* knob (accelerator,
# cache, static build), the clone's own default cache and build directory.
t0=$SECONDS
(
	cd "$work/ukexec" &&
	env $(env | sed -n 's/^\(UKEXEC_[A-Za-z0-9_]*\)=.*/-u \1/p') \
		bash -c 'set -euo pipefail; scripts/demo'
) >"$log" 2>&1
st=$?
cp "$work/ukexec/build-demo/demo-console.log" "$logdir/" 2>/dev/null || true
sed 's/^/# /' "$log"
if [ $st -eq 0 ]; then
	echo "ok 2 - scripts/demo exits 0 in $((SECONDS - t0)) s (transcript: $log)"
else
	echo "not ok 2 - scripts/demo exits $st (transcript: $log; last line: $(tail -n1 "$log"))"
fi
if grep -q "=> the second kernel booted from ukexec's plan and printed second-" "$log" &&
	grep -q '=> the same plan' "$log"; then
	echo "ok 3 - the plan equals the kernel's and the second kernel printed its marker"
else
	echo "not ok 3 - the demo did not show the same plan and the second kernel's marker ($log)"
fi
[ $st -eq 0 ]
