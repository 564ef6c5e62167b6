#!/usr/bin/env python3
"""Completion right after a keystroke (what editors do while typing), which lspbench does not
time: open FILE, then 60 times type/delete one character in a RUN and request completion at once.
Usage: benches/type_then_complete.py "SERVER COMMAND" FILE   (needs ../shared/tools/lspbench.py)
"""
import sys, time, types, statistics
import os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'tools'))
import lspbench as lb
server, path = sys.argv[1], sys.argv[2]
text = open(path).read()
args = types.SimpleNamespace(settings=None, server=server, cwd=None, shell=False, trace=None, minimal_client=False, init_options='{"shellcheck": false}', startup_timeout=10)
c = lb.start_server(args)
lb.initialize(c, lb.path_to_uri(os.path.dirname(os.path.abspath(path))), args)
uri = lb.path_to_uri(path)
seq = c.diag_seq()
c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
c.wait_diagnostics(uri, seq, 1, 20)
line, pos, _ = lb.find_edit_site(text)
v = 1; ts = []
for i in range(60):
    v += 1
    if i % 2 == 0: rng = {"start": pos, "end": pos}; new = "x"
    else: rng = {"start": pos, "end": {"line": pos["line"], "character": pos["character"] + 1}}; new = ""
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": v}, "contentChanges": [{"range": rng, "text": new}]})
    t0 = time.perf_counter()
    c.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": pos}, 10)
    ts.append((time.perf_counter() - t0) * 1e3)
    time.sleep(0.03)
ts.sort()
print("completion right after a keystroke: p50 %.2f ms p95 %.2f ms" % (statistics.median(ts), ts[int(len(ts)*0.95)]))
c.shutdown()
