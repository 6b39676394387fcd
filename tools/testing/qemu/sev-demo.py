#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The demo's part inside the VM (scripts/demo.sh): a host and a guest owner
launch OVMF as an SEV guest with real QEMU on the project's stack.

usage: sev-demo.py --tools DIR --out DIR --first-step N --steps N

Prints "[n/N] step ... ok (Ts)" and a few indented lines per step; on a
failure it prints what went wrong and "demo: FAILED at step n (name)", and
exits 1. Files (certificates, session, measurement, QMP answers) are left
in --out.
"""

import argparse
import base64
import glob
import json
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sevqemu import (FWDBG, ROOTS, fw_guest, guest_read,  # noqa: E402
                     qemu, qmp_try, read, run, secret_packet, sev_caps,
                     sev_guest_args, trace_start, trace_stop)

OVMF = "/usr/share/OVMF/OVMF_CODE_4M.fd"
POLICY = 0x1
SECRET_GPA = 0x800000


class DemoFailed(Exception):
    """A step failed; the message says why."""


class Steps:
    """Numbered steps with timing; a failing step ends the demo."""

    def __init__(self, first, total):
        self.no = first - 1
        self.total = total
        self.name = ""
        self.t = 0.0

    def begin(self, name):
        self.no += 1
        self.name = name
        self.t = time.monotonic()
        print("[%d/%d] %s ... " % (self.no, self.total, name), end="",
              flush=True)

    def done(self, *lines):
        print("ok (%ds)" % (time.monotonic() - self.t))
        for line in lines:
            print("    " + line)
        sys.stdout.flush()


def check(cond, why):
    if not cond:
        raise DemoFailed(why)


def chain_steps(st, host, owner, out):
    """Two steps: the host exports the platform's PDH and chain to OUT, the
    owner verifies them; return the PDH's path."""
    pdh = os.path.join(out, "pdh.cert")
    chain = os.path.join(out, "chain.cert")

    st.begin("host: the platform and its certificate chain (sev-host)")
    rc, status = run(host, "status", "--json")
    check(rc == 0, "sev-host status: " + status)
    plat = json.loads(status)
    rc, txt = run(host, "export", "--pdh", pdh, "--chain", chain)
    check(rc == 0, "sev-host export: " + txt)
    st.done("/dev/sev: software firmware sev-emu, API %s.%s build %s, "
            "state %s, owner %s, %s guests"
            % (plat.get("api_major"), plat.get("api_minor"),
               plat.get("build"), plat.get("state"), plat.get("owner"),
               plat.get("guest_count")),
            "exported pdh.cert (%d bytes) and chain.cert (PEK, OCA, CEK)"
            % os.path.getsize(pdh))

    st.begin("owner: verify ARK -> ASK -> CEK -> PEK -> PDH (sev-owner)")
    rc, txt = run(owner, "verify", "--ask-ark", ROOTS + "/ask_ark.cert",
                  "--cek", ROOTS + "/cek.cert", "--pdh", pdh, "--chain", chain)
    check(rc == 0, "sev-owner verify: " + txt)
    st.done(*[l for l in txt.strip().splitlines()][-2:],
            "(the ARK/ASK are the software firmware's TEST roots, not AMD's)")
    return pdh


def save(out, name, text):
    """Leave TEXT in OUT/NAME."""
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write(text)


def start_guest(w, procs, guest_args):
    """QEMU's SEV capabilities, then QEMU with the arguments
    GUEST_ARGS(cbitpos, reduced-phys-bits) (paused, W/guest.*); return
    (capabilities, QMP session, process)."""
    good, caps = sev_caps(w, procs)
    check(good, "query-sev-capabilities: %s %s"
          % (caps, read(os.path.join(w, "caps.log"))))
    q, p = qemu(w, procs, "guest", guest_args(
        caps["cbitpos"], max(caps["reduced-phys-bits"], 1)))
    check(q is not None, "QEMU did not start: "
          + read(os.path.join(w, "guest.log")))
    return caps, q, p


def launch_measure(q, out):
    """QMP query-sev-launch-measure, also left in OUT/measurement.b64."""
    good, meas = qmp_try(q, "query-sev-launch-measure")
    check(good, "query-sev-launch-measure: %s" % meas)
    save(out, "measurement.b64", meas["data"] + "\n")
    return meas["data"]


