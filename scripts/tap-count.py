#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Count the test results in TAP/KTAP output (stdin) for scripts/check.sh.

Counting rules:
  * Leaf level: every "ok"/"not ok" line at any nesting depth (4 spaces
    of indentation per level, as KTAP and TAP 13 subtests use) is one test,
    except the result line that closes a subtest block; a parent is only
    counted (as one failure) when it failed but none of its leaves did,
    e.g. a program that crashed after its last subtest.
  * "# SKIP" and "# TODO" results count as failed: a test that cannot run
    is a failure in this project (README, "Testing").
  * kselftest nesting: a numbered result or plan printed as a "# "
    comment by a runner (run-vm-tests.sh) is one level deeper.
  * A plan "1..N" (leading or trailing) whose block has fewer than N
    results counts the missing ones as failed; "Bail out!" counts one failure.
  * --status N: a non-zero exit status of the producer with no failure
    counted otherwise counts one failure; so does output with no result.
Prints the failed tests, then a last line "PASSED FAILED".
"""

import argparse
import re
import sys

RESULT = re.compile(r'^( *)(not ok|ok)\b *(\d+)? *-? *(.*)$')
PLAN = re.compile(r'^( *)1\.\.(\d+)')
BAIL = re.compile(r'^ *Bail out!')
DIRECTIVE = re.compile(r'#\s*(SKIP|TODO)\b', re.IGNORECASE)


NUMBERED = re.compile(r'^ *(not ok|ok) +\d+|^ *1\.\.\d+')
COMMENTED = re.compile(r'^( *)# (.*)$')


def unwrap(line):
    """kselftest style: a program's TAP printed as "# " diagnostics of its
    runner; each "# " before a numbered result or a plan is one level."""
    levels = 0
    rest = line
    while True:
        m = COMMENTED.match(rest)
        if not m:
            break
        levels += 1
        rest = m.group(2)
        if NUMBERED.match(rest):
            indent = len(line) - len(line.lstrip(' '))
            return ' ' * (indent + 4 * levels) + rest
    return line


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--status', type=int, default=0)
    ap.add_argument('--name', default='')
    args = ap.parse_args()

    results = []            # (depth, passed, name)
    plans = {}              # depth -> [planned, seen] of a leading plan
    unplanned = {}          # depth -> results not covered by a plan yet
    bad = []
    bail = False

    def missing(planned, seen, depth):
        for i in range(seen, planned):
            bad.append('test %d of %d (depth %d) did not run' %
                       (i + 1, planned, depth))

    def close_deeper(depth):
        for d in sorted([d for d in plans if d > depth], reverse=True):
            missing(*plans.pop(d), d)
        for d in [d for d in unplanned if d > depth]:
            del unplanned[d]

    for raw in sys.stdin.buffer:
        line = raw.decode('utf-8', 'replace').rstrip('\r\n')
        line = unwrap(line.replace('\t', '    '))
        m = RESULT.match(line)
        if m:
            depth = len(m.group(1)) // 4
            close_deeper(depth)
            if depth in plans and plans[depth][1] < plans[depth][0]:
                plans[depth][1] += 1
            else:
                plans.pop(depth, None)
                unplanned[depth] = unplanned.get(depth, 0) + 1
            name = m.group(4).strip() or '#' + (m.group(3) or '?')
            passed = m.group(2) == 'ok' and not DIRECTIVE.search(name)
            results.append((depth, passed, name))
            continue
        m = PLAN.match(line)
        if m:
            depth = len(m.group(1)) // 4
            close_deeper(depth)
            if unplanned.get(depth):    # a trailing plan
                missing(int(m.group(2)), unplanned.pop(depth), depth)
            else:                       # a leading plan
                if depth in plans:
                    missing(*plans.pop(depth), depth)
                plans[depth] = [int(m.group(2)), 0]
            continue
        if BAIL.match(line):
            bail = True
            bad.append(line.strip())
    close_deeper(-1)

    passed = failed = 0
    for i, (depth, ok, name) in enumerate(results):
        # children precede their parent's result line and are deeper
        j = i - 1
        leaf_failed = False
        while j >= 0 and results[j][0] > depth:
            leaf_failed |= not results[j][1]
            j -= 1
        if j != i - 1:          # a parent
            if not ok and not leaf_failed:
                failed += 1
                bad.append('not ok (parent) ' + name)
            continue
        if ok:
            passed += 1
        else:
            failed += 1
            bad.append('not ok ' + name)

    failed += len(bad) - sum(1 for b in bad if b.startswith('not ok'))
    if not results and not bail:
        failed += 1
        bad.append('no test results')
    elif args.status != 0 and failed == 0:
        failed += 1
        bad.append('exit status %d' % args.status)

    for b in bad:
        print('#   FAILED: %s%s' % (args.name + ': ' if args.name else '', b))
    print(passed, failed)


if __name__ == '__main__':
    main()
