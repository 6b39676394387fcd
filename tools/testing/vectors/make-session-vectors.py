#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Known-answer data for the guest-owner side of the software SEV firmware's
# KUnit suites (drivers/crypto/ccp/sev-emu/sevfw-launch_test.c), built by an
# implementation that shares no code with the firmware: python3's hashlib
# and hmac for HMAC-SHA256 and the SP 800-108 KDF, and the 'cryptography'
# package (OpenSSL) for P-384 ECDH and AES-128-CTR, all written from the
# formulas of the facts sheet (§8.5 session, §8.7 measurement, §8.8 secret).
#
# usage: tools/testing/vectors/make-session-vectors.py \
#            > drivers/crypto/ccp/sev-emu/sevfw-session_testdata.h
#
# Deterministic except for the rogue AMD chain (fresh RSA keys and PSS salts
# on every run): every other key, nonce and IV is fixed below. The firmware
# under test installs PDH_D as its PDH private key (KUnit-only hook) and
# opens the sessions; the measurements and the secret packet are checked
# against the values computed here. The rogue chain is a self-consistent
# ARK -> ASK -> CEK chain (RSA-2048, RSASSA-PSS) that is not the pinned test
# ARK: only the pin can refuse it.

import hashlib
import hmac
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

P384_N = int("ffffffffffffffffffffffffffffffffffffffffffffffff"
             "c7634d81f4372ddf581a0db248b0a77aecec196accc52973", 16)


def scalar(seed):
    """A P-384 private scalar from a text seed (1 <= d < n)."""
    d = int.from_bytes(hashlib.sha384(seed.encode()).digest(), "big")
    return d % (P384_N - 1) + 1


def key(d):
    return ec.derive_private_key(d, ec.SECP384R1())


def xy(priv):
    n = priv.public_key().public_numbers()
    return n.x.to_bytes(48, "big"), n.y.to_bytes(48, "big")


def kdf(k_in, label, context, nbytes):
    out = b""
    i = 1
    while len(out) < nbytes:
        msg = (struct.pack("<I", i) + label + b"\x00" + context +
               struct.pack("<I", nbytes * 8))
        out += hmac.new(k_in, msg, hashlib.sha256).digest()
        i += 1
    return out[:nbytes]


def hm(k, m):
    return hmac.new(k, m, hashlib.sha256).digest()


def ctr(k, iv, data):
    enc = Cipher(algorithms.AES(k), modes.CTR(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def sev_cert_pdh(priv):
    """A 0x824-byte SEV certificate: usage PDH, ECDH_SHA256, unsigned."""
    x, y = xy(priv)
    body = struct.pack("<IBBHII", 1, 0, 0, 0, 0x1003, 0x003)
    pub = struct.pack("<I", 2) + x[::-1].ljust(72, b"\0") + \
        y[::-1].ljust(72, b"\0")
    body += pub.ljust(0x404, b"\0")
    empty = struct.pack("<II", 0x1000, 0) + bytes(0x200)
    cert = body + empty + empty
    assert len(cert) == 0x824
    return cert


def session(z, nonce, wrap_iv, tek, tik, policy):
    ms = kdf(z, b"sev-master-secret", nonce, 16)
    kek = kdf(ms, b"sev-kek", b"", 16)
    kik = kdf(ms, b"sev-kik", b"", 16)
    wrap_tk = ctr(kek, wrap_iv, tek + tik)
    blob = nonce + wrap_tk + wrap_iv + hm(kik, wrap_tk) + \
        hm(tik, struct.pack("<I", policy))
    assert len(blob) == 0x80
    return blob


def measure(tik, major, minor, build, policy, ld, mnonce):
    return hm(tik, bytes([0x04, major, minor, build]) +
              struct.pack("<I", policy) + ld + mnonce)


def pss_le(key, msg, nbytes):
    """RSASSA-PSS SHA-384 (MGF1 SHA-384, salt 48), little-endian."""
    sig = key.sign(msg, padding.PSS(mgf=padding.MGF1(hashes.SHA384()),
                                    salt_length=48), hashes.SHA384())
    return sig[::-1].ljust(nbytes, b"\0")


def amd_cert(key, usage, signer, signer_id, sha):
    """An AMD certificate (facts §8.3) for a 2048-bit key."""
    n = key.public_key().public_numbers()
    mod = n.n.to_bytes(256, "little")
    key_id = hashlib.sha256(mod).digest()[:16]
    body = struct.pack("<I", 1) + key_id + (signer_id or key_id) + \
        struct.pack("<I", usage) + bytes(16) + struct.pack("<II", 2048, 2048)
    body += n.e.to_bytes(256, "little") + mod
    hsh = hashes.SHA384() if sha == 384 else hashes.SHA256()
    sig = signer.sign(body, padding.PSS(mgf=padding.MGF1(hsh),
                                        salt_length=hsh.digest_size), hsh)
    return body + sig[::-1], key_id


def rogue_chain():
    ark = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ask = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ark_cert, ark_id = amd_cert(ark, 0x00, ark, None, 256)
    ask_cert, _ = amd_cert(ask, 0x13, ark, ark_id, 256)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "../../../drivers/crypto/ccp/sev-emu/"
                           "testroots/cek.cert"), "rb") as f:
        cek = bytearray(f.read())
    assert len(cek) == 0x824
    slot = struct.pack("<II", 0x13, 0x101) + pss_le(ask, bytes(cek[:0x414]),
                                                     0x200)
    cek[0x414:0x61c] = slot
    return ask_cert + ark_cert, bytes(cek)