def check_nothing_left(handle):
    """No firmware guest HANDLE, no firmware ASID in use, no SEV VM in KVM."""
    check(fw_guest(handle) is None, "firmware guests: "
          + read(FWDBG + "/guests"))
    asids = read(FWDBG + "/asids")
    check("in-use" not in asids, "firmware ASIDs: " + asids)
    left = glob.glob("/sys/kernel/debug/kvm/*/sev")
    check(not left, "KVM still has SEV VMs: %s" % left)


def policy_bits(owner, policy):
    """The set bits of POLICY as sev-owner policy names them, on a line."""
    _, pol = run(owner, "policy", hex(policy))
    return "policy %#x: " % policy + "; ".join(
        " ".join(re.sub(r"^\s*bit\s+\d+\s+", "", l).split())
        for l in pol.splitlines() if re.search(r"\bset\b", l))


def session_step(st, owner, pdh, policy, sdir):
    """The owner's launch session for PDH and POLICY in SDIR."""
    st.begin("owner: a launch session for this PDH, policy %#x" % policy)
    rc, txt = run(owner, "session", "--pdh", pdh, "--policy", hex(policy),
                  "--out-dir", sdir)
    check(rc == 0, "sev-owner session: " + txt)
    st.done("godh.b64 and session.b64 for QEMU; tek.bin and tik.bin stay "
            "with the owner", policy_bits(owner, policy))


def secret_step(st, q, owner, sdir, m, out, w):
    """The owner builds a secret packet for measurement M (base64) with the
    session in SDIR, QEMU injects it, and it reads back at SECRET_GPA."""
    st.begin("owner -> host: inject a secret for this measurement")
    secret = b"disk passphrase " + base64.b64encode(os.urandom(12))
    sfile = os.path.join(w, "secret")
    with open(sfile, "wb") as f:
        f.write(secret)
    rc, txt, pkt = secret_packet(owner, sdir, m, sfile,
                                 os.path.join(out, "secret"), SECRET_GPA)
    check(rc == 0, "sev-owner secret: " + txt)
    size = len(base64.b64decode(pkt["secret"]))
    good, txt = qmp_try(q, "sev-inject-launch-secret", pkt)
    check(good, "sev-inject-launch-secret: %s" % txt)
    got, dump = guest_read(q, SECRET_GPA, size)
    check(got[:len(secret)] == secret, "guest memory at %#x: %s"
          % (SECRET_GPA, dump))
    st.done("sev-owner secret: header + %d encrypted bytes, wrapped with TEK, "
            "MAC'd with TIK" % size,
            "QMP sev-inject-launch-secret gpa=%#x: accepted; guest memory "
            "there now reads \"%s\"" % (SECRET_GPA, secret.decode()))


