"""The cache and parallel runs change how fast ecrlint is, never what it says."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")


def _run(tmp_path, *args, env=None):
    out = tmp_path / f"out-{len(os.listdir(tmp_path))}.json"
    proc = subprocess.run(
        [sys.executable, "-m", "ecrlint", "check", EXAMPLES, "--format", "json", "--output", str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 1, proc.stderr
    return out.read_bytes()


def _entries(directory):
    return sorted(os.path.join(d, n) for d, _, names in os.walk(directory) for n in names if n != "secret")


def test_warm_run_equals_cold_run(tmp_path):
    cache = tmp_path / "cache"
    (tmp_path / "out").mkdir()
    cold = _run(tmp_path / "out", "--cache-dir", str(cache))
    assert _entries(cache), "the cold run wrote no cache entries"
    warm = _run(tmp_path / "out", "--cache-dir", str(cache))
    uncached = _run(tmp_path / "out", "--no-cache")
    assert cold == warm == uncached


def test_corrupt_and_foreign_entries_are_ignored(tmp_path):
    cache = tmp_path / "cache"
    (tmp_path / "out").mkdir()
    expected = _run(tmp_path / "out", "--cache-dir", str(cache))
    entries = _entries(cache)
    for index, path in enumerate(entries):
        with open(path, "r+", encoding="utf-8") as handle:
            signature, _, text = handle.read().partition("\n")
            handle.seek(0)
            handle.truncate()
            if index % 2:
                handle.write("not json at all")  # corrupt
            else:  # foreign: well-formed, but not signed by this cache's secret
                handle.write("0" * len(signature) + "\n" + text)
    assert _run(tmp_path / "out", "--cache-dir", str(cache)) == expected


def test_no_cache_writes_nothing(tmp_path):
    cache = tmp_path / "cache"
    (tmp_path / "out").mkdir()
    _run(tmp_path / "out", "--no-cache", env={"ECRLINT_CACHE_DIR": str(cache)})
    assert not cache.exists()


def test_output_is_byte_identical_whatever_the_number_of_jobs(tmp_path):
    (tmp_path / "out").mkdir()
    one = _run(tmp_path / "out", "--no-cache", "--jobs", "1")
    two = _run(tmp_path / "out", "--no-cache", "--jobs", "2")
    three = _run(tmp_path / "out", "--no-cache", "--jobs", "3")
    assert one == two == three
