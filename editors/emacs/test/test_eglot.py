#!/usr/bin/env python3
"""Emacs (batch) + Eglot + the shipped snippet: our diagnostics reach Flymake.

usage: test_eglot.py SERVER
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EMACS_DIR = HERE.parent
FIXTURE = EMACS_DIR.parent / "fixtures" / "seedlike.Dockerfile"


def main():
    server = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = dict(os.environ, DFLSP_SERVER=str(Path(server).resolve()), DFLSP_FILE=str(FIXTURE),
                   DFLSP_OUT=str(out), DFLSP_EMACS_DIR=str(EMACS_DIR), HOME=tmp)
        proc = subprocess.run(["emacs", "--batch", "-Q", "-l", str(HERE / "eglot-test.el")],
                              env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        if not out.exists():
            sys.exit(f"emacs wrote no result (exit {proc.returncode})\n{proc.stdout}\n{proc.stderr}")
        result = json.loads(out.read_text())
    print(json.dumps(result, indent=1)[:3000])
    problems = []
    if "error" in result:
        problems.append(f"error: {result['error']}")
    if result.get("major_mode") != "dockerfile-mode":
        problems.append(f"major mode {result.get('major_mode')}")
    if not result.get("managed"):
        problems.append("eglot manages the buffer")
    if not result.get("got_publish"):
        problems.append("publishDiagnostics received")
    raw = result.get("lsp_diagnostics") or []
    if not any(d.get("code") == "DFL001" and d.get("line") == 7 for d in raw):
        problems.append("DFL001 on line 8 (RUNN)")
    if any(d.get("source") != "dockerfile-lsp" for d in raw):
        problems.append("every diagnostic has source dockerfile-lsp")
    if not any(d.get("line") == 8 for d in result.get("flymake_diagnostics") or []):
        problems.append("Flymake shows a diagnostic on line 8")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("ok: emacs + eglot")


if __name__ == "__main__":
    main()
