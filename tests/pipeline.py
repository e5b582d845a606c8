"""Run ecrlint in-process exactly as `ecrlint check` does, for tests."""

from __future__ import annotations

import os

from ecrlint.catalog import load_catalog
from ecrlint.options import Options
from ecrlint.pipeline import Settings, run

_CATALOG = None


def catalog():
    global _CATALOG
    if _CATALOG is None:
        _CATALOG = load_catalog()
    return _CATALOG


def run_pipeline(path: str, cwd: str | None = None, options: Options | None = None, **settings):
    """(findings, undecided, model) for `path`, with paths shown relative to `cwd`."""
    cwd = cwd or os.path.dirname(os.path.abspath(path))
    settings.setdefault("select", ["ALL"])  # fixtures exercise every rule, the opt-in ones too
    result = run(Settings(paths=[path], options=options or Options(), cwd=cwd, **settings), catalog())
    return result.findings, result.undecided, result.model
