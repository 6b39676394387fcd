#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the benchmark log of the VM into a table, a JSON file and TAP.

Reads the "BENCH {json}" and "BENCH-END NAME RC" lines that vm-bench.sh
prints. For every figure: the median of the subject and of the baseline
over the repetitions, their spread (the largest deviation of one
repetition from the median, in per cent of it), and the ratio
subject / baseline, computed per repetition (the two ran side by side)
and summarised by its median and range. The goals are those of issue 7
(the command-path ones as issue 15 re-posed them);
a figure that misses its goal says so, nothing is adjusted.
"""

import argparse
import json
import statistics
import sys

# The benchmarks: number, name, the sev-bench runs they need and
# the figures they produce, in table order.
BENCHMARKS = [
    (1, "command path", ["cmd"],
     ["cmd.platform_status", "cmd.phase.queue", "cmd.phase.issue",
      "cmd.phase.wait", "cmd.phase.copyout", "cmd.phase.firmware"]),
    (2, "KVM command path", ["kvm"], ["kvm.guest_status"]),
    (3, "launch data path", ["scale", "launch"],
     ["launch.transparent", "launch.opaque"]),
    (4, "coalescing", ["coalesce"], ["coalesce.huge", "coalesce.fragmented"]),
    (5, "pinning", ["pin"],
     ["pin.reg.4k", "pin.unreg.4k", "pin.mlock.4k",
      "pin.reg.thp", "pin.unreg.thp", "pin.mlock.thp"]),
    (6, "ASID recycling", ["asid"], ["asid.flushes4", "asid.time4"]),
    (7, "debug path", ["dbg"], ["dbg.4k", "dbg.unaligned"]),
    (8, "scaling", ["scale", "procs"],
     ["scale.launch256", "scale.launch1024", "scale.marginal",
      "scale.procs2",
      "scale.procs4"]),
    # issue 15, goal 4: every ASID at once (bench-asidall.c)
    (9, "every ASID at once", ["asidall-small", "asidall", "asidall-es"],
     ["asidall.small.all", "asidall.small.all_vm", "asidall.small.exhaust",
      "asidall.small.teardown",
      "asidall.sev.at64", "asidall.sev.at256", "asidall.sev.all",
      "asidall.sev.all_vm", "asidall.sev.exhaust", "asidall.sev.teardown",
      "asidall.sev.kmem",
      "asidall.es.at64", "asidall.es.at256", "asidall.es.all",
      "asidall.es.all_vm", "asidall.es.exhaust", "asidall.es.teardown",
      "asidall.es.kmem"]),
]

# Goals on the ratio subject / baseline: (text, test, every repetition).
# With every=True each repetition must meet it, else the median must.
GOALS = {
    # issue 15 re-posed these two: at most 4x the bare ioctl (issue 7: 2x)
    "cmd.platform_status": ("<= 4", lambda r: r <= 4, False),
    "kvm.guest_status": ("<= 4", lambda r: r <= 4, False),
    "launch.transparent": (">= 0.8", lambda r: r >= 0.8, False),
    # issue 15 goal 3 (issue 7: >= 0.5)
    "launch.opaque": (">= 0.8", lambda r: r >= 0.8, False),
    "coalesce.huge": ("= 1", lambda r: r == 1, True),
    "coalesce.fragmented": ("= 1", lambda r: r == 1, True),
    # issue 15: against upstream's pinning of the same range (issue 7 had
    # REG_REGION <= 1.5x mlock(), now the report-only pin.mlock.* rows)
    "pin.reg.4k": ("<= 1.2", lambda r: r <= 1.2, False),
    "pin.reg.thp": ("<= 1.2", lambda r: r <= 1.2, False),
    "pin.unreg.4k": ("<= 1.2", lambda r: r <= 1.2, False),
    "pin.unreg.thp": ("<= 1.2", lambda r: r <= 1.2, False),
    "asid.flushes4": ("<= 1", lambda r: r <= 1, True),
    "asid.flushes7": ("<= 1", lambda r: r <= 1, True),
    # not set by the issue: "grows linearly" read as the extra time per
    # extra MiB from 256 MiB to 1 GiB within 0.8x-1.25x of that from 16 MiB
    # to 256 MiB (the per-MiB figures include the fixed cost of a launch)
    "scale.marginal": ("0.8-1.25", lambda r: 0.8 <= r <= 1.25, False),
}

# issue 15, goal 4: the launch with every ASID in use within 1.25x of
# the launch with one in use
for _k in ("small", "sev", "es"):
    GOALS["asidall.%s.all" % _k] = ("<= 1.25", lambda r: r <= 1.25, False)

# Goals on the subject of figures without a baseline (counts of what went
# wrong): (text, test, every repetition)
SUBJECT_GOALS = {}
for _k in ("small", "sev", "es"):
    SUBJECT_GOALS["asidall.%s.exhaust" % _k] = ("= 0", lambda s: s == 0, True)
    SUBJECT_GOALS["asidall.%s.teardown" % _k] = ("= 0", lambda s: s == 0,
                                                 True)

# Figures whose baseline is another record's subject (same repetition)
PAIRED = {
    "asid.time4": ("asid.time7", "launch/destroy cycle, 7 ASIDs"),
}


def parse_log(path):
    """Figures by id, exit statuses and error lines by run, phases"""
    figures, ends, errors, phases = {}, {}, {}, []
    crypto, curves = {}, {}
    phase, current = "defaults", None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("sev-bench: "):
                msg = line[len("sev-bench: "):]
                if " " not in msg and ":" not in msg:
                    current = msg
                elif current:
                    errors.setdefault(current, []).append(msg)
            elif line.startswith("BENCH-PHASE "):
                phase = line.split(" ", 2)[2]
                phases.append(phase)
            elif line.startswith("BENCH-CRYPTO "):
                crypto[phase] = line.split(" ", 1)[1]
            elif line.startswith("BENCH-END "):
                parts = line.split()
                if len(parts) == 3 and parts[2].isdigit():
                    ends.setdefault(parts[1], []).append(int(parts[2]))
            elif line.startswith("BENCH-CURVE {"):
                # per-point series for the plots (bench-asidall.c)
                try:
                    rec = json.loads(line[len("BENCH-CURVE "):])
                except ValueError:
                    continue
                rec["phase"] = phase
                curves[rec["id"]] = rec
            elif line.startswith("BENCH {"):
                try:
                    rec = json.loads(line[6:])
                except ValueError:
                    continue
                rec["phase"] = phase
                figures[rec["id"]] = rec
    return figures, ends, errors, phases, crypto, curves


def summary(values):
    if not values:
        return None
    med = statistics.median(values)
    dev = max(abs(v - med) for v in values)
    return {
        "median": med,
        "min": min(values),
        "max": max(values),
        "spread_pct": 100.0 * dev / med if med else 0.0,
        "samples": values,
    }


def build(figures):
    out = []
    for _, _, _, ids in BENCHMARKS:
        for fid in ids:
            rec = figures.get(fid)
            if not rec:
                continue
            rec = dict(rec)
            if fid in PAIRED and not rec["baseline"]:
                other, base = PAIRED[fid]
                if other in figures:
                    n = min(len(rec["subject"]), len(figures[other]["subject"]))
                    rec["subject"] = rec["subject"][:n]
                    rec["baseline"] = figures[other]["subject"][:n]
                    rec["base"] = base
            ratios = [s / b for s, b in zip(rec["subject"], rec["baseline"])
                      if b]
            item = {
                "id": fid,
                "what": rec["what"],
                "base": rec["base"],
                "unit": rec["unit"],
                "note": rec["note"],
                "phase": rec["phase"],
                "higher_better": rec["higher_better"],
                "subject": summary(rec["subject"]),
                "baseline": summary(rec["baseline"]),
                "ratio": summary(ratios),
                "goal": None,
                "met": None,
            }
            if fid in GOALS and ratios:
                text, test, every = GOALS[fid]
                item["goal"] = text
                item["met"] = (all(test(r) for r in ratios) if every
                               else test(item["ratio"]["median"]))
            elif fid in SUBJECT_GOALS and rec["subject"]:
                text, test, every = SUBJECT_GOALS[fid]
                item["goal"] = text
                item["met"] = (all(test(v) for v in rec["subject"]) if every
                               else test(item["subject"]["median"]))
            out.append(item)
    return out


def fmt(v):
    if v is None:
        return "-"
    a = abs(v)
    if a >= 100 or v == int(v):
        return "%.0f" % v
    if a >= 10:
        return "%.1f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3g" % v


def cell(s):
    if not s:
        return "-"
    return "%s ±%.0f%%" % (fmt(s["median"]), s["spread_pct"])


def table(items, benches):
    rows = [("#", "figure", "n", "subject", "baseline", "unit",
             "ratio [range]", "goal", "result")]
    by_id = {i["id"]: i for i in items}
    for num, _, _, ids in benches:
        for fid in ids:
            i = by_id.get(fid)
            if not i:
                rows.append((str(num), fid, "0", "-", "-", "-", "-", "-",
                             "NOT RUN"))
                continue
            r = i["ratio"]
            ratio = ("%s [%s-%s]" % (fmt(r["median"]), fmt(r["min"]),
                                     fmt(r["max"])) if r else "-")
            if i["met"] is None:
                result = "(report)"
            else:
                result = "met" if i["met"] else "MISSED"
            rows.append((str(num), fid, str(len(i["subject"]["samples"])),
                         cell(i["subject"]),
                         cell(i["baseline"]), i["unit"], ratio,
                         i["goal"] or "-", result))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("| " + " | ".join(v.ljust(widths[c])
                                       for c, v in enumerate(r)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return lines


def legend(items):
    lines = []
    for i in items:
        text = "%s: %s / %s" % (i["id"], i["what"], i["base"])
        if i["note"]:
            text += " (%s)" % i["note"]
        lines.append(text)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--tap", action="store_true",
                    help="one TAP line per benchmark (errors, not goals)")
    ap.add_argument("--vm-rc", type=int, default=0,
                    help="exit status of the VM harness")
    ap.add_argument("--mode", default="full")
    ap.add_argument("--elapsed", type=float, default=0.0)
    ap.add_argument("--date", default="")
    ap.add_argument("--host", default="")
    args = ap.parse_args()

    figures, ends, messages, phases, crypto, curves = parse_log(args.log)
    items = build(figures)
    by_id = {i["id"]: i for i in items}

    results = []
    for num, name, runs, ids in BENCHMARKS:
        errors = []
        for r in runs:
            rcs = ends.get(r, [])
            if not rcs:
                errors.append("%s did not run" % r)
            errors += ["%s exited %d" % (r, rc) for rc in rcs if rc]
            errors += ["%s: %s" % (r, m) for m in messages.get(r, [])]
        errors += ["no figure %s" % f for f in ids if f not in by_id]
        results.append({"n": num, "name": name, "ok": not errors,
                        "errors": errors})
    harness_ok = args.vm_rc == 0

    print("SEV host stack benchmarks (%s mode, %s, %s)" %
          (args.mode, args.date or "-", args.host or "-"))
    print("subject and baseline: median ±largest deviation of a repetition;"
          " ratio = subject/baseline per repetition")
    print()
    for line in table(items, BENCHMARKS):
        print(line)
    print()
    for line in legend(items):
        print("  " + line)
    if crypto:
        print()
        print("firmware crypto (driver names the crypto API picked):")
        for phase in phases:
            if phase in crypto:
                print("  %s: %s" % (phase, crypto[phase]))
    missed = [i["id"] for i in items if i["met"] is False]
    print()
    print("goals: %d met, %d missed%s" %
          (sum(1 for i in items if i["met"]), len(missed),
           " (%s)" % ", ".join(missed) if missed else ""))
    if not harness_ok:
        print("the VM harness exited %d (see the raw log)" % args.vm_rc)

    if args.tap:
        print("TAP version 13")
        print("1..%d" % (len(results) + 1))
        for r in results:
            print("%sok %d - bench %d %s" % ("" if r["ok"] else "not ",
                                             r["n"], r["n"], r["name"]))
            for e in r["errors"]:
                print("#   %s" % e)
        print("%sok %d - VM harness exit status %d" %
              ("" if harness_ok else "not ", len(results) + 1, args.vm_rc))

    if args.json:
        doc = {
            "date": args.date,
            "host": args.host,
            "mode": args.mode,
            "elapsed_s": args.elapsed,
            "vm_rc": args.vm_rc,
            "phases": phases,
            "crypto": crypto,
            "benchmarks": results,
            "figures": items,
            "curves": curves,
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")

    ok = harness_ok and all(r["ok"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
