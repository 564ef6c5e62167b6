#!/usr/bin/env python3
"""Startup series for benches/compare.sh: spawn -> `initialize` answer, many fresh servers.

lspbench measures startup once per run (three runs per file in compare.sh), so one descheduled
spawn on this shared machine decides a median. Startup does not depend on the file (nothing is
open yet), so this script spawns each server N times, interleaved (ours, theirs, ours, ...) so
both see the same machine, and times spawn -> first byte of the answer to `initialize` with the
same client capabilities lspbench sends. It also times the process-spawn floor of this machine
in the same run: spawn -> first byte of `/bin/echo`.

Usage: startup.py N NAME=COMMAND...   (prints one JSON object: name -> sorted milliseconds)
"""
import json
import shlex
import subprocess
import sys
import time

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "processId": None,
        "rootUri": None,
        "capabilities": {
            "general": {"positionEncodings": ["utf-8", "utf-16"]},
            "textDocument": {"publishDiagnostics": {"versionSupport": True}},
        },
    },
}


def first_byte(cmd, message=None):
    """Milliseconds from spawning `cmd` to the first byte on its stdout."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        if message is not None:
            body = json.dumps(message).encode()
            p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            p.stdin.flush()
        got = p.stdout.read(1)
        elapsed = (time.perf_counter() - start) * 1000
        if not got:
            raise SystemExit(f"startup.py: {cmd[0]} wrote nothing")
        return elapsed
    finally:
        p.kill()
        p.wait()


def main():
    n = int(sys.argv[1])
    servers = [arg.split("=", 1) for arg in sys.argv[2:]]
    times = {name: [] for name, _ in servers}
    times["process spawn floor"] = []
    for _ in range(n):
        for name, cmd in servers:
            times[name].append(first_byte(shlex.split(cmd), INIT))
        times["process spawn floor"].append(first_byte(["/bin/echo", "x"]))
    print(json.dumps({k: sorted(v) for k, v in times.items()}))


if __name__ == "__main__":
    main()
