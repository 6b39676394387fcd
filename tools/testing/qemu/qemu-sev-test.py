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

import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sevqemu import (FWDBG, fw_guest, qemu, qmp_try, read,  # noqa: E402
                     run, sev_guest_args, tap_caps, tap_chain, tap_main,
                     tap_secret, tools_there, trace_start, trace_stop)

POLICY = 0x1
SECRET_GPA = 0x800000


def test(tap, w, tools, ovmf, procs):
    host, owner, have = tools_there(tools, ovmf)
    tap.ok(have, "/dev/sev, /dev/kvm, QEMU, OVMF (%s) and the tools are there"
           % os.path.basename(ovmf))
    tap.ok(read("/sys/module/kvm_amd/parameters/sev").startswith("Y"),
           "kvm_amd reports SEV enabled")

    # --- the platform and the guest owner -------------------------------
    sdir = os.path.join(w, "s")
    pdh = tap_chain(tap, w, host, owner)
    rc, out = run(owner, "session", "--pdh", pdh, "--policy", hex(POLICY),
                  "--out-dir", sdir)
    tap.ok(rc == 0, "sev-owner creates a launch session (policy %#x)" % POLICY,
           out)

    # --- query-sev-capabilities from a QEMU without a guest --------------
    caps = tap_caps(tap, w, procs, pdh)
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
    tap_secret(tap, q, owner, sdir, m, os.path.join(w, "secret"), SECRET_GPA)

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
    sys.exit(tap_main(test, "/usr/share/OVMF/OVMF_CODE_4M.fd", trace_stop))
