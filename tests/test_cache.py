"""The cache and parallel runs change how fast ecrlint is, never what it says."""

from __future__ import annotations

import os
import subprocess
import sys
import time

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
    return sorted(
        os.path.join(d, n) for d, _, names in os.walk(directory) for n in names if n not in ("secret", "pruned")
    )


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


def _aged(path, days):
    old = os.stat(path).st_mtime - days * 86400
    os.utime(path, (old, old))


def test_entries_unused_for_a_month_are_pruned_once_a_day(tmp_path):
    from ecrlint.cache import Cache

    cache = Cache(str(tmp_path))
    cache.put("unit", "a" * 64, b"kept")
    cache.put("unit", "b" * 64, b"stale")
    cache.put("lifecycle", "c" * 64, b"read lately")
    kept, stale, read = (cache._path(ns, k * 64) for ns, k in (("unit", "a"), ("unit", "b"), ("lifecycle", "c")))
    _aged(stale, 31)
    _aged(read, 31)
    assert Cache(str(tmp_path)).get("lifecycle", "c" * 64) == b"read lately"  # a hit marks it used
    assert cache.prune() == 1
    assert os.path.exists(kept) and os.path.exists(read) and not os.path.exists(stale)
    _aged(kept, 31)
    assert cache.prune() == 0  # pruned less than a day ago: not again
    assert cache.prune(now=time.time() + 2 * 86400) == 1  # two days later: once more
    assert not os.path.exists(kept) and os.path.exists(read)


def test_a_run_prunes_its_cache(tmp_path):
    cache = tmp_path / "cache"
    _run(tmp_path, env={"ECRLINT_CACHE_DIR": str(cache)})
    entries = _entries(cache)
    assert entries
    for path in entries:
        _aged(path, 40)
    os.unlink(next(cache.glob("v*/pruned")))
    _run(tmp_path, "--select", "ECR900", env={"ECRLINT_CACHE_DIR": str(cache)})
    left = _entries(cache)
    units = [p for p in entries if f"{os.sep}unit{os.sep}" in p]
    answers = [p for p in entries if f"{os.sep}lifecycle{os.sep}" in p]
    assert units and answers
    assert set(units) <= set(left)  # the second run read the model pieces back: used, so kept
    assert not set(answers) & set(left)  # it asked no lifecycle question: those were unused


def test_a_streamed_entry_reads_back_and_a_failed_one_leaves_nothing(tmp_path):
    import pytest

    from ecrlint.cache import Cache

    cache = Cache(str(tmp_path / "cache"))
    cache.put_stream("evaluation", "a" * 64, iter([b"one ", b"two"]))
    assert cache.get("evaluation", "a" * 64) == b"one two"

    def failing():
        yield b"half"
        raise TypeError("cannot encode")

    with pytest.raises(TypeError):
        cache.put_stream("evaluation", "b" * 64, failing())
    assert cache.get("evaluation", "b" * 64) is None
    assert [os.path.basename(p) for p in _entries(tmp_path / "cache")] == ["a" * 64]
