#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Draw the benchmark results as SVG plots with gnuplot.

Reads the JSON that report.py writes and draws, from the figures of that
one run:

  launch-size.svg    launch time against guest size (the scaling
                     benchmark's 1, 16 and 64 MiB launches), with the line
                     a launch linear in its size from 1 MiB would follow
  cmd-breakdown.svg  where a PLATFORM_STATUS spends its time (queue,
                     issue, wait, copy-out; the firmware's own share), next
                     to the bare ioctl it is compared with
  asid-fill.svg      per-launch time against guests in use, until every
                     ASID is in use (bench-asidall.c's "BENCH-CURVE"
                     series: SEV over 509 ASIDs, SEV-ES over 300, SEV over
                     the capped 7), each launch's median over the
                     repetitions and the running median of 9, with the
                     goal lines at 1.25x the start

A plot whose figures the run does not have is not drawn, and says so.
With --tap, one TAP line per plot (a plot fails if its figures are there
but gnuplot could not draw it).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys


def figure(by_id, fid):
    f = by_id.get(fid)
    if not f or f.get("subject") is None or f.get("baseline") is None:
        return None
    return f


def gnuplot(script, out):
    """Run gnuplot on SCRIPT; return an error string or None."""
    try:
        p = subprocess.run(["gnuplot"], input=script.encode(),
                           capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "gnuplot: %s" % e
    if p.returncode:
        return "gnuplot exited %d: %s" % (
            p.returncode, p.stderr.decode(errors="replace").strip())
    if not os.path.isfile(out) or not os.path.getsize(out):
        return "gnuplot wrote no %s" % out
    return None


def header(out, title, xlabel, ylabel):
    return "\n".join([
        "set terminal svg size 720,440 dynamic font 'sans,11'",
        "set termoption noenhanced",
        "set output '%s'" % out,
        "set title \"%s\"" % title.replace('"', "'"),
        "set xlabel \"%s\"" % xlabel,
        "set ylabel \"%s\"" % ylabel,
        "set grid",
        "set key left top",
    ]) + "\n"


def plot_launch_size(by_id, outdir, run):
    """Launch time (ms) against guest size (MiB)."""
    small = figure(by_id, "scale.launch256")
    large = figure(by_id, "scale.launch1024")
    if not small or not large:
        return None, "no scaling figures (scale.launch256/1024) in this run"
    per_mib_1 = small["baseline"]["median"]
    points = [(1, per_mib_1 * 1),
              (16, small["subject"]["median"] * 16),
              (64, large["subject"]["median"] * 64)]
    out = os.path.join(outdir, "launch-size.svg")
    data = "\n".join("%d %.3f" % p for p in points)
    script = header(out, "SEV launch time against guest size (%s)" % run,
                    "guest memory (MiB)", "launch time (ms)")
    script += "set xrange [0:70]\nset yrange [0:*]\n"
    script += ("plot '-' using 1:2 with linespoints lw 2 pt 7 "
               "title 'measured (REG_REGION .. FINISH)', "
               "%.5f * x with lines dt 2 title 'linear from 1 MiB'\n"
               % per_mib_1)
    script += data + "\ne\n"
    return out, gnuplot(script, out)


def plot_cmd_breakdown(by_id, outdir, run):
    """The phases of one PLATFORM_STATUS, in microseconds."""
    names = [("cmd.phase.queue", "queue"), ("cmd.phase.issue", "issue"),
             ("cmd.phase.wait", "wait"), ("cmd.phase.copyout", "copy-out"),
             ("cmd.phase.firmware", "firmware (within issue/wait)")]
    total = figure(by_id, "cmd.platform_status")
    rows = []
    for fid, label in names:
        f = figure(by_id, fid)
        if not f:
            return None, "no command-path figure %s in this run" % fid
        rows.append((label, f["subject"]["median"]))
    if not total:
        return None, "no cmd.platform_status in this run"
    rows.append(("whole PLATFORM_STATUS", total["subject"]["median"]))
    rows.append(("bare ioctl (baseline)", total["baseline"]["median"]))
    out = os.path.join(outdir, "cmd-breakdown.svg")
    script = header(out, "Where a PLATFORM_STATUS spends its time (%s)" % run,
                    "", "microseconds per command")
    script += ("set style fill solid 0.6\nset boxwidth 0.6\n"
               "set yrange [0:*]\nset xtics rotate by -25\n"
               "unset key\n")
    script += "plot '-' using 0:2:xtic(1) with boxes\n"
    script += "\n".join('"%s" %.4f' % r for r in rows) + "\ne\n"
    return out, gnuplot(script, out)


# The per-point series of the run (report.py's "curves"), by id
CURVES = {}


def running_median(y, w=4):
    """Median of y[i - w .. i + w], the window shifted to fit in y"""
    n = len(y)
    out = []
    for i in range(n):
        lo = min(max(i - w, 0), max(n - 2 * w - 1, 0))
        win = sorted(y[lo:lo + 2 * w + 1])
        out.append(win[len(win) // 2])
    return out


def plot_asid_fill(by_id, outdir, run):
    """Per-launch time (ms) against the guests in use, every ASID."""
    series = [("asidall.sev", "SEV"), ("asidall.es", "SEV-ES"),
              ("asidall.small", "SEV, capped range")]
    have = [(CURVES[c], label) for c, label in series if c in CURVES
            and CURVES[c].get("y")]
    if not have:
        return None, "no every-ASID curves (asidall.*) in this run"
    out = os.path.join(outdir, "asid-fill.svg")
    blocks, plots, typical = [], [], []
    for n, (c, label) in enumerate(have):
        y = c["y"]
        big = len(y) >= 64
        med = running_median(y, 4 if big else 0)
        typical.append(sorted(med)[len(med) // 2])
        data = "\n".join("%d %.4f %.4f" % (k + 1, y[k], med[k])
                          for k in range(len(y)))
        blocks += [data + "\ne", data + "\ne"]
        plots.append("'-' using 1:2 with points pt 7 ps 0.25 lc %d "
                     "title '%s, %d ASIDs: each launch'" %
                     (n + 1, label, len(y)))
        if not big:
            plots.append("'-' using 1:3 with lines lw 2 lc %d notitle" %
                         (n + 1))
            continue
        plots.append("'-' using 1:3 with lines lw 2 lc %d "
                     "title '%s: running median of 9'" % (n + 1, label))
        # the goal: the launch with all in use within 1.25x of the start
        plots.append("(x <= %d ? %.4f : 1/0) with lines dt 2 lc %d "
                     "title '%s: 1.25x the start (goal)'" %
                     (len(y), 1.25 * med[0], n + 1, label))
    top = 3 * max(typical)
    clipped = sum(1 for c, _ in have for v in c["y"] if v > top)
    script = header(out, "Per-launch time against guests in use (%s)" % run,
                    "guests in use (ASIDs)",
                    "KVM_SEV_INIT .. LAUNCH_FINISH (ms)")
    script += ("set yrange [0:%.4f]\nset xrange [0:%d]\nset key right top\n"
               "set samples 1000\n" %
               (top, max(len(c["y"]) for c, _ in have) + 10))
    if clipped:
        script += ("set label 1 '%d launch%s above %.2f ms not shown' "
                   "at graph 0.02, graph 0.96\n" %
                   (clipped, "" if clipped == 1 else "es", top))
    script += "plot " + ", ".join(plots) + "\n" + "\n".join(blocks) + "\n"
    return out, gnuplot(script, out)


PLOTS = [("launch time against guest size", plot_launch_size),
         ("command-path breakdown", plot_cmd_breakdown),
         ("per-launch time against guests in use", plot_asid_fill)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json", help="results written by report.py")
    ap.add_argument("--out", required=True, help="directory for the SVGs")
    ap.add_argument("--tap", action="store_true")
    args = ap.parse_args()

    with open(args.json) as f:
        doc = json.load(f)
    by_id = {i["id"]: i for i in doc.get("figures", [])}
    CURVES.update(doc.get("curves") or {})
    run = "%s run, %s" % (doc.get("mode", "?"), doc.get("date") or "-")
    os.makedirs(args.out, exist_ok=True)
    have_gnuplot = shutil.which("gnuplot") is not None

    failed = 0
    lines = []
    for n, (name, fn) in enumerate(PLOTS, 1):
        if not have_gnuplot:
            out, err = None, "gnuplot is not installed (scripts/setup.sh)"
        else:
            out, err = fn(by_id, args.out, run)
        if out and not err:
            print("bench: plot %s: %s" % (name, out))
            lines.append("ok %d - plot %s" % (n, name))
        else:
            failed += 1
            print("bench: plot %s not drawn: %s" % (name, err))
            lines.append("not ok %d - plot %s # %s" % (n, name, err))
    if args.tap:
        print("TAP version 13")
        print("1..%d" % len(PLOTS))
        for line in lines:
            print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