def demo(st, opt, procs, w):
    out = opt.out
    host = os.path.join(opt.tools, "sev-host")
    owner = os.path.join(opt.tools, "sev-owner")
    sdir = os.path.join(out, "session")

    pdh = chain_steps(st, host, owner, out)
    session_step(st, owner, pdh, POLICY, sdir)

    st.begin("host: QEMU 7.2 launches OVMF as an SEV guest (paused)")
    _, q, p = start_guest(w, procs, lambda cbitpos, rpb: sev_guest_args(
        w, OVMF, POLICY, cbitpos, rpb, sdir))
    good, sev = qmp_try(q, "query-sev")
    check(good and sev.get("state") == "launch-secret",
          "query-sev: %s" % sev)
    handle = sev["handle"]
    updates = [l.split()[1] for l in read(FWDBG + "/commands").splitlines()
               if l.startswith("0x31 ")]
    st.done("-machine q35,confidential-guest-support=sev0 -object "
            "sev-guest,policy=%#x,dh-cert-file=...,session-file=..." % POLICY,
            "QMP query-sev: handle %d, state %s, API %d.%d build %d"
            % (handle, sev["state"], sev["api-major"], sev["api-minor"],
               sev["build-id"]),
            "the firmware measured the %d-byte OVMF flash in %s "
            "LAUNCH_UPDATE_DATA commands" % (os.path.getsize(OVMF),
                                             updates[0] if updates else "?"))

    st.begin("owner: verify the launch measurement QEMU reports")
    m = launch_measure(q, out)
    rc, txt = run(owner, "verify-measurement", "--measurement", m,
                  "--firmware", OVMF, "--policy", hex(POLICY),
                  "--api-major", str(sev["api-major"]),
                  "--api-minor", str(sev["api-minor"]),
                  "--build", str(sev["build-id"]),
                  "--tik", sdir + "/tik.bin")
    check(rc == 0, "sev-owner verify-measurement: " + txt)
    raw = base64.b64decode(m)
    st.done("QMP query-sev-launch-measure: %s..." % raw[:16].hex(),
            "sev-owner recomputed HMAC(TIK; 0x04 || API || BUILD || POLICY ||"
            " SHA-256(OVMF) || MNONCE): %s"
            % ([l for l in txt.splitlines() if "match" in l] or ["?"])[0])

    secret_step(st, q, owner, sdir, m, out, w)

    st.begin("host: let the guest run (LAUNCH_FINISH)")
    trace_start()
    good, txt = qmp_try(q, "cont")
    check(good, "cont: %s" % txt)
    time.sleep(3)
    events = trace_stop()
    good, sev = qmp_try(q, "query-sev")
    check(good and sev.get("state") == "running", "query-sev: %s" % sev)
    row = fw_guest(handle)
    check(row is not None and "RUNNING" in row,
          "firmware guests: " + read(FWDBG + "/guests"))
    first = [e for e in events if e.startswith("kvm_exit")][:3]
    ud = any("#UD" in e for e in events)
    lines = ["QMP query-sev: state %s; firmware: handle %d RUNNING"
             % (sev["state"], handle)]
    lines += ["vCPU: " + re.sub(r" info1.*", "", e) for e in first]
    if ud:
        lines += ["the guest ran OVMF's reset vector from the measured flash "
                  "and stopped at its first MOV CR0:",
                  "QEMU's TCG CPU has no NRIPS or DecodeAssists, and KVM does "
                  "not emulate for an SEV guest",
                  "without them (#UD); on an EPYC host OVMF boots on from "
                  "here"]
    st.done(*lines)

    st.begin("the guest's SEV status and the debugfs view")
    save(out, "query-sev.json", json.dumps(sev))
    lines = ["QMP query-sev: " + json.dumps(sev)]
    lines += ["sev-emu/guests: " + l
              for l in read(FWDBG + "/guests").strip().splitlines()]
    kdir = [d for d in os.listdir("/sys/kernel/debug/kvm")
            if os.path.isdir("/sys/kernel/debug/kvm/%s/sev" % d)]
    for d in kdir[:1]:
        base = "/sys/kernel/debug/kvm/%s/sev" % d
        lines += ["kvm/%s/sev/info: %s" % (d, l)
                  for l in read(base + "/info").strip().splitlines()]
        lines += ["kvm/%s/sev/vcpus: %s" % (d, l)
                  for l in read(base + "/vcpus").strip().splitlines()]
    check(kdir, "no per-VM SEV directory in /sys/kernel/debug/kvm")
    st.done(*lines)

    st.begin("host: shut the guest down; nothing is left behind")
    good, txt = qmp_try(q, "quit")
    p.wait()
    check(good, "quit: %s" % txt)
    check_nothing_left(handle)
    st.done("firmware: no guest handle, no ASID in use; KVM: no SEV VM, "
            "its pinned pages released")


def demo_main(run_demo, steps, ovmf=None):
    """A demo's command line (--tools DIR, --out DIR, --first-step N,
    --steps N, default STEPS, and --ovmf FILE if OVMF is its default):
    RUN_DEMO(st, opt, procs, w) in a scratch directory W, the QEMUs in
    PROCS killed after it; a failed step ends it with "demo: FAILED at
    step n (name)". Return the exit status."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", required=True)
    ap.add_argument("--out", required=True)
    if ovmf:
        ap.add_argument("--ovmf", default=ovmf)
    ap.add_argument("--first-step", type=int, default=1)
    ap.add_argument("--steps", type=int, default=steps)
    opt = ap.parse_args()
    st = Steps(opt.first_step, opt.steps)
    procs = []
    try:
        with tempfile.TemporaryDirectory() as w:
            run_demo(st, opt, procs, w)
    except (DemoFailed, OSError, KeyError, ValueError, TypeError,
            AttributeError) as err:
        print("FAILED (%ds)" % (time.monotonic() - st.t))
        for line in str(err).strip().splitlines()[-25:]:
            print("    " + line)
        print("demo: FAILED at step %d (%s)" % (st.no, st.name))
        return 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return 0


if __name__ == "__main__":
    sys.exit(demo_main(demo, 9))
