# SPDX-License-Identifier: GPL-2.0-or-later
"""TAP lines for the Python checks: ok() numbers them and counts the failures
(n, failed: for the plan line and the exit status)."""
import sys

n = 0
failed = 0


def ok(cond, desc):
    """One TAP line for cond; returns cond."""
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    sys.stdout.flush()
    return cond
