#!/usr/bin/env python3
"""A minimal QMP client for the e2e tests.

    qmp.py SOCKET COMMAND [JSON-ARGUMENTS]      one command, prints its "return"
    qmp.py SOCKET pmemsave START SIZE FILE      dump guest-physical memory

START and SIZE take 0x prefixes. Exit 1 if QEMU answers with an error.
"""
import json
import socket
import sys
import time


class QMP:
    def __init__(self, path, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.buf = b""
        # the greeting; an event (e.g. STOP from a gdb attach) may come first
        while "QMP" not in self.recv():
            pass
        self.cmd("qmp_capabilities")

    def recv(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self.recv()
            # only an answer ends the wait: events (and anything else) are skipped
            if "return" not in reply and "error" not in reply:
                continue
            if "error" in reply:
                raise RuntimeError("%s: %s" % (name, reply["error"].get("desc", reply["error"])))
            return reply.get("return")


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    q = QMP(argv[1])
    try:
        if argv[2] == "pmemsave":
            start, size, path = int(argv[3], 0), int(argv[4], 0), argv[5]
            q.cmd("pmemsave", val=start, size=size, filename=path)
        elif argv[2] == "quit":
            try:
                q.cmd("quit")
            except (EOFError, OSError):
                pass
        else:
            args = json.loads(argv[3]) if len(argv) > 3 else {}
            print(json.dumps(q.cmd(argv[2], **args)))
    except RuntimeError as e:
        sys.stderr.write("qmp: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
