# SPDX-License-Identifier: GPL-2.0-only
"""Helpers shared by the QEMU SEV tests and the demos: processes, debugfs,
QEMU with a QMP socket, the kvm trace events, and the TAP, command line,
certificate chain and secret injection of the tests."""

import argparse
import base64
import os
import re
import subprocess
import sys
import tempfile
import time

from qmp import QMP, QMPError

FWDBG = "/sys/kernel/debug/sev-emu"
TRACE = "/sys/kernel/tracing"
VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..",
                                    ".."))
ROOTS = os.path.join(ROOT, "drivers/crypto/ccp/sev-emu/testroots")


def run(*cmd):
    """Run CMD; return (status, combined output)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       check=False)
    return p.returncode, p.stdout.decode(errors="replace")


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def write(path, text):
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return True
    except OSError:
        return False


def fw_guest(handle):
    """The firmware's row for HANDLE in debugfs guests, split, or None."""
    for line in read(FWDBG + "/guests").splitlines()[1:]:
        cols = line.split()
        if cols and cols[0] == str(handle):
            return cols
    return None


def qmp_try(qmp, name, args=None):
    """(True, result) or (False, error text)."""
    try:
        return True, qmp.command(name, args)
    except (QMPError, OSError, ConnectionError) as err:
        return False, str(err)


def trace_start():
    os.makedirs(TRACE, exist_ok=True)
    if not os.path.exists(TRACE + "/trace"):
        subprocess.run(["mount", "-t", "tracefs", "none", TRACE], check=False)
    # keep the first events: the ring buffer stops when full
    write(TRACE + "/options/overwrite", "0")
    write(TRACE + "/buffer_size_kb", "1024")
    write(TRACE + "/trace", "")
    for ev in ("kvm_exit", "kvm_inj_exception"):
        write("%s/events/kvm/%s/enable" % (TRACE, ev), "1")


def trace_stop():
    for ev in ("kvm_exit", "kvm_inj_exception"):
        write("%s/events/kvm/%s/enable" % (TRACE, ev), "0")
    events = [l for l in read(TRACE + "/trace").splitlines()
              if not l.startswith("#")]
    write(TRACE + "/options/overwrite", "1")
    return [re.sub(r"^.*?(kvm_[a-z_]+: )", r"\1", l) for l in events]


def qemu(w, procs, name, args):
    """Start QEMU with a QMP socket W/NAME.sock; return a QMP session."""
    sock = os.path.join(w, name + ".sock")
    log = open(os.path.join(w, name + ".log"), "w", encoding="utf-8")
    cmd = ["qemu-system-x86_64", "-accel", "kvm", "-display", "none",
           "-monitor", "none", "-qmp", "unix:%s,server=on,wait=off" % sock,
           "-S"] + args
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    procs.append(p)
    deadline = time.monotonic() + 120
    while not os.path.exists(sock):
        if p.poll() is not None or time.monotonic() > deadline:
            return None, p
        time.sleep(0.2)
    try:
        return QMP(sock, timeout=120), p
    except (OSError, QMPError, ConnectionError):
        return None, p


def sev_guest_args(w, ovmf, policy, cbitpos, rpb, sdir):
    """QEMU arguments for OVMF as an SEV guest with the owner's session in
    SDIR (godh.b64, session.b64); the variable store is a copy in W."""
    vars_fd = os.path.join(w, "vars.fd")
    with open(VARS, "rb") as src, open(vars_fd, "wb") as dst:
        dst.write(src.read())
    sev = ("sev-guest,id=sev0,policy=%#x,cbitpos=%d,reduced-phys-bits=%d,"
           "dh-cert-file=%s/godh.b64,session-file=%s/session.b64"
           % (policy, cbitpos, rpb, sdir, sdir))
    return ["-cpu", "EPYC", "-m", "256", "-smp", "1", "-net", "none",
            "-machine", "q35,confidential-guest-support=sev0",
            "-object", sev,
            "-drive", "if=pflash,format=raw,unit=0,file=%s,readonly=on" % ovmf,
            "-drive", "if=pflash,format=raw,unit=1,file=%s" % vars_fd,
            "-serial", "file:%s/serial.log" % w, "-no-reboot"]


def secret_packet(owner, sdir, measurement, sfile, prefix, gpa):
    """sev-owner secret with the session's TEK and TIK in SDIR for
    MEASUREMENT (base64) and the secret in SFILE, the header and data left
    in PREFIX-header.b64 and PREFIX-data.b64; return (status, output,
    the arguments of QMP sev-inject-launch-secret for GPA)."""
    hdr = prefix + "-header.b64"
    data = prefix + "-data.b64"
    rc, out = run(owner, "secret", "--tek", sdir + "/tek.bin",
                  "--tik", sdir + "/tik.bin", "--measurement", measurement,
                  "--secret", sfile, "--base64", "--out-header", hdr,
                  "--out-data", data)
    return rc, out, {"packet-header": read(hdr).strip(),
                     "secret": read(data).strip(), "gpa": gpa}


def guest_read(qmp, gpa, size):
    """SIZE bytes of guest memory at GPA as QEMU reads it (HMP xp: no
    DBG_DECRYPT, the software firmware's transparent memory), and the
    monitor's text."""
    good, dump = qmp_try(qmp, "human-monitor-command",
                         {"command-line": "xp /%dxb %#x" % (size, gpa)})
    text = re.sub(r"^[0-9a-f]+:", "", dump if good else "", flags=re.M)
    return (bytes(int(x, 16) for x in re.findall(r"0x([0-9a-f]{2})\b", text)),
            dump)


