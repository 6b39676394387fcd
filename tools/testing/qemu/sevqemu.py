# SPDX-License-Identifier: GPL-2.0-only
"""Helpers shared by the QEMU SEV test and the demo: processes, debugfs,
QEMU with a QMP socket, and the kvm trace events."""

import os
import re
import subprocess
import time

from qmp import QMP, QMPError

FWDBG = "/sys/kernel/debug/sev-emu"
TRACE = "/sys/kernel/tracing"
VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


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
