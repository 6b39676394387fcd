#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A minimal QMP client for the QEMU SEV tests and the demo.

usage: qmp.py SOCKET COMMAND [ARGUMENTS-JSON]
       qmp.py SOCKET hmp 'HUMAN MONITOR COMMAND'
       qmp.py SOCKET wait-event EVENT [SECONDS]

Connects to QEMU's QMP socket, negotiates capabilities, runs one command
and prints its "return" value as JSON (HMP output as text). Exit status:
0 success, 1 QEMU answered with an error (printed to stderr as
"CLASS: description"), 2 usage or connection error.
"""

import json
import socket
import sys
import time


class QMPError(Exception):
    """QEMU answered a command with an error object."""


class QMP:
    """One QMP session over a UNIX socket."""

    def __init__(self, path, timeout=60.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.rfile = self.sock.makefile("r", encoding="utf-8")
        self.events = []
        greeting = self._read()
        if "QMP" not in greeting:
            raise QMPError("no QMP greeting: %r" % greeting)
        self.command("qmp_capabilities")

    def _read(self):
        line = self.rfile.readline()
        if not line:
            raise ConnectionError("QEMU closed the QMP connection")
        return json.loads(line)

    def command(self, name, arguments=None):
        """Run NAME and return its result; raise QMPError on an error."""
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall((json.dumps(msg) + "\n").encode())
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
                continue
            if "error" in reply:
                err = reply["error"]
                raise QMPError("%s: %s" % (err.get("class"), err.get("desc")))
            return reply.get("return")

    def hmp(self, line):
        """Run a human monitor command and return its text output."""
        return self.command("human-monitor-command",
                            {"command-line": line})

    def wait_event(self, name, timeout):
        """Wait up to TIMEOUT seconds for event NAME; return it or None."""
        deadline = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if ev["event"] == name:
                    return ev
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                reply = self._read()
            except (socket.timeout, ConnectionError):
                return None
            if "event" in reply:
                self.events.append(reply)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    try:
        qmp = QMP(argv[1])
        if argv[2] == "hmp":
            sys.stdout.write(qmp.hmp(" ".join(argv[3:])))
            return 0
        if argv[2] == "wait-event":
            secs = float(argv[4]) if len(argv) > 4 else 30.0
            ev = qmp.wait_event(argv[3], secs)
            if ev is None:
                sys.stderr.write("qmp: no %s event in %gs\n" % (argv[3], secs))
                return 1
            print(json.dumps(ev))
            return 0
        args = json.loads(argv[3]) if len(argv) > 3 else None
        print(json.dumps(qmp.command(argv[2], args)))
        return 0
    except QMPError as err:
        sys.stderr.write("qmp: %s: %s\n" % (argv[2], err))
        return 1
    except (OSError, ValueError, ConnectionError) as err:
        sys.stderr.write("qmp: %s\n" % err)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
