#!/usr/bin/env python3
"""Runs headless.lua in real Neovim builds and asserts on what they saw.

usage: test_neovim.py SERVER NVIM MODE   (MODE: config | legacy)
Env: EDITOR_TESTS_FULL=1 also asserts completion after `COPY --from=` and hover on FROM.
The corpus file comes from ../shared/corpus next to the repository; without it only the
fixture is used (a note is printed).
"""
import json
import re
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEOVIM_DIR = HERE.parent
EDITORS = NEOVIM_DIR.parent
REPO = EDITORS.parent
FULL = os.environ.get("EDITOR_TESTS_FULL") == "1"


def corpus_file():
    shared = Path(os.environ.get("SHARED_DIR", REPO.parent / "shared"))
    files = shared / "corpus" / "files"
    if not files.is_dir():
        print(f"note: {files} missing, testing the fixture only")
        return None
    for f in sorted(files.iterdir()):
        # A Linux multi-stage-free file with long continuation lines (RUN ... \).
        if "alpine" in f.name and "windows" not in f.name:
            return f
    return sorted(files.iterdir())[0]


def main():
    server, nvim, mode = sys.argv[1:4]
    fixture = EDITORS / "fixtures" / "seedlike.Dockerfile"
    files = [fixture]
    corpus = corpus_file()
    if corpus:
        files.append(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = dict(
            os.environ,
            DFLSP_SERVER=server,
            DFLSP_MODE=mode,
            DFLSP_NEOVIM_DIR=str(NEOVIM_DIR),
            DFLSP_FILES="\n".join(str(f) for f in files),
            DFLSP_OUT=str(out),
            XDG_CONFIG_HOME=str(Path(tmp) / "config"),
            XDG_DATA_HOME=str(Path(tmp) / "data"),
            XDG_STATE_HOME=str(Path(tmp) / "state"),
        )
        proc = subprocess.run(
            [nvim, "--headless", "-n", "-i", "NONE", "--noplugin", "-u", str(HERE / "headless.lua")],
            env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        )
        if not out.exists():
            sys.exit(f"nvim wrote no result (exit {proc.returncode})\nstdout:{proc.stdout}\nstderr:{proc.stderr}")
        result = json.loads(out.read_text())
    print(json.dumps(result, indent=1)[:4000])
    problems = []

    def check(cond, what):
        if not cond:
            problems.append(what)

    check("error" not in result, f"script error: {result.get('error')}")
    check(len(result.get("files", [])) == len(files), "every file was opened")
    # Shape warnings only: whether a rule id exists depends on the server's rule set.
    for message in result.get("messages") or []:
        check(not re.search(r"must be|unknown setting", message), f"the shipped settings have the right shape: {message!r}")
    for i, entry in enumerate(result.get("files", [])):
        name = Path(entry["path"]).name
        check(entry.get("attached"), f"{name}: client attached")
        check(entry.get("client_name") == "dockerfile_lsp", f"{name}: client is dockerfile_lsp")
        if mode == "config":
            check(entry.get("offset_encoding") == "utf-8", f"{name}: Neovim 0.11 offers UTF-8, got {entry.get('offset_encoding')}")
        if i == 0:
            check(entry.get("got_publish"), f"{name}: publishDiagnostics received")
        for d in entry.get("diagnostics", []) + entry.get("diagnostics_after_edit", []):
            check(d.get("source") == "dockerfile-lsp", f"{name}: diagnostic source {d.get('source')!r}")
        if i == 0:
            check(
                any(d.get("code") == "DFL001" and d.get("lnum") == 7 for d in entry.get("diagnostics", [])),
                f"{name}: DFL001 on line 8 (RUNN)",
            )
            check(entry.get("completion_error") is None, f"{name}: completion error {entry.get('completion_error')}")
            check(entry.get("hover_error") is None, f"{name}: hover error {entry.get('hover_error')}")
            if not FULL:
                for feature in ("completion", "hover"):
                    if not entry.get(f"{feature}_advertised"):
                        print(f"note: server does not advertise {feature}; not requested")
            if FULL:
                check(entry.get("completion_advertised"), f"{name}: server advertises completion")
                check(entry.get("hover_advertised"), f"{name}: server advertises hover")
                check("build" in entry.get("completion_labels", []), f"{name}: stage 'build' offered after COPY --from=, got {entry.get('completion_labels')}")
                check("nginx" in str(entry.get("hover") or "").lower(), f"{name}: hover on nginx image, got {entry.get('hover')!r}")
        check(entry.get("got_edit_diagnostic"), f"{name}: DFL001 on the appended line after didChange")
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"ok: neovim {result.get('nvim')} ({mode}), {len(files)} file(s)")


if __name__ == "__main__":
    main()
