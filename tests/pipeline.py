"""Run ecrlint's pipeline in-process, exactly as `ecrlint check` does, for tests."""

from __future__ import annotations

import os

from ecrlint.catalog import load_catalog
from ecrlint.checks import Options
from ecrlint.discover import discover_files, display_path
from ecrlint.engine import build_model, evaluate


def run_pipeline(path: str, cwd: str | None = None, options: Options | None = None, rules=None):
    """(findings, undecided, model) for `path`, with paths shown relative to `cwd`."""
    cwd = cwd or os.path.dirname(os.path.abspath(path))
    options = options or Options()
    discovery = discover_files([path], cwd=cwd)
    model, _ = build_model(discovery, options, [], lambda p: display_path(p, cwd))
    findings, undecided = evaluate(rules if rules is not None else load_catalog(), model, options)
    return findings, undecided, model
