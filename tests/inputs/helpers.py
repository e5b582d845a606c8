"""Helpers for the structured-input tests: write files, run the structured adapter on them."""

from __future__ import annotations

import os

from ecrlint.model.adapters import AdapterContext, AdapterResult
from ecrlint.model.adapters.structured import build
from ecrlint.options import Options
from ecrlint.source import SourceFile


def kind_of(name: str) -> str | None:
    if name.endswith((".tf.json", ".tfvars.json")):
        return None
    if name.endswith(".json"):
        return "json"
    if name.endswith((".yaml", ".yml", ".template")):
        return "yaml"
    return None


def source_files(root: str) -> list[SourceFile]:
    out = []
    for directory, _, names in os.walk(root):
        for name in sorted(names):
            kind = kind_of(name)
            if kind is None:
                continue
            path = os.path.join(directory, name)
            out.append(SourceFile(os.path.relpath(path, root).replace(os.sep, "/"), path, kind, root))
    return sorted(out, key=lambda f: f.path)


def write(root, files: dict[str, str]) -> str:
    root = str(root)
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return root


def run(root, files: dict[str, str] | None = None, account_id: str | None = None) -> AdapterResult:
    root = write(root, files or {})
    ctx = AdapterContext(options=Options(account_id=account_id), roots=[os.path.realpath(root)])
    return build(source_files(root), ctx)


def by_address(result: AdapterResult, cls=None) -> dict:
    return {o.address: o for o in result.objects if cls is None or isinstance(o, cls)}


def span_text(text: str, span) -> str:
    """The source text a span covers (1-based lines, end column one past the last character)."""
    lines = text.split("\n")
    if span.start_line == span.end_line:
        return lines[span.start_line - 1][span.start_col - 1 : span.end_col - 1]
    parts = [lines[span.start_line - 1][span.start_col - 1 :]]
    parts.extend(lines[span.start_line : span.end_line - 1])
    parts.append(lines[span.end_line - 1][: span.end_col - 1])
    return "\n".join(parts)
