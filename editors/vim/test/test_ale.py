#!/usr/bin/env python3
"""Vim + ALE + the shipped linter definition, in a tmux pane: our diagnostics reach ALE.

usage: test_ale.py SERVER
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VIM_DIR = HERE.parent
FIXTURE = VIM_DIR.parent / "fixtures" / "seedlike.Dockerfile"
ALE_DIR = os.environ.get("ALE_DIR", "/usr/share/vim-ale")


def main():
    server = str(Path(sys.argv[1]).resolve())
    session = f"dflsp-ale-{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = {"DFLSP_ALE_DIR": ALE_DIR, "DFLSP_VIM_DIR": str(VIM_DIR), "DFLSP_SERVER": server,
               "DFLSP_OUT": str(out), "HOME": tmp}
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        cmd = f"env {exports} vim -N -u {shlex.quote(str(HERE / 'ale-test.vim'))} -i NONE {shlex.quote(str(FIXTURE))}"
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", cmd], check=True)
        try:
            deadline = time.time() + 60
            while not out.exists() and time.time() < deadline:
                time.sleep(0.2)
            if not out.exists():
                screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
                sys.exit(f"vim wrote no result within 60 s; screen:\n{screen}")
            time.sleep(0.2)
            result = json.loads(out.read_text())
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    print(json.dumps(result, indent=1)[:3000])
    problems = []
    if "error" in result:
        problems.append(f"error: {result['error']}")
    if result.get("filetype") != "dockerfile":
        problems.append(f"filetype {result.get('filetype')!r}")
    if result.get("linters") != ["dockerfile_lsp"]:
        problems.append(f"ALE loaded our linter, got {result.get('linters')}")
    items = result.get("items") or []
    if not any(i.get("code") == "DFL001" and i.get("lnum") == 8 for i in items):
        problems.append("DFL001 on line 8 (RUNN) in ALE's loclist")
    if any(i.get("linter") != "dockerfile_lsp" for i in items):
        problems.append("every item comes from dockerfile_lsp")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("ok: vim + ALE")


if __name__ == "__main__":
    main()
