#!/usr/bin/env python3
"""Validates the Helix snippets: languages.toml and the ```toml blocks in README.md."""
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Keys Helix reads (helix-core/src/syntax config: LanguageServerConfiguration, LanguageConfiguration).
SERVER_KEYS = {"command", "args", "config", "timeout", "environment", "required-root-patterns"}
LANGUAGE_KEYS = {
    "name", "language-id", "scope", "file-types", "shebangs", "roots", "comment-token",
    "block-comment-tokens", "language-servers", "indent", "grammar", "formatter",
    "auto-format", "diagnostic-severity", "injection-regex", "auto-pairs", "rulers",
    "soft-wrap", "text-width", "workspace-lsp-roots", "persistent-diagnostic-sources", "debugger",
    "comment-tokens", "path-completion", "word-completion",
}
SERVER_ENTRY_KEYS = {"name", "only-features", "except-features"}
FEATURES = {
    "format", "goto-definition", "goto-declaration", "goto-type-definition", "goto-reference",
    "goto-implementation", "signature-help", "hover", "document-highlight", "completion",
    "code-action", "workspace-command", "document-symbols", "workspace-symbols", "diagnostics",
    "rename-symbol", "inlay-hints", "document-colors",
}
SETTINGS_KEYS = {"rules", "ignore", "trustedRegistries", "failureThreshold", "shellcheck"}
LEVELS = {"off", "on", "error", "warning", "info", "hint"}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def check_settings(where, config):
    check(isinstance(config, dict), f"{where}: config is a table")
    for key, value in config.items():
        check(key in SETTINGS_KEYS, f"{where}: unknown settings key {key!r}")
        if key in ("ignore", "trustedRegistries"):
            check(isinstance(value, list) and all(isinstance(v, str) for v in value), f"{where}: {key} is a list of strings")
        if key == "failureThreshold":
            check(value in LEVELS - {"off", "on"}, f"{where}: failureThreshold {value!r}")
        if key == "shellcheck":
            check(isinstance(value, bool), f"{where}: shellcheck is a boolean")
        if key == "rules":
            for code, setting in value.items():
                if isinstance(setting, str):
                    check(setting in LEVELS, f"{where}: rules.{code} = {setting!r}")
                else:
                    check(isinstance(setting, dict) and set(setting) <= {"level", "options", "enabled"}, f"{where}: rules.{code} shape")


def check_document(where, doc, full):
    servers = doc.get("language-server", {})
    for name, server in servers.items():
        check(set(server) <= SERVER_KEYS, f"{where}: language-server.{name} has unknown keys {set(server) - SERVER_KEYS}")
        if name == "dockerfile-lsp":
            if "command" in server or full:
                check(server.get("command") == "dockerfile-lsp", f"{where}: command")
                check(server.get("args") == ["serve"], f"{where}: args")
            if "config" in server:
                check_settings(f"{where}: language-server.dockerfile-lsp.config", server["config"])
    for lang in doc.get("language", []):
        check(set(lang) <= LANGUAGE_KEYS, f"{where}: language has unknown keys {set(lang) - LANGUAGE_KEYS}")
        check(lang.get("name") == "dockerfile", f"{where}: the language is Helix's `dockerfile`")
        entries = lang.get("language-servers", [])
        names = [e if isinstance(e, str) else e.get("name") for e in entries]
        check("dockerfile-lsp" in names, f"{where}: dockerfile-lsp in language-servers")
        check(len(names) == len(set(names)), f"{where}: no server listed twice")
        check(not names or names[0] == "dockerfile-lsp", f"{where}: dockerfile-lsp comes first")
        for entry in entries:
            if isinstance(entry, dict):
                check(set(entry) <= SERVER_ENTRY_KEYS, f"{where}: server entry keys {set(entry)}")
                check(not ("only-features" in entry and "except-features" in entry), f"{where}: only one of only-/except-features")
                for feature in entry.get("only-features", []) + entry.get("except-features", []):
                    check(feature in FEATURES, f"{where}: unknown feature {feature!r}")
    if full:
        check("dockerfile-lsp" in servers, f"{where}: defines language-server.dockerfile-lsp")
        check(len(doc.get("language", [])) == 1, f"{where}: one [[language]] entry")


def main():
    main_doc = tomllib.loads((HERE / "languages.toml").read_text())
    check_document("languages.toml", main_doc, full=True)
    blocks = re.findall(r"```toml\n(.*?)```", (HERE / "README.md").read_text(), re.S)
    check(len(blocks) >= 2, "README has the TOML examples")
    for i, block in enumerate(blocks):
        try:
            check_document(f"README block {i + 1}", tomllib.loads(block), full=False)
        except tomllib.TOMLDecodeError as err:
            failures.append(f"README block {i + 1}: {err}")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(f"ok: languages.toml and {len(blocks)} README blocks have the shape Helix reads")


if __name__ == "__main__":
    main()
