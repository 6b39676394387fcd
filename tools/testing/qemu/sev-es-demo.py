#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The SEV-ES demo's part inside the VM (scripts/demo-es.sh): a host and a
guest owner launch OVMF as an SEV-ES guest with real QEMU on the project's
stack, with the owner's verification of sev-demo.py (the certificate chain,
a launch session, the measurement with the session's TIK, a secret), and
the owner checks the launch from nothing but the OVMF file, the policy,
the vCPU count and the CPU signature.

usage: sev-es-demo.py --tools DIR --out DIR --first-step N --steps N
                      [--ovmf FILE]

Meant for the VM with the firmware's ES ASIDs (tools/testing/vm/run.sh
--smp 2 --param sev_emu.min_sev_asid=4). Prints "[n/N] step ... ok (Ts)"
and a few indented lines per step, as sev-demo.py does; on a failure it
prints what went wrong and "demo: FAILED at step n (name)", and exits 1.
Files (certificates, session, the owner's VMSAs, the host's VMSAs, the
secret packet, QMP answers, QEMU's log) are left in --out.

The VMSA model, the QEMU arguments and the debugfs helpers come from
qemu-sev-es-test.py, the chain, session and secret steps from sev-demo.py,
the QEMU and QMP helpers from sevqemu.py.
"""

import base64
import hashlib
import importlib.util
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from sevqemu import FWDBG, TRACE, fw_guest, qmp_try, read, run, \
    write  # noqa: E402


def _load(name, fname):
    """Import a neighbour whose file name is not a module name."""
    spec = importlib.util.spec_from_file_location(name,
                                                  os.path.join(HERE, fname))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


es = _load("qemu_sev_es_test", "qemu-sev-es-test.py")
plain = _load("sev_demo", "sev-demo.py")
check = plain.check

OVMF = "/usr/share/OVMF/OVMF_CODE.fd"
POLICY = es.POLICY              # 0x5: NODBG | ES
VCPUS = 2
CPU_SIG = es.CPU_SIG            # QEMU's -cpu EPYC: family 23, model 1, step 2


def kvm_exits():
    """Start recording kvm_userspace_exit (why KVM_RUN returned)."""
    os.makedirs(TRACE, exist_ok=True)
    if not os.path.exists(TRACE + "/trace"):
        run("mount", "-t", "tracefs", "none", TRACE)
    write(TRACE + "/trace", "")
    write(TRACE + "/events/kvm/kvm_userspace_exit/enable", "1")


def kvm_exits_stop():
    write(TRACE + "/events/kvm/kvm_userspace_exit/enable", "0")
    return [re.sub(r"^.*?(kvm_userspace_exit: )", r"\1", l)
            for l in read(TRACE + "/trace").splitlines()
            if "kvm_userspace_exit" in l and not l.startswith("#")]


def demo(st, opt, procs, w):
    ovmf, out = opt.ovmf, opt.out
    host = os.path.join(opt.tools, "sev-host")
    owner = os.path.join(opt.tools, "sev-owner")
    sdir = os.path.join(out, "session")

    st.begin("host: SEV-ES support in kvm_amd and the software firmware")
    check(read("/sys/module/kvm_amd/parameters/sev_es").startswith("Y"),
          "kvm_amd: sev_es is not Y; platform:\n"
          + read(es.SEVDBG + "/platform"))
    plat = read(es.SEVDBG + "/platform")
    m = re.search(r"es_asids: (\d+) - (\d+)", plat)
    check(m and int(m.group(1)) >= 1 and int(m.group(2)) >= 1,
          "no ES ASIDs in %s/platform:\n%s" % (es.SEVDBG, plat))
    logs = [l for l in es.klog() if re.search(r"kvm_amd: SEV", l)]
    st.done(*(["dmesg: " + re.sub(r"^\[[^]]*\]\s*", "", l)
               for l in logs[-3:]] +
              ["kvm_amd_sev/platform: " + l.strip()
               for l in plat.splitlines() if "asids" in l] +
              ["(sev_emu.min_sev_asid=4: ASIDs below 4 are the ES ones)"]))

    pdh = plain.chain_steps(st, host, owner, out)
    plain.session_step(st, owner, pdh, POLICY, sdir)

    st.begin("owner: the expected VMSAs from the OVMF file alone")
    with open(ovmf, "rb") as f:
        img = f.read()
    files = []
    for i in range(VCPUS):
        path = os.path.join(out, "owner-vmsa%d.bin" % i)
        rc, txt = run(owner, "vmsa", "--cpu-signature", CPU_SIG,
                      "--vcpu", str(i), "--ovmf", ovmf, "-o", path)
        check(rc == 0, "sev-owner vmsa --vcpu %d: %s" % (i, txt))
        files.append(path)
    pages = [open(f, "rb").read() for f in files]
    reset = es.ovmf_reset_addr(img)
    ld = hashlib.sha256(img + b"".join(pages)).hexdigest()
    rips = []
    for i, page in enumerate(pages):
        d = es.vmsa_decode(page)
        cs = re.search(r"base (0x[0-9a-f]+)", d["cs"]).group(1)
        rips.append("vCPU %d (%s): CS.base %s RIP %s RDX %s" % (
            i, "BSP" if i == 0 else "AP", cs, d["rip"], d["rdx"]))
    # the test's independent model of the same pages (facts §2.3)
    sig = es.EPYC_SIGNATURE
    models = [es.vmsa_model(sig, 0xffff0000, 0xfff0)]
    if reset is not None:
        models += [es.vmsa_model(sig, reset & 0xffff0000, reset & 0xffff)]
    check(pages == models[:VCPUS], "the owner's VMSAs differ from the "
          "model of qemu-sev-es-test.py:\n" + "\n".join(
              es.vmsa_diff(p, mdl) for p, mdl in zip(pages, models)))
    st.done("sev-owner vmsa --cpu-signature %s (-cpu EPYC) --vcpu 0|1 "
            "--ovmf %s" % (CPU_SIG, os.path.basename(ovmf)),
            "OVMF's SEV-ES reset block: AP reset address %s"
            % (hex(reset) if reset is not None else "?"),
            *rips,
            "same bytes as qemu-sev-es-test.py's model; expected launch "
            "digest SHA-256(OVMF || VMSA0 || VMSA1) = %s..." % ld[:32])

    st.begin("host: QEMU 7.2 launches OVMF as an SEV-ES guest (paused, "
             "%d vCPUs)" % VCPUS)
    caps, q, p = plain.start_guest(w, procs, lambda cbitpos, rpb:
                                   es.guest_args(w, ovmf, cbitpos, rpb, VCPUS,
                                                 sdir))
    qlog = os.path.join(w, "guest.log")
    good, sev = qmp_try(q, "query-sev")
    check(good and sev.get("enabled") is True and
          sev.get("policy") == POLICY and sev.get("state") == "launch-secret",
          "query-sev: %s" % sev)
    plain.save(out, "query-sev.json", json.dumps(sev))
    handle = sev["handle"]
    row = fw_guest(handle)
    check(row is not None and "LSECRET" in row and row[-1] == "1",
          "firmware guests: " + read(FWDBG + "/guests"))
    st.done("qemu-system-x86_64 -accel kvm -S -cpu EPYC -smp %d -machine "
            "q35,confidential-guest-support=sev0,kernel-irqchip=on" % VCPUS,
            "  -object sev-guest,id=sev0,policy=%#x,cbitpos=%d,"
            "reduced-phys-bits=%d,dh-cert-file=...,session-file=..."
            % (POLICY, caps["cbitpos"], max(caps["reduced-phys-bits"], 1)),
            "  -drive if=pflash,...,file=%s" % ovmf,
            "QMP query-sev: enabled, policy %#x, state %s, handle %d, "
            "API %d.%d build %d" % (sev["policy"], sev["state"], handle,
                                     sev["api-major"], sev["api-minor"],
                                     sev["build-id"]),
            "firmware: handle %d in LSECRET, ES guest (sev-emu/guests: %s)"
            % (handle, " ".join(row)))

    st.begin("owner: verify the launch measurement QEMU reports")
    m = plain.launch_measure(q, out)
    version = ["--policy", hex(POLICY), "--api-major", str(sev["api-major"]),
               "--api-minor", str(sev["api-minor"]),
               "--build", str(sev["build-id"]), "--tik", sdir + "/tik.bin"]

    def verify(*args):
        return run(owner, "verify-measurement", "--measurement", m,
                   "--firmware", ovmf, *args, *version)

    rc, txt = verify("--vcpus", str(VCPUS), "--cpu-signature", CPU_SIG)
    check(rc == 0, "sev-owner verify-measurement --vcpus: " + txt)
    vmsa_args = [a for f in files for a in ("--vmsa", f)]
    rc, txt2 = verify(*vmsa_args)
    check(rc == 0, "sev-owner verify-measurement --vmsa ...: " + txt2)
    for args, what in (((str(VCPUS - 1), CPU_SIG), "--vcpus %d" % (VCPUS - 1)),
                       ((str(VCPUS), es.WRONG_SIG),
                        "--cpu-signature %s" % es.WRONG_SIG)):
        rc, txt3 = verify("--vcpus", args[0], "--cpu-signature", args[1])
        check(rc == 1, "sev-owner accepted the measurement with %s "
              "(exit %d): %s" % (what, rc, txt3))
    raw = base64.b64decode(m)

    def said(text):
        match = [l.strip() for l in text.splitlines() if "match" in l]
        return match[0] if match else "ok"

    st.done("QMP query-sev-launch-measure: %s..." % raw[:16].hex(),
            "sev-owner verify-measurement --firmware %s --policy %#x "
            "--vcpus %d --cpu-signature %s --tik tik.bin: %s"
            % (os.path.basename(ovmf), POLICY, VCPUS, CPU_SIG, said(txt)),
            "  HMAC(TIK; 0x04 || API || BUILD || POLICY || "
            "SHA-256(OVMF || VMSA0 || VMSA1) || MNONCE), the VMSAs built "
            "from the OVMF file",
            "the same with --vmsa owner-vmsa0.bin --vmsa owner-vmsa1.bin: %s"
            % said(txt2),
            "... and it refuses --vcpus %d and --cpu-signature %s (EPYC-Rome) "
            "(exit 1)" % (VCPUS - 1, es.WRONG_SIG))

    plain.secret_step(st, q, owner, sdir, m, out, w)

    st.begin("host: the VMSAs KVM encrypted equal the owner's byte for byte")
    sevdir = es.vm_debugfs(p.pid)
    check(sevdir is not None, "no sev directory for QEMU (pid %d) in %s"
          % (p.pid, es.KVMDBG))
    lines = []
    for i in range(VCPUS):
        src = os.path.join(sevdir, "vmsa/%d" % i)
        dst = os.path.join(out, "host-vmsa%d.bin" % i)
        with open(src, "rb") as f, open(dst, "wb") as g:
            g.write(f.read())
        rc, txt = run("cmp", dst, files[i])
        check(rc == 0, "cmp %s %s: %s\n%s" % (dst, files[i], txt,
              es.vmsa_diff(read_bytes(dst), read_bytes(files[i]))))
        lines.append("cmp %s/vmsa/%d owner-vmsa%d.bin: identical (SHA-256 "
                     "%s...)" % (sevdir.replace(es.KVMDBG + "/", "kvm/"), i,
                                 i, hashlib.sha256(read_bytes(dst))
                                 .hexdigest()[:16]))
    check(not os.path.exists(os.path.join(sevdir, "vmsa/%d" % VCPUS)),
          "debugfs has more than %d VMSAs" % VCPUS)
    vc = read(os.path.join(sevdir, "vcpus"))
    prot = re.findall(r"vmsa set .*protected 1", vc)
    check(len(prot) == VCPUS, "sev/vcpus:\n" + vc)
    st.done(*lines, "sev/vcpus: %d vCPUs with a protected VMSA (LAUNCH_"
            "UPDATE_VMSA done)" % len(prot))

    st.begin("host: cont, and what this CPU does with an ES vCPU")
    before = es.klog()
    kvm_exits()
    good, txt = qmp_try(q, "cont")
    check(good, "cont: %s" % txt)
    deadline = time.monotonic() + 60
    while p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    ended = p.poll() is not None
    exits = kvm_exits_stop()
    if not ended:
        p.kill()
        p.wait()
    text = read(qlog)
    plain.save(out, "qemu.log", text)
    check(ended, "QEMU still runs 60 s after cont (a hung vCPU):\n" + text)
    check("cpus are not resettable" in text,
          "QEMU ended without \"cpus are not resettable\" (exit %s):\n%s"
          % (p.returncode, text))
    new = es.klog()[len(before):]
    norun = [l for l in new if es.NORUN in l]
    check(len(norun) == 1, "kernel lines after cont:\n" + "\n".join(new))
    bad = [l for l in new if es.KLOG_BAD.search(l)]
    check(not bad, "kernel reports:\n" + "\n".join(bad))
    shut = [e for e in exits if "SHUTDOWN" in e]
    qline = [l.strip() for l in text.splitlines()
             if "resettable" in l or "shutdown" in l.lower()]
    st.done("KVM_RUN: %s" % (shut[0] if shut else
                             "KVM_EXIT_SHUTDOWN (trace event not seen)"),
            "kernel (once): " + re.sub(r"^\[[^]]*\]\s*", "", norun[0]),
            "QEMU 7.2: \"%s\", exit status %d"
            % ((qline or ["cpus are not resettable"])[-1], p.returncode),
            "The TCG limit: the software firmware launches, measures and "
            "encrypts an SEV-ES guest,",
            "but QEMU's TCG CPU cannot run one: the vCPU never enters, "
            "KVM_RUN returns KVM_EXIT_SHUTDOWN,",
            "QEMU terminates; no host WARN, no hung vCPU. On an EPYC host "
            "with SEV-ES, OVMF boots here.")

    st.begin("host: teardown; nothing is left behind")
    plain.check_nothing_left(handle)
    check(es.asids_in_use() == 0, "KVM ASIDs: " + read(es.SEVDBG + "/asids"))
    st.done("firmware: no guest handle, no ASID in use; KVM: no SEV VM, "
            "no ES or SEV ASID in use")


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


if __name__ == "__main__":
    sys.exit(plain.demo_main(demo, 11, OVMF))
