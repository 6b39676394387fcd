#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Real QEMU 7.2 and OVMF launch an SEV guest on the project's stack (TAP).

Meant for the VM (tools/testing/vm/run.sh, default --modules=project):
QEMU runs with -accel kvm on the project's kvm-amd.ko and sev-psp.ko over
the software firmware. The guest owner's side uses sev-host and sev-owner.

  QMP query-sev-capabilities     the PDH equals sev-host's export
  sev-owner session              QEMU's dh-cert-file and session-file
  -object sev-guest,... -S       INIT, LAUNCH_START, REG_REGION,
                                 LAUNCH_UPDATE_DATA of the OVMF flash
  QMP query-sev                  enabled, state launch-secret, policy
  QMP query-sev-launch-measure   verified by sev-owner against the OVMF
                                 image; refused for a changed image/policy
  QMP sev-inject-launch-secret   the owner's packet lands decrypted at the
                                 GPA; a packet for another measurement is
                                 refused
  QMP cont                       LAUNCH_FINISH, state running, the vCPU
                                 executes the measured firmware
  QMP quit                       no firmware handle or ASID left

usage: qemu-sev-test.py [--tools DIR] [--ovmf FILE] [--timing]
"""

import argparse
import base64
import json
import os
import re
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from qmp import QMPError  # noqa: E402
from sevqemu import (FWDBG, fw_guest, qemu, qmp_try, read, run,  # noqa: E402
                     sev_guest_args, trace_start, trace_stop)

ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ROOTS = os.path.join(ROOT, "drivers/crypto/ccp/sev-emu/testroots")
POLICY = 0x1
SECRET_GPA = 0x800000


class Tap:
    """TAP output with a running count."""

    def __init__(self, timing):
        self.n = 0
        self.failed = 0
        self.start = time.monotonic()
        self.timing = timing

    def ok(self, cond, desc, diag=None):
        self.n += 1
        t = " (%ds)" % (time.monotonic() - self.start) if self.timing else ""
        print("%s %d - %s%s" % ("ok" if cond else "not ok", self.n, desc, t))
        if not cond:
            self.failed += 1
            if diag:
                self.diag(diag)
        sys.stdout.flush()
        return cond

    @staticmethod
    def diag(text):
        for line in str(text).rstrip().splitlines():
            print("# " + line)


def main():
    ap = argparse.ArgumentParser()
    cache = os.environ.get("SEVSTACK_CACHE",
                           os.path.expanduser("~/.cache/sevstack"))
    ap.add_argument("--tools", default=os.environ.get(
        "SEV_TOOLS", os.path.join(cache, "tools/sev")))
    ap.add_argument("--ovmf", default="/usr/share/OVMF/OVMF_CODE_4M.fd")
    ap.add_argument("--timing", action="store_true")
    opt = ap.parse_args()
    host = os.path.join(opt.tools, "sev-host")
    owner = os.path.join(opt.tools, "sev-owner")
    tap = Tap(opt.timing)
    print("TAP version 13")
    with tempfile.TemporaryDirectory() as w:
        procs = []
        try:
            test(tap, w, host, owner, opt.ovmf, procs)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
            trace_stop()
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


def test(tap, w, host, owner, ovmf, procs):
    have = (os.path.exists("/dev/sev") and os.path.exists("/dev/kvm") and
            os.access(host, os.X_OK) and os.access(owner, os.X_OK) and
            os.access(ovmf, os.R_OK))
    tap.ok(have, "/dev/sev, /dev/kvm, QEMU, OVMF (%s) and the tools are there"
           % os.path.basename(ovmf))
    tap.ok(read("/sys/module/kvm_amd/parameters/sev").startswith("Y"),
           "kvm_amd reports SEV enabled")

    # --- the platform and the guest owner -------------------------------
    pdh = os.path.join(w, "pdh.cert")
    chain = os.path.join(w, "chain.cert")
    sdir = os.path.join(w, "s")
    rc, out = run(host, "export", "--pdh", pdh, "--chain", chain)
    tap.ok(rc == 0, "sev-host exports the platform's PDH and certificate chain",
           out)
    rc, out = run(owner, "verify", "--ask-ark", ROOTS + "/ask_ark.cert",
                  "--cek", ROOTS + "/cek.cert", "--pdh", pdh, "--chain", chain)
    tap.ok(rc == 0, "sev-owner verifies ARK -> ASK -> CEK -> PEK -> PDH", out)
    rc, out = run(owner, "session", "--pdh", pdh, "--policy", hex(POLICY),
                  "--out-dir", sdir)
    tap.ok(rc == 0, "sev-owner creates a launch session (policy %#x)" % POLICY,
           out)

    # --- query-sev-capabilities from a QEMU without a guest --------------
    q, p = qemu(w, procs, "caps", ["-machine", "none"])
    good, caps = qmp_try(q, "query-sev-capabilities") if q else (False, "")
    tap.ok(good, "QMP query-sev-capabilities answers",
           caps or read(os.path.join(w, "caps.log")))
    if q:
        qmp_try(q, "quit")
        p.wait()
    caps = caps if good else {}
    with open(pdh, "rb") as f:
        mine = f.read()
    theirs = base64.b64decode(caps.get("pdh", ""))
    tap.ok(theirs == mine, "the PDH QEMU reports is the one sev-host exported")
    cbitpos = caps.get("cbitpos", 0)
    # QEMU insists on reduced-phys-bits >= 1 for a guest
    rpb = max(caps.get("reduced-phys-bits", 0), 1)
    tap.diag("host CPUID 0x8000001f: cbitpos %d, reduced-phys-bits %d"
             % (cbitpos, caps.get("reduced-phys-bits", 0)))

    # --- the launch -------------------------------------------------------
    q, p = qemu(w, procs, "guest", sev_guest_args(
        w, ovmf, POLICY, cbitpos, rpb, sdir))
    if not tap.ok(q is not None, "QEMU started an SEV guest (q35, "
                  "confidential-guest-support=sev0, OVMF)",
                  read(os.path.join(w, "guest.log"))):
        return
    good, st = qmp_try(q, "query-sev")
    tap.ok(good, "QMP query-sev answers", st)
    st = st if good else {}
    tap.diag("query-sev: " + json.dumps(st))
    tap.ok(st.get("enabled") is True and st.get("state") == "launch-secret",
           "the guest is enabled and in state launch-secret")
    tap.ok(st.get("policy") == POLICY, "query-sev reports the owner's policy")
    handle = st.get("handle")
    row = fw_guest(handle)
    tap.ok(row is not None and "LSECRET" in row,
           "the firmware holds guest handle %s in state LSECRET" % handle,
           read(FWDBG + "/guests"))
    for line in read(FWDBG + "/commands").splitlines():
        if line.startswith("0x31 "):
            tap.diag("LAUNCH_UPDATE_DATA commands for the %d-byte flash: %s"
                     % (os.path.getsize(ovmf), line.split()[1]))

    good, meas = qmp_try(q, "query-sev-launch-measure")
    tap.ok(good, "QMP query-sev-launch-measure answers", meas)
    m = meas.get("data", "") if good else ""
    version = ["--api-major", str(st.get("api-major")),
               "--api-minor", str(st.get("api-minor")),
               "--build", str(st.get("build-id"))]
    tik = ["--tik", sdir + "/tik.bin"]
    rc, out = run(owner, "verify-measurement", "--measurement", m,
                  "--firmware", ovmf, "--policy", hex(POLICY), *version, *tik)
    tap.ok(rc == 0, "sev-owner verifies the measurement of the OVMF image "
           "QEMU loaded", out)
    with open(ovmf, "rb") as f:
        img = bytearray(f.read())
    img[len(img) - 16] ^= 1
    flipped = os.path.join(w, "ovmf-flip.fd")
    with open(flipped, "wb") as f:
        f.write(img)
    rc, out = run(owner, "verify-measurement", "--measurement", m,
                  "--firmware", flipped, "--policy", hex(POLICY), *version,
                  *tik)
    tap.ok(rc == 1, "... and refuses it for an image with one bit flipped in "
           "the reset vector", out)
    rc, out = run(owner, "verify-measurement", "--measurement", m,
                  "--firmware", ovmf, "--policy", "0x3", *version, *tik)
    tap.ok(rc == 1, "... and for another policy", out)

    # --- the secret -------------------------------------------------------
    secret = b"disk passphrase " + base64.b64encode(os.urandom(24))
    sfile = os.path.join(w, "secret")
    with open(sfile, "wb") as f:
        f.write(secret)

    def packet(measurement, tag):
        hdr = os.path.join(w, tag + "-hdr.b64")
        data = os.path.join(w, tag + "-data.b64")
        rc, out = run(owner, "secret", "--tek", sdir + "/tek.bin",
                      "--tik", sdir + "/tik.bin", "--measurement",
                      measurement, "--secret", sfile, "--base64",
                      "--out-header", hdr, "--out-data", data)
        return rc, out, {"packet-header": read(hdr).strip(),
                         "secret": read(data).strip(), "gpa": SECRET_GPA}

    rc, out, good_pkt = packet(m, "good")
    tap.ok(rc == 0, "sev-owner builds the secret packet for this measurement",
           out)
    other = bytearray(base64.b64decode(m or "AA=="))
    other[0] ^= 0x80
    _, _, bad_pkt = packet(base64.b64encode(bytes(other)).decode(), "bad")
    good, out = qmp_try(q, "sev-inject-launch-secret", bad_pkt)
    tap.ok(not good, "QMP sev-inject-launch-secret refuses a packet for "
           "another measurement", out)
    tap.diag("QEMU: %s" % out)
    good, out = qmp_try(q, "sev-inject-launch-secret", good_pkt)
    tap.ok(good, "QMP sev-inject-launch-secret accepts the owner's packet",
           out)
    size = len(base64.b64decode(good_pkt["secret"] or ""))
    good, dump = qmp_try(q, "human-monitor-command",
                         {"command-line": "xp /%dxb %#x" % (size, SECRET_GPA)})
    text = re.sub(r"^[0-9a-f]+:", "", dump if good else "", flags=re.M)
    got = bytes(int(x, 16) for x in re.findall(r"0x([0-9a-f]{2})\b", text))
    want = secret + bytes(max(size - len(secret), 0))
    tap.ok(size and got == want, "the secret is in guest memory, decrypted, "
           "at GPA %#x" % SECRET_GPA, dump)

    # --- run --------------------------------------------------------------
    trace_start()
    good, out = qmp_try(q, "cont")
    tap.ok(good, "QMP cont (QEMU issues LAUNCH_FINISH)", out)
    time.sleep(3)
    events = trace_stop()
    for ev in events[:5]:
        tap.diag("trace: " + ev)
    good, st = qmp_try(q, "query-sev")
    tap.ok(good and st.get("state") == "running", "query-sev: state running",
           st)
    row = fw_guest(handle)
    tap.ok(row is not None and "RUNNING" in row,
           "the firmware holds guest handle %s in state RUNNING" % handle,
           read(FWDBG + "/guests"))
    good, st = qmp_try(q, "query-status")
    tap.ok(good and st.get("status") == "running", "the vCPU runs", st)
    # The first fetch is the measured reset vector at 0xfffffff0; the next
    # exit is an instruction of OVMF's 16-bit code (CS base 0xffff0000).
    fetch = any(re.search(r"reason npf rip 0xfff0 .*info2 0x0+fffffff0", e)
                for e in events)
    later = any(re.search(r"kvm_exit: .*reason (?!npf)\w+ rip 0xf[0-9a-f]{3} ",
                          e) for e in events)
    tap.ok(fetch and later, "the guest executes the measured firmware from "
           "its reset vector")
    if any("#UD" in e for e in events):
        tap.diag("QEMU's TCG CPU has neither NRIPS nor DecodeAssists; for an "
                 "SEV guest the SVM\ncore will not emulate an intercepted "
                 "instruction without them, so under TCG\nthe guest stops at "
                 "its first such exit (#UD above)")

    # --- teardown ---------------------------------------------------------
    good, out = qmp_try(q, "quit")
    p.wait()
    tap.ok(good, "QMP quit", out)
    tap.ok(fw_guest(handle) is None, "no firmware guest handle is left",
           read(FWDBG + "/guests"))
    asids = read(FWDBG + "/asids")
    tap.ok(asids != "" and "in-use" not in asids, "no ASID is in use", asids)


if __name__ == "__main__":
    sys.exit(main())
