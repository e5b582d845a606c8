#!/usr/bin/env python3
"""Benchmark `ecrlint check` as a whole process, side by side with Checkov's ECR checks.

    python benchmarks/run.py --scale small medium --markdown
    python benchmarks/run.py --scale large --runs 1 --warmup 0 --checkov-timeout 480 --markdown
    python benchmarks/run.py --path ~/src/monorepo --runs 5

Corpora come from `../shared/bench/gen_corpus.py --scale SCALE --seed SEED` and are kept under
`$TMPDIR/ecrlint-bench/corpora/SCALE-seedSEED/corpus` (generated once, reused afterwards); the
generator's `ground_truth.json` and `corpus_manifest.json` are moved next to the corpus, since
they are not part of it. `--path DIR` measures an existing tree instead.

What is measured, each as a separate process, reporting the median of `--runs` runs after
`--warmup` unmeasured runs:

- start-up: `ecrlint --version` (and `checkov --version` when Checkov is there);
- `ecrlint check DIR --format json --output /dev/null --no-cache` (cold: nothing reused);
- the same with `--jobs 1`, when `--jobs` exists;
- a warm re-run: the cache is filled once in a fresh `--cache-dir`, then the runs reuse it;
- edited runs: a cache is filled, then one Terraform file changes before each run (on a copy of a
  tree given with `--path`): first a comment line is appended (the ECR model stays as it was, so
  the last evaluation is reused), then an ECR repository (the model changes, so it is decoded and
  evaluated); after each kind, the output is checked against a `--no-cache` run;
- `checkov -d DIR --framework terraform cloudformation --check <its ECR checks> --quiet
  --compact -o json --skip-download`, when a `checkov` executable is found (`--checkov PATH`,
  else PATH). `--skip-download` stops Checkov from trying to fetch its guidelines over the
  network, which would only add time to its side.

A flag that the installed ecrlint does not accept yet is reported as "not available".

Each command is started through a tiny launcher (`python -S -E`, a few MB) that times it from
fork to reap and reads its peak RSS with `os.wait4`: that figure is the child's own (the larger of
its peak and that of its largest reaped descendant), never mixed with earlier runs as deltas of
`RUSAGE_CHILDREN` would be, and not inflated by the size of this script (a forked child's
maximum RSS starts at its parent's). Peak memory is reported two ways: that maximum RSS, and the
peak of the PSS summed over the command's whole process tree, sampled from /proc every 20 ms, so
parallel workers count together without counting the pages they share twice. "Peak memory" in the
targets is the larger of the two.

Children run with `PYTHONDONTWRITEBYTECODE` removed and `PYTHONPYCACHEPREFIX` pointing into the
benchmark's temp dir: the warm-up compiles bytecode once, as an installed package would already
have, without writing into the source tree. `XDG_CACHE_HOME` also points into the temp dir, so
the benchmark never reads or fills the user's own cache.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_GENERATOR = os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen_corpus.py")
BENCH_TMP = os.path.join(tempfile.gettempdir(), "ecrlint-bench")

# Checkov 3.x checks on ECR resources (terraform and cloudformation): used when the installed
# Checkov's own check ids cannot be read from its package.
FALLBACK_CHECKOV_ECR_CHECKS = ("CKV_AWS_32", "CKV_AWS_51", "CKV_AWS_136", "CKV_AWS_163")

TARGETS = {
    "startup_s": 0.15,
    "medium_speedup_vs_checkov": 20.0,
    "warm_speedup": 5.0,
    "large_peak_mb": 300.0,
    "large_edited_fraction": 0.10,
    "checkov_large_limit_s": 480.0,
}


def log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# -- measuring one process ---------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    rc: int | None
    maxrss_kb: int  # the child's own peak RSS (os.wait4)
    tree_kb: int  # peak of the PSS summed over the child's process tree (sampled)
    timed_out: bool = False
    stderr: str = ""
    cpu: float | None = None  # user + system seconds of the child and the children it reaped

    @property
    def peak_kb(self) -> int:
        return max(self.maxrss_kb, self.tree_kb)


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found += [int(p) for p in handle.read().split()]
        except (OSError, ValueError):
            pass
    return found


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared between forked workers are counted once in a sum."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:  # no smaps_rollup: resident pages, an overestimate for forked workers
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


def tree_pss_kb(pid: int) -> int:
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _pss_kb(current)
        todo += _children(current)
    return total


# A minimal launcher between this script and the measured command. The kernel's maximum RSS of
# a child (os.wait4, or getrusage(RUSAGE_CHILDREN)) starts from the RSS of the process that forked
# it, so a child forked by a large parent reports at least the parent's size. The launcher is a
# bare `python -S -E` (a few MB, less than any Python program it starts), so the figure it
# reports is the child's own peak. It also times the child from fork to reap, excluding its own
# start-up, and writes "wall maxrss_kb status cpu" to the file named by its first argument (cpu: the
# child's user and system time with its reaped children's, which a busy machine changes less than
# the wall time).
LAUNCHER = (
    "import os, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "wall = time.perf_counter() - t\n"
    "p.returncode = 0\n"
    "with open(sys.argv[1], 'w') as f:\n"
    "    f.write(f'{wall} {usage.ru_maxrss} {status} {usage.ru_utime + usage.ru_stime}')\n"
)


def measure(cmd: list[str], env: dict[str, str], timeout: float | None, stdout_path: str | None = None) -> Sample:
    """Run `cmd` once; wall time, peak RSS of the child and of its process tree, exit code."""
    out = open(stdout_path or os.devnull, "wb")
    err = tempfile.TemporaryFile()
    report = tempfile.NamedTemporaryFile(prefix="launch-", suffix=".txt", dir=BENCH_TMP, delete=False)
    report.close()
    done = threading.Event()
    peak = [0]
    try:
        start = time.perf_counter()
        launcher = [sys.executable, "-S", "-E", "-c", LAUNCHER, report.name]
        proc = subprocess.Popen(launcher + cmd, stdout=out, stderr=err, env=env, start_new_session=True)

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], sum(tree_pss_kb(child) for child in _children(proc.pid)))
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the launcher's own session: only what we started
            except OSError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, _ = os.wait4(proc.pid, 0)
        outer_wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if expired.is_set():
            try:  # leftover workers of a killed run
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        try:
            with open(report.name, encoding="utf-8") as handle:
                wall_text, maxrss_text, child_status, cpu_text = handle.read().split()
            wall, maxrss, rc = float(wall_text), int(maxrss_text), os.waitstatus_to_exitcode(int(child_status))
            cpu = float(cpu_text)
        except (OSError, ValueError):  # killed, or the launcher failed: the child's peak RSS is unknown
            wall, maxrss, rc, cpu = outer_wall, 0, proc.returncode, None
    finally:
        out.close()
        err.close()
        with contextlib.suppress(OSError):
            os.unlink(report.name)
    return Sample(wall, rc, maxrss, peak[0], expired.is_set(), stderr, cpu)


@dataclass
class Measurement:
    label: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    status: str = "ok"  # ok | not available | failed | timed out
    note: str = ""

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float | None:
        return statistics.median(self.walls) if self.samples and self.status == "ok" else None

    @property
    def peak_mb(self) -> float | None:
        return max(s.peak_kb for s in self.samples) / 1024 if self.samples else None

    @property
    def maxrss_mb(self) -> float | None:
        peak = max((s.maxrss_kb for s in self.samples), default=0)
        return peak / 1024 if peak else None  # unknown for a run that was killed

    @property
    def tree_mb(self) -> float | None:
        return max(s.tree_kb for s in self.samples) / 1024 if self.samples else None


def repeat(
    label: str,
    cmd: list[str],
    env: dict[str, str],
    runs: int,
    warmup: int,
    timeout: float | None = None,
    ok_codes: tuple[int, ...] = (0, 1),
    first_cmd: list[str] | None = None,
    first_stdout: str | None = None,
) -> Measurement:
    """`warmup` unmeasured runs, then `runs` measured ones; the first run may differ (`first_cmd`,
    `first_stdout`) to keep its output for a sanity check, and stops early on failure or timeout."""
    result = Measurement(label, cmd)
    total = warmup + runs
    for index in range(total):
        this = first_cmd if index == 0 and first_cmd else cmd
        sample = measure(this, env, timeout, first_stdout if index == 0 else None)
        kind = "warm-up" if index < warmup else f"run {index - warmup + 1}/{runs}"
        if sample.timed_out:
            log(f"  {label}: {kind} killed after {timeout:.0f} s")
            result.samples = [sample]
            result.status = "timed out"
            result.note = f"did not finish within {timeout:.0f} s"
            return result
        if sample.rc not in ok_codes:
            log(f"  {label}: {kind} failed with exit code {sample.rc}: {sample.stderr.strip()[-500:]}")
            result.samples = [sample]
            result.status = "failed"
            result.note = f"exit code {sample.rc}: {_last_line(sample.stderr)}"
            return result
        cpu = "-" if sample.cpu is None else f"{sample.cpu:.1f}"
        log(
            f"  {label}: {kind} {sample.wall:.3f} s (CPU {cpu} s), RSS {sample.maxrss_kb / 1024:.0f} MB,"
            f" PSS {sample.tree_kb / 1024:.0f} MB"
        )
        if index >= warmup:
            result.samples.append(sample)
    return result


def _to(cmd: list[str], path: str) -> list[str]:
    """`cmd` with its `--output /dev/null` replaced by `path`."""
    return [path if part == os.devnull else part for part in cmd]


def _compare(expected: list | None, got: list | None, what: str) -> str:
    if expected is None or got is None:
        return "output not compared"
    return f"findings identical to {what}" if expected == got else f"FINDINGS DIFFER from {what}"


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


# -- the tools ---------------------------------------------------------------------------------


def child_env(bench_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ECRLINT_CACHE_DIR", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(bench_dir, "pycache")
    env["XDG_CACHE_HOME"] = os.path.join(bench_dir, "xdg-cache")
    return env


def ecrlint_command(given: str | None) -> list[str]:
    if given:
        return given.split()
    here = os.path.join(os.path.dirname(sys.executable), "ecrlint")
    if os.access(here, os.X_OK):  # the real console script, not a version-manager shim
        return [here]
    found = shutil.which("ecrlint")
    return [found] if found else [sys.executable, "-m", "ecrlint"]


def ecrlint_flags(cmd: list[str], env: dict[str, str]) -> set[str]:
    try:
        done = subprocess.run(cmd + ["check", "--help"], env=env, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return set(re.findall(r"(--[a-z][a-z-]*)", done.stdout))


def find_checkov(given: str | None) -> str | None:
    if given:
        path = shutil.which(given) or (given if os.access(given, os.X_OK) else None)
        if path is None:
            log(f"checkov: {given} is not an executable; Checkov is not measured")
        return path
    return shutil.which("checkov")


def checkov_python(checkov: str) -> str | None:
    """The interpreter of a checkov console script (its shebang), to read its package."""
    try:
        with open(checkov, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    if first.startswith("#!"):
        parts = first[2:].split()
        if parts and os.access(parts[0], os.X_OK) and "python" in os.path.basename(parts[0]):
            return parts[0]
    return None


def checkov_ecr_checks(checkov: str, env: dict[str, str]) -> list[str]:
    """Check ids of the installed Checkov whose checks name ECR resource types."""
    python = checkov_python(checkov)
    if python is None:
        return list(FALLBACK_CHECKOV_ECR_CHECKS)
    script = (
        "import os, re, checkov\n"
        "base = os.path.dirname(checkov.__file__)\n"
        "ids = set()\n"
        "for framework in ('terraform', 'cloudformation'):\n"
        "    for d, _, names in os.walk(os.path.join(base, framework, 'checks')):\n"
        "        for n in names:\n"
        "            if n.endswith(('.py', '.yaml', '.yml', '.json')):\n"
        "                text = open(os.path.join(d, n), encoding='utf-8', errors='replace').read()\n"
        "                if re.search(r'aws_ecr|AWS::ECR', text):\n"
        "                    ids.update(re.findall(r'\\bCKV2?_AWS_\\d+\\b', text))\n"
        "print(' '.join(sorted(ids)))\n"
    )
    try:
        done = subprocess.run([python, "-c", script], env=env, capture_output=True, text=True, timeout=120)
        ids = done.stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        ids = []
    return sorted(ids, key=lambda i: (len(i), i)) or list(FALLBACK_CHECKOV_ECR_CHECKS)


def tool_version(cmd: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(cmd + ["--version"], env=env, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[-1] if (done.stdout or done.stderr) else "?"


def checkov_summary(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return ""
    reports = data if isinstance(data, list) else [data]
    totals = {"failed": 0, "passed": 0, "parsing_errors": 0}
    for report in reports:
        summary = report.get("summary", {}) if isinstance(report, dict) else {}
        for key in totals:
            totals[key] += int(summary.get(key, 0) or 0)
    return f"{totals['failed']} failed / {totals['passed']} passed checks, {totals['parsing_errors']} parsing errors"


def ecrlint_summary(path: str) -> tuple[str, list | None]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return "", None
    findings = data.get("findings", []) if isinstance(data, dict) else []
    unparsable = sum(1 for f in findings if isinstance(f, dict) and f.get("rule_id") == "ECR900")
    return f"{len(findings)} findings ({unparsable} ECR900)", findings


# -- corpora -----------------------------------------------------------------------------------


@dataclass
class Corpus:
    name: str
    path: str
    files: int
    bytes: int
    generated: bool = False  # made by this script, so it may be edited


def _tree_size(path: str) -> tuple[int, int]:
    files = size = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            full = os.path.join(dirpath, name)
            if os.path.isfile(full) and not os.path.islink(full):
                files += 1
                size += os.path.getsize(full)
    return files, size


def generated_corpus(generator: str, scale: str, seed: int) -> Corpus:
    key = os.path.join(BENCH_TMP, "corpora", f"{scale}-seed{seed}")
    corpus = os.path.join(key, "corpus")
    if not os.path.isfile(os.path.join(key, "corpus_manifest.json")) or not os.path.isdir(corpus):
        if not os.path.isfile(generator):
            raise SystemExit(f"run.py: generator not found: {generator} (use --generator or --path)")
        staging = key + ".tmp"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(key, ignore_errors=True)
        os.makedirs(os.path.dirname(key), exist_ok=True)
        log(f"generating the {scale} corpus (seed {seed}) under {key}")
        cmd = [sys.executable, generator, "--out", os.path.join(staging, "corpus"), "--scale", scale]
        subprocess.run(cmd + ["--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        for extra in ("ground_truth.json", "corpus_manifest.json"):  # not part of the corpus
            os.replace(os.path.join(staging, "corpus", extra), os.path.join(staging, extra))
        os.replace(staging, key)
    files, size = _tree_size(corpus)
    return Corpus(f"{scale} (seed {seed})", corpus, files, size, generated=True)


def given_corpus(path: str) -> Corpus:
    path = os.path.abspath(path)
    if not os.path.isdir(path):
        raise SystemExit(f"run.py: not a directory: {path}")
    files, size = _tree_size(path)
    return Corpus(os.path.basename(path.rstrip(os.sep)) or path, path, files, size)


# -- one corpus --------------------------------------------------------------------------------


def _first_terraform_file(path: str) -> str | None:
    for dirpath, dirs, names in sorted(os.walk(path)):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".tf"):
                return os.path.join(dirpath, name)
    return None


# The two edits measured before each run: one that leaves the ECR model as it was (a comment; so is
# an edit to a resource that is not about ECR), and one that changes it (a new repository, named anew
# for each run so that no earlier evaluation matches).
EDITS = {
    "comment": ("a comment line appended to one .tf file", "printf '\\n# benchmark edit\\n' >> {target}"),
    "model": (
        "an ECR repository appended to one .tf file",
        'n=$(date +%s%N) && printf \'\\nresource "aws_ecr_repository" "bench_%s" {{\\n  name = "bench-%s"\\n}}\\n\' '
        "$n $n >> {target}",
    ),
}


def _edited_runs(corpus, ecrlint: list[str], env: dict[str, str], args, timeout, work: str) -> list[Measurement]:
    """Fill a cache, then edit one Terraform file before each run (`EDITS`): what a pre-commit run
    after a small change costs. A given tree is measured on a copy, so that it is never edited.
    After each kind of edit, the output of one more edited run is compared with that of a
    `--no-cache` run of the same tree."""
    labels = {kind: f"ecrlint check, warm, {what} before each run" for kind, (what, _) in EDITS.items()}
    tree = corpus.path
    if not corpus.generated:
        tree = os.path.join(work, "edited-tree")
        shutil.copytree(corpus.path, tree, symlinks=True)
    target = _first_terraform_file(tree)
    if target is None:
        return [Measurement(label, [], status="not available", note="no Terraform file") for label in labels.values()]
    cache_dir = os.path.join(work, "edit-cache")
    cmd = ecrlint + ["check", tree, "--format", "json", "--output", os.devnull, "--cache-dir", cache_dir]
    prime = repeat("ecrlint check, filling the cache to edit", cmd, env, 1, 0, timeout)
    if prime.status != "ok":
        return [Measurement(label, [], status=prime.status, note=prime.note) for label in labels.values()]
    out = []
    for kind, (what, edit_command) in EDITS.items():
        edit = edit_command.format(target=shlex.quote(target))
        measured = repeat(labels[kind], ["sh", "-c", f"{edit} && exec {shlex.join(cmd)}"], env, args.runs, 0, timeout)
        measured.command = [f"({what}) &&", *cmd]
        if measured.status == "ok":
            edited_out, uncached_out = os.path.join(work, "edited.json"), os.path.join(work, "edited-nocache.json")
            again = f"{edit} && exec {shlex.join(_to(cmd, edited_out))}"
            repeat("ecrlint check, one more edited run (output kept)", ["sh", "-c", again], env, 1, 0, timeout)
            uncached = [part for part in _to(cmd, uncached_out) if part not in ("--cache-dir", cache_dir)]
            repeat("ecrlint check, the edited tree with --no-cache", uncached + ["--no-cache"], env, 1, 0, timeout)
            same = _compare(ecrlint_summary(uncached_out)[1], ecrlint_summary(edited_out)[1], "a --no-cache run")
            measured.note = f"edited {os.path.relpath(target, tree)}; filling run {prime.walls[0]:.2f} s; {same}"
        out.append(measured)
    return out


@dataclass
class CorpusResult:
    corpus: Corpus
    rows: list[Measurement] = field(default_factory=list)
    ecrlint_cold: Measurement | None = None
    ecrlint_warm: Measurement | None = None
    ecrlint_edited: Measurement | None = None  # an edit that leaves the ECR model as it was
    ecrlint_model_edited: Measurement | None = None  # an edit that changes it
    checkov: Measurement | None = None
    notes: list[str] = field(default_factory=list)


def bench_corpus(corpus: Corpus, args, tools: dict) -> CorpusResult:
    env, ecrlint, flags = tools["env"], tools["ecrlint"], tools["flags"]
    result = CorpusResult(corpus)
    work = tempfile.mkdtemp(prefix="run-", dir=BENCH_TMP)
    timeout = args.timeout
    log(f"\n== {corpus.name}: {corpus.files} files, {corpus.bytes / 1e6:.1f} MB, {corpus.path}")
    try:
        base = ecrlint + ["check", corpus.path, "--format", "json", "--output", os.devnull]

        # cold: nothing reused
        cold_cmd = base + (["--no-cache"] if "--no-cache" in flags else [])
        cold_label = "ecrlint check, cold (--no-cache)" if "--no-cache" in flags else "ecrlint check"
        cold_out = os.path.join(work, "cold.json")
        cold = repeat(cold_label, cold_cmd, env, args.runs, args.warmup, timeout, first_cmd=_to(cold_cmd, cold_out))
        summary, cold_findings = ecrlint_summary(cold_out)
        if cold.status == "ok":
            cold.note = summary
        if "--no-cache" not in flags:
            cold.note = (cold.note + "; " if cold.note else "") + "--no-cache not available: default settings"
        result.rows.append(cold)
        result.ecrlint_cold = cold

        # --jobs 1
        label = "ecrlint check, cold, --jobs 1"
        if args.skip_jobs1:
            result.rows.append(Measurement(label, [], status="not available", note="skipped (--skip-jobs1)"))
        elif "--jobs" in flags:
            jobs1 = cold_cmd + ["--jobs", "1"]
            jobs_out = os.path.join(work, "jobs1.json")
            one = repeat(label, jobs1, env, args.runs, args.warmup, timeout, first_cmd=_to(jobs1, jobs_out))
            if one.status == "ok":
                one.note = _compare(cold_findings, ecrlint_summary(jobs_out)[1], "default --jobs")
            result.rows.append(one)
        else:
            result.rows.append(Measurement(label, [], status="not available", note="--jobs not accepted yet"))

        # warm re-run with the cache
        label = "ecrlint check, warm (cache filled)"
        if "--cache-dir" in flags or "--no-cache" in flags:
            cache_dir = os.path.join(work, "cache")
            warm_cmd = base + (["--cache-dir", cache_dir] if "--cache-dir" in flags else [])
            shutil.rmtree(cache_dir, ignore_errors=True)
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
            prime_out = os.path.join(work, "prime.json")
            prime = repeat("ecrlint check, filling the cache", _to(warm_cmd, prime_out), env, 1, 0, timeout)
            if prime.status == "ok":
                warm_out = os.path.join(work, "warm.json")
                warm = repeat(label, warm_cmd, env, args.runs, 0, timeout, first_cmd=_to(warm_cmd, warm_out))
                if warm.status == "ok":
                    filled = _compare(cold_findings, ecrlint_summary(prime_out)[1], "the cold run")
                    reused = _compare(cold_findings, ecrlint_summary(warm_out)[1], "the cold run")
                    warm.note = f"filling run {prime.walls[0]:.2f} s; {reused}" + (
                        "" if filled == reused else f" (filling run: {filled})"
                    )
            else:
                warm = prime
                warm.label = label
            warm.command = warm_cmd
            result.rows.append(warm)
            result.ecrlint_warm = warm
            if prime.status == "ok":
                result.ecrlint_edited, result.ecrlint_model_edited = _edited_runs(
                    corpus, ecrlint, env, args, timeout, work
                )
                result.rows += [result.ecrlint_edited, result.ecrlint_model_edited]
        else:
            result.rows.append(
                Measurement(label, [], status="not available", note="--no-cache/--cache-dir not accepted yet")
            )

        # checkov
        if tools.get("checkov"):
            checks = ",".join(tools["checkov_checks"])
            cmd = [tools["checkov"], "-d", corpus.path, "--framework", "terraform", "cloudformation"]
            cmd += ["--check", checks, "--quiet", "--compact", "-o", "json", "--skip-download"]
            report = os.path.join(work, "checkov.json")
            ck = repeat(
                "checkov, ECR checks only",
                cmd,
                env,
                args.runs,
                args.warmup,
                args.checkov_timeout,
                first_stdout=report,
            )
            summary = checkov_summary(report)
            if summary:
                ck.note = (ck.note + "; " if ck.note else "") + summary
            result.rows.append(ck)
            result.checkov = ck
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


# -- reporting ---------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                    break
    except OSError:
        pass
    try:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "CPU": cpu,
        "cores (nproc)": str(os.cpu_count()),
        "memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "load average at start (1/5/15 min)": load,
    }


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", ROOT, "status", "--porcelain", "--", "ecrlint"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return f"{head}{' + uncommitted changes in ecrlint/' if dirty else ''}" if head else "unknown"


def _fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _row(m: Measurement) -> list[str]:
    if m.status == "not available":
        return [m.label, "not available", "-", "-", "-", m.note]
    memory = [_fmt_mb(m.maxrss_mb), _fmt_mb(m.tree_mb)]
    if m.status in ("failed", "timed out"):
        wall = f"> {m.samples[0].wall:.0f} (killed)" if m.status == "timed out" and m.samples else "-"
        return [m.label, wall, "-", *memory, f"{m.status}: {m.note}"]
    spread = f"{_fmt_s(min(m.walls))}–{_fmt_s(max(m.walls))}" if len(m.walls) > 1 else "-"
    return [m.label, _fmt_s(m.median), spread, *memory, m.note]


def _fmt_mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _ratio(slow: Measurement | None, fast: Measurement | None) -> float | None:
    if slow is None or fast is None or slow.median is None or fast.median is None or fast.median == 0:
        return None
    return slow.median / fast.median


def targets(startup: Measurement, results: list[CorpusResult]) -> list[list[str]]:
    rows = []
    t = TARGETS
    value = startup.median
    rows.append(
        [
            f"start-up (`ecrlint --version`) under {t['startup_s']} s",
            "-" if value is None else f"{value:.3f} s",
            "-" if value is None else ("yes" if value < t["startup_s"] else "no"),
        ]
    )
    by_scale = {r.corpus.name.split()[0]: r for r in results}
    medium = by_scale.get("medium")
    if medium:
        ratio = _ratio(medium.checkov, medium.ecrlint_cold)
        if medium.checkov is None:
            measured, met = "Checkov not measured", "unknown"
        elif ratio is None:
            measured, met = f"Checkov: {medium.checkov.status}", "unknown"
        else:
            measured = f"{ratio:.1f}× ({_fmt_s(medium.checkov.median)} s vs {_fmt_s(medium.ecrlint_cold.median)} s)"
            met = "yes" if ratio >= t["medium_speedup_vs_checkov"] else "no"
        rows.append(
            [f"medium: at least {t['medium_speedup_vs_checkov']:.0f}× faster than Checkov ECR-only", measured, met]
        )
        warm = _ratio(medium.ecrlint_cold, medium.ecrlint_warm)
        if medium.ecrlint_warm is None or medium.ecrlint_warm.status == "not available":
            rows.append([f"medium: warm re-run at least {t['warm_speedup']:.0f}× faster", "cache not available", "no"])
        elif warm is None:
            rows.append(
                [f"medium: warm re-run at least {t['warm_speedup']:.0f}× faster", medium.ecrlint_warm.status, "no"]
            )
        else:
            measured = f"{warm:.1f}× ({_fmt_s(medium.ecrlint_cold.median)} s → {_fmt_s(medium.ecrlint_warm.median)} s)"
            rows.append(
                [
                    f"medium: warm re-run at least {t['warm_speedup']:.0f}× faster",
                    measured,
                    "yes" if warm >= t["warm_speedup"] else "no",
                ]
            )
    large = by_scale.get("large")
    if large:
        measured_runs = (large.ecrlint_cold, large.ecrlint_warm, large.ecrlint_edited, large.ecrlint_model_edited)
        peaks = [m.peak_mb for m in measured_runs if m is not None and m.peak_mb]
        ok = large.ecrlint_cold is not None and large.ecrlint_cold.status == "ok"
        peak = max(peaks) if peaks else None
        rows.append(
            [
                f"large: peak memory under {t['large_peak_mb']:.0f} MB",
                "-" if peak is None else f"{peak:.0f} MB" + ("" if ok else f" ({large.ecrlint_cold.status})"),
                "-" if peak is None else ("yes" if ok and peak < t["large_peak_mb"] else "no"),
            ]
        )
        cold = large.ecrlint_cold
        fraction = t["large_edited_fraction"]
        for edited, what in (
            (large.ecrlint_edited, "the ECR model unchanged (a comment)"),
            (large.ecrlint_model_edited, "the ECR model changed (a repository added)"),
        ):
            label = f"large: one file edited, {what}, under {fraction:.0%} of a cold run"
            if edited is None or edited.median is None or cold is None or not cold.median:
                rows.append([label, "-" if edited is None else edited.status, "-"])
            else:
                share = edited.median / cold.median
                measured = f"{share:.1%} ({_fmt_s(edited.median)} s vs {_fmt_s(cold.median)} s)"
                rows.append([label, measured, "yes" if share < fraction else "no"])
        ck = large.checkov
        if ck is not None:
            limit = t["checkov_large_limit_s"]
            if ck.status == "timed out":
                text = ck.note
            elif ck.median is not None:
                text = f"finished in {_fmt_s(ck.median)} s"
            else:
                text = ck.status
            rows.append([f"large: Checkov cannot finish in {limit / 60:.0f} min (context)", text, "-"])
    return rows


def table(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join(out)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def report(info: dict, startup: list[Measurement], results: list[CorpusResult], args) -> str:
    md = args.markdown
    out = []
    out.append("### Machine\n" if md else "Machine")
    out.append(table(["", ""], [[k, v] for k, v in info.items()], md))
    out.append("")
    headers = ["command", "median wall (s)", "min–max (s)", "max RSS (MB)", "tree PSS (MB)", "notes"]
    out.append("### Start-up\n" if md else "Start-up")
    out.append(table(headers, [_row(m) for m in startup], md))
    for res in results:
        c = res.corpus
        out.append("")
        title = f"{c.name}: {c.files} files, {c.bytes / 1e6:.1f} MB"
        out.append(f"### {title}\n" if md else title)
        rows = [_row(m) for m in res.rows]
        ratio = _ratio(res.checkov, res.ecrlint_cold)
        if ratio is not None:
            rows.append(["Checkov / ecrlint cold", f"{ratio:.1f}×", "-", "-", "-", "ratio of the medians"])
        elif res.checkov is not None and res.checkov.status == "timed out" and res.ecrlint_cold.median:
            bound = res.checkov.samples[0].wall / res.ecrlint_cold.median
            rows.append(
                ["Checkov / ecrlint cold", f"> {bound:.1f}×", "-", "-", "-", "Checkov was stopped at its limit"]
            )
        warm = _ratio(res.ecrlint_cold, res.ecrlint_warm)
        if warm is not None:
            rows.append(["ecrlint cold / warm", f"{warm:.1f}×", "-", "-", "-", "ratio of the medians"])
        out.append(table(headers, rows, md))
    commands: dict[str, str] = {}
    for res in results:
        for m in res.rows:
            if m.command and m.label not in commands:
                text = " ".join(m.command).replace(res.corpus.path, "DIR").replace(BENCH_TMP, "$TMP")
                text = re.sub(r"run-[A-Za-z0-9_]+", "run-*", text)
                commands[m.label] = text
    if commands:
        out.append("")
        out.append("### Commands\n" if md else "Commands")
        for label, text in commands.items():
            out.append(f"- {label}: `{text}`" if md else f"  {label}: {text}")
    out.append("")
    out.append("### Targets\n" if md else "Targets")
    out.append(table(["target (issue 8)", "measured", "met"], targets(startup[0], results), md))
    return "\n".join(out) + "\n"


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", nargs="+", choices=("small", "medium", "large"), help="generated corpora")
    parser.add_argument("--path", action="append", default=[], help="measure this directory (repeatable)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs before them (default 1)")
    parser.add_argument("--checkov", help="checkov executable (default: `checkov` on PATH)")
    parser.add_argument("--no-checkov", action="store_true", help="do not measure Checkov")
    parser.add_argument(
        "--checkov-timeout", type=float, default=TARGETS["checkov_large_limit_s"], help="seconds (default 480)"
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per ecrlint run (default 1800)")
    parser.add_argument("--skip-jobs1", action="store_true", help="do not measure `--jobs 1` (saves time on large)")
    parser.add_argument("--ecrlint", help="ecrlint command (default: the console script of this Python)")
    parser.add_argument("--generator", default=DEFAULT_GENERATOR, help="gen_corpus.py path")
    parser.add_argument("--markdown", action="store_true", help="print the results as markdown for RESULTS.md")
    parser.add_argument("--json", metavar="FILE", help="also write the raw measurements as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    if not args.scale and not args.path:
        args.scale = ["small"]

    os.makedirs(BENCH_TMP, exist_ok=True)
    env = child_env(BENCH_TMP)
    info = machine()
    ecrlint = ecrlint_command(args.ecrlint)
    flags = ecrlint_flags(ecrlint, env)
    info["ecrlint"] = f"{tool_version(ecrlint, env)} (git {git_state()})"
    info["ecrlint command"] = " ".join(ecrlint)
    available = [f for f in ("--no-cache", "--cache-dir", "--jobs") if f in flags]
    info["ecrlint flags available"] = ", ".join(available) or "none of --no-cache, --cache-dir, --jobs"
    tools: dict = {"env": env, "ecrlint": ecrlint, "flags": flags, "checkov": None}
    if not args.no_checkov:
        tools["checkov"] = find_checkov(args.checkov)
    if tools["checkov"]:
        tools["checkov_checks"] = checkov_ecr_checks(tools["checkov"], env)
        info["checkov"] = f"{tool_version([tools['checkov']], env)} ({tools['checkov']})"
        info["checkov ECR checks"] = ", ".join(tools["checkov_checks"])
    else:
        info["checkov"] = "not measured (not found)" if not args.no_checkov else "not measured (--no-checkov)"
    info["runs"] = f"median of {args.runs} after {args.warmup} warm-up run(s)"

    log("== start-up")
    startup = [repeat("ecrlint --version", ecrlint + ["--version"], env, max(args.runs, 10), 2, 120, (0,))]
    if tools["checkov"]:
        startup.append(repeat("checkov --version", [tools["checkov"], "--version"], env, args.runs, 1, 300, (0,)))

    corpora = [generated_corpus(args.generator, scale, args.seed) for scale in args.scale or []]
    corpora += [given_corpus(p) for p in args.path]
    results = [bench_corpus(corpus, args, tools) for corpus in corpora]
    info["load average at end (1/5/15 min)"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())

    text = report(info, startup, results, args)
    sys.stdout.write(text)
    if args.json:
        raw = {
            "machine": info,
            "startup": [_raw(m) for m in startup],
            "corpora": [
                {"name": r.corpus.name, "path": r.corpus.path, "files": r.corpus.files, "bytes": r.corpus.bytes}
                | {"rows": [_raw(m) for m in r.rows]}
                for r in results
            ],
        }
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(raw, handle, indent=1)
    return 0


def _raw(m: Measurement) -> dict:
    return {
        "label": m.label,
        "command": m.command,
        "status": m.status,
        "note": m.note,
        "median_s": m.median,
        "walls_s": m.walls,
        "cpu_s": [s.cpu for s in m.samples],
        "peak_memory_mb": m.peak_mb,
        "max_rss_mb": m.maxrss_mb,
        "tree_pss_mb": m.tree_mb,
    }


if __name__ == "__main__":
    sys.exit(main())
