"""Run fuzz inputs through the whole pipeline and hold them to its one promise: findings, never a crash.

Every example is a small tree of files written to a fresh directory, analysed the way
`ecrlint check` does (discovery, parsing, model, rules, suppressions) and rendered in every output
format. Acceptable outcomes are findings, ECR900 included. An exception, a malformed output or an
input that keeps the pipeline busy longer than `TIME_LIMIT` seconds fails the example, and
Hypothesis shrinks it to a minimal reproducer.

Profiles: the bounded one (default) keeps the whole fuzz directory near a minute on a 2-core
machine and is derandomized, so CI runs are repeatable; `ECRLINT_FUZZ=long` multiplies the example
counts by `LONG_FACTOR` and draws fresh random inputs on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import tempfile
import time
import traceback
from collections import defaultdict
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, settings

from ecrlint import __version__
from ecrlint.cli import _read_lines
from ecrlint.findings import Finding
from ecrlint.render import FORMATS, RenderContext, render

from ..pipeline import catalog, run_pipeline

LONG = os.environ.get("ECRLINT_FUZZ", "").strip().lower() == "long"
LONG_FACTOR = int(os.environ.get("ECRLINT_FUZZ_FACTOR", "12"))
# Exploration: ECRLINT_FUZZ_COLLECT=DIR records every distinct failure (by exception type and the
# innermost ecrlint frame) under DIR, with the input and the traceback, and lets the run go on, so
# one long run reports every bug it meets instead of stopping at the first.
COLLECT = os.environ.get("ECRLINT_FUZZ_COLLECT", "")
SHRINK = os.environ.get("ECRLINT_FUZZ_SHRINK", "1") != "0"
TIME_LIMIT = 60.0  # seconds per example; a slower input is a denial of service, reported as a failure


def fuzz_settings(examples: int):
    """Hypothesis settings for a test worth `examples` inputs in the bounded profile."""
    phases = tuple(Phase) if SHRINK else tuple(p for p in Phase if p != Phase.shrink)
    return settings(
        max_examples=examples * LONG_FACTOR if LONG else examples,
        phases=phases,
        deadline=None,
        derandomize=not LONG,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.nested_given,  # ecrlint itself calls hypothesis.find() for lifecycle policies
        ],
    )


# Per-test statistics, printed at the end of the session by conftest.py.
STATS: dict[str, dict] = defaultdict(
    lambda: {"inputs": 0, "seconds": 0.0, "slowest": 0.0, "findings": defaultdict(int)}
)

_BASE: list[str] = []


def _base() -> str:
    if not _BASE:
        _BASE.append(tempfile.mkdtemp(prefix="ecrlint-fuzz-"))
    return _BASE[0]


def cleanup() -> None:
    while _BASE:
        shutil.rmtree(_BASE.pop(), ignore_errors=True)


class SlowInput(BaseException):
    """Raised by the timer; a BaseException so no `except Exception` in ecrlint can swallow it."""


@contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise SlowInput(f"the pipeline took longer than {seconds:.0f} s on this input")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def write_tree(root: str, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)


def check_files(test: str, files: dict[str, bytes]) -> list[Finding]:
    """Analyse `files` (relative path -> bytes) like `ecrlint check DIR`; fail on anything but findings."""
    base = tempfile.mkdtemp(dir=_base())
    root = os.path.join(base, "scan")
    os.makedirs(root)
    try:
        write_tree(root, files)
        if not COLLECT:
            return check_dir(test, root, base, files)
        try:
            return check_dir(test, root, base, files)
        except (Exception, SlowInput) as err:
            collect(test, files, err)
            return []
    finally:
        shutil.rmtree(base, ignore_errors=True)


FAILURES: dict[str, dict] = {}
SLOW_INPUTS: list[tuple[float, str]] = []


def _signature(err: BaseException) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    ours = [
        f for f in frames if f"{os.sep}ecrlint{os.sep}" in f.filename and f"{os.sep}tests{os.sep}" not in f.filename
    ]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f"{os.path.relpath(where.filename)}:{where.lineno}" if where else "?"
    return f"{type(err).__name__} at {place}"


def collect(test: str, files: dict[str, bytes], err: BaseException) -> None:
    signature = _signature(err)
    entry = FAILURES.get(signature)
    if entry is not None:
        entry["count"] += 1
        entry["tests"].add(test)
        return
    digest = hashlib.sha256(signature.encode()).hexdigest()[:12]
    folder = os.path.join(COLLECT, digest)
    os.makedirs(folder, exist_ok=True)
    write_tree(os.path.join(folder, "input"), files)
    with open(os.path.join(folder, "traceback.txt"), "w", encoding="utf-8") as handle:
        handle.write(f"{signature}\ntest: {test}\n\n")
        handle.write("".join(traceback.format_exception(type(err), err, err.__traceback__)))
    FAILURES[signature] = {"count": 1, "tests": {test}, "folder": folder, "message": str(err)[:300]}


SLOW = 10.0  # seconds; with ECRLINT_FUZZ_COLLECT, inputs slower than this are kept for a look


def record(test: str, elapsed: float, files: dict[str, bytes] | None = None) -> dict:
    if COLLECT and files is not None and elapsed > SLOW:
        folder = os.path.join(COLLECT, f"slow-{test}-{len(SLOW_INPUTS)}")
        write_tree(os.path.join(folder, "input"), files)
        SLOW_INPUTS.append((elapsed, folder))
    stats = STATS[test]
    stats["inputs"] += 1
    stats["seconds"] += elapsed
    stats["slowest"] = max(stats["slowest"], elapsed)
    return stats


def check_dir(test: str, root: str, cwd: str, files: dict[str, bytes] | None = None) -> list[Finding]:
    started = time.perf_counter()
    with time_limit(TIME_LIMIT):
        findings, undecided, _ = run_pipeline(root, cwd=cwd)
        ctx = RenderContext(
            version=__version__,
            rules=catalog(),
            files_scanned=0,
            read_lines=lambda path: _read_lines(os.path.join(cwd, path)),
            undecided=undecided,
            show_unknown=True,
            show_suppressed=True,
        )
        outputs = {fmt: render(fmt, findings, ctx) for fmt in FORMATS}
    elapsed = time.perf_counter() - started
    if elapsed > TIME_LIMIT:  # the timer can fire where an exception is swallowed (a gc callback)
        raise SlowInput(f"the pipeline took {elapsed:.0f} s on this input (limit {TIME_LIMIT:.0f} s)")
    stats = record(test, elapsed, files)
    for finding in findings:
        assert isinstance(finding, Finding), finding
        assert finding.rule_id.startswith("ECR"), finding
        span = finding.span
        assert span.start_line >= 1 and span.start_col >= 1, finding
        assert (span.end_line, span.end_col) >= (span.start_line, 0), finding
        assert not os.path.isabs(span.path), finding
        stats["findings"][finding.rule_id] += 1
    for fmt in ("json", "sarif", "gitlab"):
        json.loads(outputs[fmt])
    for fmt, text in outputs.items():
        assert isinstance(text, str), fmt
        assert "Traceback" not in text, fmt
    return findings


def summary_lines() -> list[str]:
    if not STATS:
        return []
    total = sum(s["inputs"] for s in STATS.values())
    seconds = sum(s["seconds"] for s in STATS.values())
    lines = [
        f"ecrlint fuzz ({'long' if LONG else 'bounded'} profile): {total} inputs in {seconds:.0f} s of pipeline time"
    ]
    for name in sorted(STATS):
        s = STATS[name]
        top = ", ".join(f"{rule} {count}" for rule, count in sorted(s["findings"].items()))
        lines.append(f"  {name}: {s['inputs']} inputs, slowest {s['slowest']:.2f} s; findings: {top or 'none'}")
    for elapsed, folder in sorted(SLOW_INPUTS, reverse=True)[:10]:
        lines.append(f"  SLOW {elapsed:.1f} s: {folder}")
    for signature, entry in sorted(FAILURES.items()):
        tests = ", ".join(sorted(entry["tests"]))
        lines.append(f"  FAILURE {signature}: {entry['count']} inputs ({tests}); first: {entry['folder']}")
        lines.append(f"    {entry['message']}")
    return lines