HEADER = """\
/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generated by tools/testing/vectors/make-session-vectors.py (python3
 * hashlib/hmac and the 'cryptography' package); do not edit.
 *
 * PDH_D is installed as the firmware's PDH private key. Session A carries
 * TIK = the facts §8.11 measurement TIK with policy 0; session B a
 * policy of 0x%08x, the launch data, the measurement for API 0.24
 * build 15 and MNONCE B_MNONCE, and a LAUNCH_SECRET packet built on it.
 * t_rogue_*: a valid ASK/ARK (RSA-2048) and CEK chain whose ARK is not
 * the pinned one.
 */

"""


def c_array(name, data):
    lines = ["static const u8 %s[%d] __maybe_unused = {" %
             (name, len(data))]
    for i in range(0, len(data), 8):
        lines.append("\t" + " ".join("0x%02x," % b for b in data[i:i + 8]))
    lines.append("};")
    return "\n".join(lines)


def main():
    pdh = key(scalar("sevstack test pdh"))
    godh = key(scalar("sevstack test godh"))
    # Z: x-coordinate of the shared point, 48 bytes big-endian (OpenSSL)
    z = godh.exchange(ec.ECDH(), pdh.public_key())
    assert z == pdh.exchange(ec.ECDH(), godh.public_key())

    # facts §8.11: the measurement vector, recomputed as a self-check
    facts_tik = bytes.fromhex("66320db73158a35a255d051758e95ed4")
    facts_mnonce = bytes.fromhex("4fbe0bedbad6c86ae8f68971d103e554")
    m = measure(facts_tik, 0, 18, 0x0F, 0, hashlib.sha256(b"").digest(),
                facts_mnonce)
    assert m.hex() == ("6faab2daae389bcd3405a05d6cafe33c"
                       "0414f7bedd0bae19ba5f38b7fd1664ea")

    # session A: TIK of the facts vector, policy 0 (its TEK is arbitrary)
    a_nonce = bytes(range(0x10, 0x20))
    a_iv = bytes(range(0x20, 0x30))
    a_tek = bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    sess_a = session(z, a_nonce, a_iv, a_tek, facts_tik, 0)

    # session B: policy NOKS | API >= 0.24, launch data, secret packet
    b_policy = 0x18000002
    b_nonce = hashlib.sha256(b"sevstack nonce b").digest()[:16]
    b_iv = hashlib.sha256(b"sevstack wrap iv b").digest()[:16]
    b_tek = hashlib.sha256(b"sevstack tek b").digest()[:16]
    b_tik = hashlib.sha256(b"sevstack tik b").digest()[:16]
    sess_b = session(z, b_nonce, b_iv, b_tek, b_tik, b_policy)
    b_data = bytes((7 * i + 3) & 0xff for i in range(64))
    b_mnonce = bytes(range(0xa0, 0xb0))
    b_ld = hashlib.sha256(b_data).digest()
    b_measure = measure(b_tik, 0, 24, 15, b_policy, b_ld, b_mnonce)

    secret = b"sevstack launch secret: 0123456789abcdef0123456789abc"[:48]
    assert len(secret) % 16 == 0
    s_iv = bytes(range(0x40, 0x50))
    s_flags = 0
    s_ct = ctr(b_tek, s_iv, secret)
    s_mac = hm(b_tik, b"\x01" + struct.pack("<I", s_flags) + s_iv +
               struct.pack("<II", len(secret), len(s_ct)) + s_ct + b_measure)
    s_hdr = struct.pack("<I", s_flags) + s_iv + s_mac

    rogue = rogue_chain()

    out = sys.stdout
    out.write(HEADER % b_policy)
    out.write("#define SESS_B_POLICY\t0x%08x\n\n" % b_policy)
    arrays = [
        ("t_pdh_d", pdh.private_numbers().private_value.to_bytes(48, "big")),
        ("t_godh_cert", sev_cert_pdh(godh)),
        ("t_z", z),
        ("t_sess_a", sess_a),
        ("t_sess_a_tek", a_tek),
        ("t_sess_a_tik", facts_tik),
        ("t_sess_b", sess_b),
        ("t_sess_b_tek", b_tek),
        ("t_sess_b_tik", b_tik),
        ("t_b_data", b_data),
        ("t_b_mnonce", b_mnonce),
        ("t_b_ld", b_ld),
        ("t_b_measure", b_measure),
        ("t_secret", secret),
        ("t_secret_hdr", s_hdr),
        ("t_secret_ct", s_ct),
        ("t_rogue_ask_ark", rogue[0]),
        ("t_rogue_cek", rogue[1]),
    ]
    out.write("\n\n".join(c_array(n, d) for n, d in arrays))
    out.write("\n")


if __name__ == "__main__":
    main()
