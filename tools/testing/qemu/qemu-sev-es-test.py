#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Real QEMU 7.2 and OVMF launch an SEV-ES guest on the project's stack (TAP).

Meant for the VM (tools/testing/vm/run.sh with the firmware's ES ASIDs,
e.g. --param sev_emu.min_sev_asid=4): QEMU runs with -accel kvm on the
project's kvm-amd.ko over the software firmware, which measures and
encrypts the VMSAs but whose CPU cannot run an ES guest. The owner's PDH
and chain come from sev-host and are verified by sev-owner first. Then,
one after the other, for 1 vCPU without a launch session (TIK 0) and for
2 and 4 vCPUs with the owner's session (sev-owner session, QEMU's
dh-cert-file and session-file) (-cpu EPYC, kernel-irqchip=on, Debian's 2M
X64 OVMF_CODE.fd):

  -object sev-guest,policy=0x5 -S  ES_INIT, LAUNCH_START, UPDATE_DATA of
                                   the flash, UPDATE_VMSA, MEASURE
  QMP query-sev                    policy 0x5, state launch-secret
  debugfs sev/vmsa/0 ... N-1       the BSP's and the APs' VMSAs equal the
                                   6.1 + QEMU 7.2 model (facts §2.3) and
                                   its test vectors (facts §3.3); a
                                   difference is shown field by field
  QMP query-sev-launch-measure     recomputed here with the TIK (0 or the
                                   session's); verified by sev-owner from
                                   --firmware OVMF --policy 0x5 --vcpus N
                                   --cpu-signature 23/1/2 alone (no
                                   debugfs input) and refused for another
                                   vCPU count or CPU signature; without a
                                   session also from the VMSA files
  QMP sev-inject-launch-secret     (with a session) the owner's packet
                                   lands decrypted at the GPA; a packet
                                   for another measurement is refused
  QMP cont                         the vCPU stops (KVM_EXIT_SHUTDOWN),
                                   QEMU ends ("cpus are not resettable"),
                                   one kernel warning, no WARN/BUG
  afterwards                       no firmware guest, no ASID in use

usage: qemu-sev-es-test.py [--tools DIR] [--ovmf FILE] [--timing]
"""

import base64
import glob
import hashlib
import hmac
import os
import re
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sevqemu import (FWDBG, fw_guest, qemu, qmp_try, read,  # noqa: E402
                     run, tap_caps, tap_chain, tap_main, tap_secret,
                     tools_there)

POLICY = 0x5                    # NODBG | ES
EPYC_SIGNATURE = 0x00800F12     # CPUID(1).EAX of QEMU's -cpu EPYC
CPU_SIG = "23/1/2"              # the same, as sev-owner's FAMILY/MODEL/STEP
WRONG_SIG = "23/49/0"           # EPYC-Rome: another CPU's VMSAs
# vCPU counts, one QEMU after the other (min_sev_asid=4 gives 3 ES ASIDs),
# and whether the launch has the owner's session
RUNS = ((1, False), (2, True), (4, True))
SECRET_GPA = 0x800000
KVMDBG = "/sys/kernel/debug/kvm"
SEVDBG = "/sys/kernel/debug/kvm_amd_sev"
NORUN = "SEV-ES: this CPU cannot run SEV-ES guests"
KLOG_BAD = re.compile(r"WARNING:|BUG:|Oops|Call Trace|kernel BUG|"
                      r"general protection fault")

# facts §3.3 (cr4 0x40: the host has CR4.MCE set)
BSP_SHA256 = ("30a76bd1aa5adf81f02832d38c21e31b"
              "073cf0663dd2337455db2a3c210666af")
AP_SHA256 = "3d1cd8f98c320cb09405dae226a8bd6e18d8bfc0b4babda508c10963a6f3df19"
OVMF_SHA256 = ("d9b568def24088c92f34b5479e0ed7e4"
               "4d0a4d4cea8a0f5716719180bba48106")
LD_1VCPU = "eba1359b4bdf7745d72c9de18582cbb352f81d55c4cedaa428cc7559db8dfbf8"
OVMF_RESET = 0x0080B004

FOOTER_GUID = "96b582de-1fb2-45f7-baea-a366c55a082d"
RESET_GUID = "00f771de-1a7e-4fcb-890e-68c77e2fb44e"

SEGS = ("es", "cs", "ss", "ds", "fs", "gs", "gdtr", "ldtr", "idtr", "tr")
FIELDS = (("cpl", 0x0cb, 1), ("efer", 0x0d0, 8), ("xss", 0x140, 8),
          ("cr4", 0x148, 8), ("cr3", 0x150, 8), ("cr0", 0x158, 8),
          ("dr7", 0x160, 8), ("dr6", 0x168, 8), ("rflags", 0x170, 8),
          ("rip", 0x178, 8), ("rsp", 0x1d8, 8), ("rax", 0x1f8, 8),
          ("cr2", 0x240, 8), ("g_pat", 0x268, 8), ("pkru", 0x2e8, 4),
          ("rcx", 0x308, 8), ("rdx", 0x310, 8), ("rbx", 0x318, 8),
          ("sev_features", 0x3b0, 8), ("xcr0", 0x3e8, 8),
          ("mxcsr", 0x408, 4), ("x87_fcw", 0x410, 2))


def guid_le(text):
    """The 16 bytes of a GUID as EDK2 stores it."""
    h = text.replace("-", "")
    return (bytes.fromhex(h[0:8])[::-1] + bytes.fromhex(h[8:12])[::-1] +
            bytes.fromhex(h[12:16])[::-1] + bytes.fromhex(h[16:]))


def ovmf_reset_addr(img):
    """The SEV-ES reset address from OVMF's GUID-tagged footer table
    (facts §2.4), or None."""
    end = len(img) - 0x20
    if img[end - 16:end] != guid_le(FOOTER_GUID):
        return None
    size = struct.unpack_from("<H", img, end - 18)[0]
    pos, start = end - 18, end - size
    while pos - 18 >= start:
        length = struct.unpack_from("<H", img, pos - 18)[0]
        guid = img[pos - 16:pos]
        if length < 18 or pos - length < start:
            return None
        if guid == guid_le(RESET_GUID):
            return struct.unpack_from("<I", img, pos - length)[0]
        pos -= length
    return None


def vmsa_model(signature, cs_base, rip, cr4=0x40):
    """The VMSA Linux 6.1 builds from QEMU 7.2's reset state (facts §2.3)."""
    p = bytearray(4096)

    def seg(n, sel, attr, limit, base):
        struct.pack_into("<HHIQ", p, n * 16, sel, attr, limit, base)

    for n in (0, 2, 3, 4, 5):
        seg(n, 0, 0x93, 0xffff, 0)
    seg(1, 0xf000, 0x9b, 0xffff, cs_base)
    seg(6, 0, 0, 0xffff, 0)
    seg(7, 0, 0x82, 0xffff, 0)
    seg(8, 0, 0, 0xffff, 0)
    seg(9, 0, 0x8b, 0xffff, 0)
    for off, val in ((0x0d0, 0x1000), (0x148, cr4), (0x158, 0x10),
                     (0x160, 0x400), (0x168, 0xffff0ff0), (0x170, 2),
                     (0x178, rip), (0x268, 0x0007040600070406),
                     (0x310, signature), (0x3e8, 1)):
        struct.pack_into("<Q", p, off, val)
    return bytes(p)


def vmsa_decode(page):
    """{field: value} of the fields a reader of a VMSA looks at."""
    out = {}
    for n, name in enumerate(SEGS):
        sel, attr, limit, base = struct.unpack_from("<HHIQ", page, n * 16)
        out[name] = "sel %#06x attr %#06x limit %#010x base %#x" % (
            sel, attr, limit, base)
    for name, off, size in FIELDS:
        out[name] = "%#x" % int.from_bytes(page[off:off + size], "little")
    return out


def vmsa_diff(got, want):
    """Decoded fields that differ, then any other differing 8-byte word."""
    lines = []
    g, w = vmsa_decode(got), vmsa_decode(want)
    for key in g:
        if g[key] != w[key]:
            lines.append("%-12s got %s, expected %s" % (key, g[key], w[key]))
    known = set(range(0, 0xa0))
    for _, off, size in FIELDS:
        known.update(range(off, off + size))
    for off in range(0, 4096, 8):
        if got[off:off + 8] != want[off:off + 8] and \
                not known.issuperset(range(off, off + 8)):
            lines.append("offset %#05x  got %s, expected %s" % (
                off, got[off:off + 8].hex(), want[off:off + 8].hex()))
    return "\n".join(lines) or "(identical)"


def measure_expected(st, ld, mnonce, tik=bytes(16)):
    """MEASURE = HMAC-SHA256(TIK, 04 | api | build | policy | LD | MNONCE);
    TIK is 0 for a launch without a session."""
    msg = (bytes([4, st["api-major"], st["api-minor"], st["build-id"]]) +
           struct.pack("<I", POLICY) + ld + mnonce)
    return hmac.new(tik, msg, hashlib.sha256).digest()


def klog():
    return run("dmesg")[1].splitlines()


def vm_debugfs(pid):
    """The sev directory of QEMU's VM in KVM's debugfs, or None."""
    dirs = glob.glob("%s/%d-*/sev" % (KVMDBG, pid))
    return dirs[0] if len(dirs) == 1 else None


def asids_in_use():
    m = re.search(r"in use: (\d+)", read(SEVDBG + "/asids"))
    return int(m.group(1)) if m else -1


def guest_args(w, ovmf, cbitpos, rpb, vcpus, sdir=None):
    """QEMU arguments for OVMF as an SEV-ES guest with VCPUS vCPUs, with the
    owner's session in SDIR (godh.b64, session.b64) if given."""
    sev = "sev-guest,id=sev0,policy=%#x,cbitpos=%d,reduced-phys-bits=%d" % (
        POLICY, cbitpos, rpb)
    if sdir:
        sev += ",dh-cert-file=%s/godh.b64,session-file=%s/session.b64" % (
            sdir, sdir)
    return ["-cpu", "EPYC", "-m", "256", "-smp", str(vcpus), "-net", "none",
            "-machine", "q35,confidential-guest-support=sev0,"
            "kernel-irqchip=on",
            "-object", sev,
            "-drive", "if=pflash,format=raw,unit=0,file=%s,readonly=on"
            % ovmf,
            "-serial", "file:%s/serial-%d.log" % (w, vcpus)]


def test(tap, w, tools, ovmf, procs):
    host, owner, have = tools_there(tools, ovmf)
    if not tap.ok(have, "/dev/sev, /dev/kvm, sev-host, sev-owner and OVMF "
                  "(%s) are there" % ovmf):
        return
    tap.ok(read("/sys/module/kvm_amd/parameters/sev_es").startswith("Y"),
           "kvm_amd reports SEV-ES enabled",
           read(SEVDBG + "/platform"))

    with open(ovmf, "rb") as f:
        img = f.read()
    reset = ovmf_reset_addr(img)
    tap.ok(reset == OVMF_RESET, "%s has the SEV-ES reset block, address "
           "%#x" % (os.path.basename(ovmf), OVMF_RESET),
           "found %s" % (hex(reset) if reset else None))
    if reset is None:
        return
    if hashlib.sha256(img).hexdigest() != OVMF_SHA256:
        tap.diag("%s is not the image of the facts' vectors (SHA-256 %s): "
                 "the VMSA vectors still apply, the LD vector does not"
                 % (ovmf, hashlib.sha256(img).hexdigest()))
    bsp_model = vmsa_model(EPYC_SIGNATURE, 0xffff0000, 0xfff0)
    ap_model = vmsa_model(EPYC_SIGNATURE, reset & 0xffff0000, reset & 0xffff)
    tap.ok(hashlib.sha256(bsp_model).hexdigest() == BSP_SHA256 and
           hashlib.sha256(ap_model).hexdigest() == AP_SHA256,
           "the test's VMSA model reproduces the facts' BSP and AP vectors")

    # --- the platform and the guest owner (as qemu-sev-test.py) ----------
    pdh = tap_chain(tap, w, host, owner)

    # --- the host's C-bit, as QEMU checks it ---------------------------
    caps = tap_caps(tap, w, procs, pdh)
    cbitpos = caps.get("cbitpos", 0)
    rpb = max(caps.get("reduced-phys-bits", 0), 1)

    for vcpus, session in RUNS:
        sdir = None
        if session:
            sdir = os.path.join(w, "session%d" % vcpus)
            rc, out = run(owner, "session", "--pdh", pdh, "--policy",
                          hex(POLICY), "--out-dir", sdir)
            if not tap.ok(rc == 0, "%d vCPUs: sev-owner creates a launch "
                          "session (policy %#x)" % (vcpus, POLICY), out):
                continue
        launch(tap, w, owner, ovmf, img, vcpus, cbitpos, rpb, procs,
               bsp_model, ap_model, sdir)


def launch(tap, w, owner, ovmf, img, vcpus, cbitpos, rpb, procs, bsp_model,
           ap_model, sdir):
    tag = "%d vCPU%s" % (vcpus, "s" if vcpus > 1 else "")
    name = "guest%d" % vcpus
    log_before = klog()
    q, p = qemu(w, procs, name, guest_args(w, ovmf, cbitpos, rpb, vcpus,
                                           sdir))
    qlog = os.path.join(w, name + ".log")
    if not tap.ok(q is not None, "%s: QEMU starts an SEV-ES guest (policy "
                  "%#x, %s, -S)" % (tag, POLICY, "the owner's session"
                                    if sdir else "no session"), read(qlog)):
        return
    good, st = qmp_try(q, "query-sev")
    st = st if good else {}
    tap.ok(good and st.get("enabled") is True and
           st.get("policy") == POLICY and st.get("state") == "launch-secret",
           "%s: query-sev: enabled, policy %#x, state launch-secret"
           % (tag, POLICY), st)
    handle = st.get("handle")
    row = fw_guest(handle)
    tap.ok(row is not None and "LSECRET" in row and row[-1] == "1",
           "%s: the firmware holds ES guest handle %s in LSECRET"
           % (tag, handle), read(FWDBG + "/guests"))

    # --- the VMSAs ---------------------------------------------------------
    sev = vm_debugfs(p.pid)
    files = [os.path.join(sev or "-", "vmsa/%d" % i) for i in range(vcpus)]
    tap.ok(sev is not None and all(os.path.exists(f) for f in files) and
           not os.path.exists(os.path.join(sev, "vmsa/%d" % vcpus)),
           "%s: debugfs has vmsa/0%s and no more" %
           (tag, " ... vmsa/%d" % (vcpus - 1) if vcpus > 1 else ""),
           "%s: %s" % (sev, os.listdir(os.path.join(sev, "vmsa"))
                       if sev and os.path.isdir(sev + "/vmsa") else "none"))
    pages = []
    for i, f in enumerate(files):
        try:
            with open(f, "rb") as fh:
                page = fh.read()
        except OSError:
            page = b""
        pages.append(page)
        which = "BSP" if i == 0 else "AP"
        model = bsp_model if i == 0 else ap_model
        vector = BSP_SHA256 if i == 0 else AP_SHA256
        got = hashlib.sha256(page).hexdigest()
        diag = None
        if got != vector and len(page) == 4096:
            diag = "SHA-256 %s\n%s" % (got, vmsa_diff(page, model))
            nomce = bytearray(model)
            struct.pack_into("<Q", nomce, 0x148, 0)
            if page == bytes(nomce):
                diag += "\n(the model with cr4 0: the host lacks CR4.MCE)"
        elif len(page) != 4096:
            diag = "%d bytes" % len(page)
        tap.ok(got == vector, "%s: vmsa/%d (%s) has SHA-256 %s..." %
               (tag, i, which, vector[:8]), diag)
    vcpus_txt = read(os.path.join(sev or "-", "vcpus"))
    tap.ok(len(re.findall(r"vmsa set sev_es_enable \d ghcb_msr 0x[0-9a-f]+ "
                          r"protected 1", vcpus_txt)) == vcpus,
           "%s: sev/vcpus: every vCPU has a protected VMSA" % tag, vcpus_txt)

    # --- the measurement ------------------------------------------------
    good, meas = qmp_try(q, "query-sev-launch-measure")
    data = base64.b64decode(meas.get("data", "")) if good else b""
    tap.ok(len(data) == 48, "%s: query-sev-launch-measure answers 48 bytes"
           % tag, meas)
    m = meas.get("data", "") if good else ""
    ld = hashlib.sha256(img + b"".join(pages)).digest()
    if vcpus == 1 and hashlib.sha256(img).hexdigest() == OVMF_SHA256:
        tap.ok(ld.hex() == LD_1VCPU, "%s: the launch digest is the facts' "
               "vector %s..." % (tag, LD_1VCPU[:8]), ld.hex())
    tik = ["--zero-tik"]
    tik_bytes = bytes(16)
    if sdir:
        tik = ["--tik", sdir + "/tik.bin"]
        with open(sdir + "/tik.bin", "rb") as fh:
            tik_bytes = fh.read()
    ok = len(data) == 48 and st and \
        measure_expected(st, ld, data[32:], tik_bytes) == data[:32]
    tap.ok(ok, "%s: MEASURE = HMAC(TIK %s, ... SHA-256(OVMF || VMSAs) ...)"
           % (tag, "of the session" if sdir else "0"))
    version = ["--policy", hex(POLICY),
               "--api-major", str(st.get("api-major")),
               "--api-minor", str(st.get("api-minor")),
               "--build", str(st.get("build-id"))]

    def verify(*args):
        return run(owner, "verify-measurement", "--measurement", m,
                   "--firmware", ovmf, *args, *version)

    if not sdir:
        vmsa_args = []
        for i, page in enumerate(pages):
            path = os.path.join(w, "vmsa%d-%d" % (vcpus, i))
            with open(path, "wb") as fh:
                fh.write(page)
            vmsa_args += ["--vmsa", path]
        rc, out = verify(*vmsa_args, *tik)
        tap.ok(rc == 0, "%s: sev-owner verify-measurement --firmware OVMF "
               "--vmsa ... accepts it" % tag, out)
        rc, out = verify(*vmsa_args[:-2], *tik)
        tap.ok(rc == 1, "%s: ... and refuses it without the last VMSA" % tag,
               out)
    # the owner's view: the OVMF file, the policy, N and the signature
    rc, out = verify("--vcpus", str(vcpus), "--cpu-signature", CPU_SIG, *tik)
    tap.ok(rc == 0, "%s: sev-owner verify-measurement --firmware OVMF "
           "--policy %#x --vcpus %d --cpu-signature %s (EPYC) %s accepts it"
           % (tag, POLICY, vcpus, CPU_SIG,
              "--tik (the session's)" if sdir else "--zero-tik"), out)
    for n in sorted({max(vcpus - 1, 1), vcpus + 1} - {vcpus}):
        rc, out = verify("--vcpus", str(n), "--cpu-signature", CPU_SIG, *tik)
        tap.ok(rc == 1, "%s: ... and refuses --vcpus %d" % (tag, n), out)
    rc, out = verify("--vcpus", str(vcpus), "--cpu-signature", WRONG_SIG,
                     *tik)
    tap.ok(rc == 1, "%s: ... and refuses --cpu-signature %s (EPYC-Rome)"
           % (tag, WRONG_SIG), out)
    if sdir:
        rc, out = verify("--vcpus", str(vcpus), "--cpu-signature", CPU_SIG,
                         "--zero-tik")
        tap.ok(rc == 1, "%s: ... and refuses --zero-tik" % tag, out)
        tap_secret(tap, q, owner, sdir, m, os.path.join(w, "secret%d" % vcpus),
                   SECRET_GPA, tag)

    # --- run: the vCPU cannot enter, QEMU ends ---------------------------
    good, out = qmp_try(q, "cont")
    tap.ok(good, "%s: QMP cont" % tag, out)
    deadline = time.monotonic() + 60
    while p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    ended = p.poll() is not None
    if not ended:
        p.kill()
        p.wait()
    text = read(qlog)
    tap.ok(ended and "cpus are not resettable" in text,
           "%s: QEMU ends within 60 s: \"cpus are not resettable\" (exit "
           "status %s)" % (tag, p.returncode), text)
    new = klog()[len(log_before):]
    tap.ok(sum(NORUN in line for line in new) == 1,
           "%s: the kernel logs \"%s\" once" % (tag, NORUN),
           "\n".join(new[-20:]))
    bad = [line for line in new if KLOG_BAD.search(line)]
    tap.ok(not bad, "%s: no kernel warning, BUG or oops" % tag,
           "\n".join(bad[:20]))
    tap.ok(fw_guest(handle) is None, "%s: no firmware guest handle is left"
           % tag, read(FWDBG + "/guests"))
    tap.ok(asids_in_use() == 0, "%s: no ASID is in use" % tag,
           read(SEVDBG + "/asids"))
    left = glob.glob(KVMDBG + "/*/sev")
    tap.ok(not left, "%s: KVM has no SEV VM left" % tag, left)


if __name__ == "__main__":
    sys.exit(tap_main(test, "/usr/share/OVMF/OVMF_CODE.fd"))
