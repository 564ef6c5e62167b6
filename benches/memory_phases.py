#!/usr/bin/env python3
"""Where the server's memory goes: VmRSS and VmHWM (peak) of the server after each phase of an
lspbench-like session (start, initialize, didOpen → diagnostics, 200 edits, completion, hover,
documentSymbol). lspbench reports only the session's peak; this says which phase sets it.
Usage: benches/memory_phases.py "SERVER COMMAND" FILE [LAST_PHASE]   (needs ../shared/tools/lspbench.py)
LAST_PHASE (open, edits, completion, hover) ends the session early, e.g. to take a heap profile
(heaptrack) of one phase's peak.
"""
import os, sys, time, types
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'tools'))
import lspbench as lb

server, path = sys.argv[1], sys.argv[2]
last = sys.argv[3] if len(sys.argv) > 3 else None
text = open(path).read()
args = types.SimpleNamespace(settings=None, server=server, cwd=None, shell=False, trace=None,
                             minimal_client=False, init_options=None, startup_timeout=10)
c = lb.start_server(args)
pid = c.pid

def status(key):
    with open(f"/proc/{pid}/status") as f:
        for l in f:
            if l.startswith(key + ":"):
                return int(l.split()[1]) / 1024
    return float("nan")

def report(phase, name=None):
    time.sleep(0.05)
    print(f"{phase:<28} RSS {status('VmRSS'):7.1f} MB   peak {status('VmHWM'):7.1f} MB")
    if name is not None and name == last:
        c.shutdown()
        sys.exit(0)

report("started")
lb.initialize(c, lb.path_to_uri(os.path.dirname(os.path.abspath(path))), args)
report("initialized")
uri = lb.path_to_uri(path)
seq = c.diag_seq()
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
c.wait_diagnostics(uri, seq, 1, 20)
report("opened (diagnostics)", "open")
line, pos, _ = lb.find_edit_site(text)
v = 1
for i in range(200):
    v += 1
    if i % 2 == 0:
        rng, new = {"start": pos, "end": pos}, "x"
    else:
        rng, new = {"start": pos, "end": {"line": pos["line"], "character": pos["character"] + 1}}, ""
    seq = c.diag_seq()
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": rng, "text": new}]})
    c.wait_diagnostics(uri, seq, v, 20)
report("200 edits", "edits")
for _ in range(20):
    c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": pos}, 10)
report("completion x20", "completion")
from_line = next(i for i, l in enumerate(text.splitlines()) if l.upper().startswith("FROM "))
for _ in range(20):
    c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": from_line, "character": 6}}, 10)
report("hover x20", "hover")
for _ in range(20):
    c.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}}, 10)
report("documentSymbol x20")
c.shutdown()