def sev_caps(w, procs):
    """QMP query-sev-capabilities of a QEMU without a guest (W/caps.*):
    (True, the capabilities) or (False, the error)."""
    q, p = qemu(w, procs, "caps", ["-machine", "none"])
    good, caps = qmp_try(q, "query-sev-capabilities") if q else (False, "")
    if q:
        qmp_try(q, "quit")
        p.wait()
    return good, caps


class Tap:
    """TAP output with a running count."""

    def __init__(self, timing=False):
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
        sys.stdout.flush()


def tap_main(test, ovmf, finish=None):
    """A test's command line (--tools DIR, --ovmf FILE, default OVMF,
    --timing) and TAP: TEST(tap, w, tools, ovmf, procs) in a scratch
    directory W, then the QEMUs in PROCS killed, FINISH() called and the
    plan printed; return the exit status."""
    ap = argparse.ArgumentParser()
    cache = os.environ.get("SEVSTACK_CACHE",
                           os.path.expanduser("~/.cache/sevstack"))
    ap.add_argument("--tools", default=os.environ.get(
        "SEV_TOOLS", os.path.join(cache, "tools/sev")))
    ap.add_argument("--ovmf", default=ovmf)
    ap.add_argument("--timing", action="store_true")
    opt = ap.parse_args()
    tap = Tap(opt.timing)
    print("TAP version 13")
    with tempfile.TemporaryDirectory() as w:
        procs = []
        try:
            test(tap, w, opt.tools, opt.ovmf, procs)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
            if finish:
                finish()
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


def tools_there(tools, ovmf):
    """(sev-host and sev-owner in TOOLS, whether they, /dev/sev, /dev/kvm
    and OVMF are there)."""
    host = os.path.join(tools, "sev-host")
    owner = os.path.join(tools, "sev-owner")
    return host, owner, (os.path.exists("/dev/sev") and
                         os.path.exists("/dev/kvm") and
                         os.access(host, os.X_OK) and
                         os.access(owner, os.X_OK) and
                         os.access(ovmf, os.R_OK))


def tap_chain(tap, w, host, owner):
    """Tests: sev-host exports the platform's PDH and chain to W, sev-owner
    verifies them against the software firmware's test roots; return the
    PDH's path."""
    pdh = os.path.join(w, "pdh.cert")
    chain = os.path.join(w, "chain.cert")
    rc, out = run(host, "export", "--pdh", pdh, "--chain", chain)
    tap.ok(rc == 0, "sev-host exports the platform's PDH and certificate "
           "chain", out)
    rc, out = run(owner, "verify", "--ask-ark", ROOTS + "/ask_ark.cert",
                  "--cek", ROOTS + "/cek.cert", "--pdh", pdh, "--chain", chain)
    tap.ok(rc == 0, "sev-owner verifies ARK -> ASK -> CEK -> PEK -> PDH", out)
    return pdh


def tap_caps(tap, w, procs, pdh):
    """Tests: QMP query-sev-capabilities answers, with the PDH in file PDH;
    return the capabilities ({} if none)."""
    good, caps = sev_caps(w, procs)
    tap.ok(good, "QMP query-sev-capabilities answers",
           caps or read(os.path.join(w, "caps.log")))
    caps = caps if good else {}
    with open(pdh, "rb") as f:
        mine = f.read()
    tap.ok(base64.b64decode(caps.get("pdh", "")) == mine,
           "the PDH QEMU reports is the one sev-host exported")
    return caps


def tap_secret(tap, q, owner, sdir, m, prefix, gpa, tag=""):
    """Tests: the owner's secret for measurement M (base64) with the session
    in SDIR: a packet for another measurement is refused, the right one
    lands decrypted at GPA (QEMU's xp reads it: the software firmware's
    memory is transparent, no DBG_DECRYPT needed). Files are PREFIX-*;
    TAG, if given, starts each description."""
    tag = tag + ": " if tag else ""
    secret = b"disk passphrase " + base64.b64encode(os.urandom(24))
    sfile = prefix + ".txt"
    with open(sfile, "wb") as f:
        f.write(secret)
    rc, out, good_pkt = secret_packet(owner, sdir, m, sfile, prefix + "-good",
                                      gpa)
    tap.ok(rc == 0, "%ssev-owner builds the secret packet for this "
           "measurement" % tag, out)
    other = bytearray(base64.b64decode(m or "AA=="))
    other[0] ^= 0x80
    _, _, bad_pkt = secret_packet(owner, sdir,
                                  base64.b64encode(bytes(other)).decode(),
                                  sfile, prefix + "-bad", gpa)
    good, out = qmp_try(q, "sev-inject-launch-secret", bad_pkt)
    tap.ok(not good, "%sQMP sev-inject-launch-secret refuses a packet for "
           "another measurement" % tag, out)
    tap.diag("QEMU: %s" % out)
    good, out = qmp_try(q, "sev-inject-launch-secret", good_pkt)
    tap.ok(good, "%sQMP sev-inject-launch-secret accepts the owner's packet"
           % tag, out)
    size = len(base64.b64decode(good_pkt["secret"] or ""))
    got, dump = guest_read(q, gpa, size)
    want = secret + bytes(max(size - len(secret), 0))
    tap.ok(size and got == want, "%sthe secret is in guest memory, "
           "decrypted, at GPA %#x" % (tag, gpa), dump)
