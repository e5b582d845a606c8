"""Nothing runs, nothing leaves the machine, and strange input meets a limit instead of a crash.

(a) The shipped examples are analysed with network access blocked, from a read-only copy, with
    HOME, XDG_CACHE_HOME and TMPDIR pointing into the test's own directory; ecrlint may write only
    its --output, its cache directory and the temp directory, and may start no program.
(b) Limits: files over the size limit, deep nesting, a billion-laughs YAML document, huge numbers,
    binary and non-UTF-8 files, symlinks out of the root and symlink loops each end in a clear
    ECR900 (or a quiet skip for files that are not ours) while the rest of the run goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

import pytest

from ecrlint.cli import main

from .conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")
RULES = os.path.join(ROOT, "rules")

GOOD_TF = 'resource "aws_ecr_repository" "kept" {\n  name = "kept"\n  image_tag_mutability = "MUTABLE"\n}\n'
CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'


# -- watching what the process does ----------------------------------------------------------


class _Audit:
    """Records, while active, files opened for writing and changed, sockets and started programs."""

    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    CHANGES = {
        "os.remove",
        "os.rename",
        "os.rmdir",
        "os.mkdir",
        "os.symlink",
        "os.link",
        "os.chmod",
        "os.chown",
        "os.truncate",
        "os.utime",
        "shutil.rmtree",
        "shutil.copyfile",
        "shutil.move",
    }
    NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.bind"}
    PROGRAMS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile", "pty.spawn"}

    def __init__(self) -> None:
        self.active = False
        self.busy = False
        self.writes: list[str] = []
        self.network: list[str] = []
        self.programs: list[str] = []

    def start(self) -> None:
        self.writes, self.network, self.programs = [], [], []
        self.active = True

    def stop(self) -> None:
        self.active = False

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active or self.busy:
            return
        self.busy = True
        try:
            if event == "open":
                path, mode, flags = (tuple(args) + (None, None, None))[:3]
                writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                    isinstance(flags, int) and flags & self.WRITE_FLAGS
                )
                if writing and isinstance(path, (str, bytes, os.PathLike)):
                    self.writes.append(os.fsdecode(path))
            elif event in self.CHANGES:
                path = args[0] if args else None
                if isinstance(path, (str, bytes, os.PathLike)):
                    self.writes.append(os.fsdecode(path))
            elif event in self.NETWORK:
                family = getattr(args[0], "family", None) if args else None
                if family != socket.AF_UNIX:
                    self.network.append(f"{event} {args[1:]!r}"[:200])
            elif event in self.PROGRAMS:
                program = args[0] if args else None
                if program is None and event == "subprocess.Popen" and len(args) > 1 and args[1]:
                    program = list(args[1])[0]
                name = os.fsdecode(program) if isinstance(program, (str, bytes, os.PathLike)) else None
                if name is None or os.path.realpath(name) != os.path.realpath(sys.executable):
                    self.programs.append(f"{event} {args!r}"[:200])
        finally:
            self.busy = False


AUDIT = _Audit()
sys.addaudithook(AUDIT)  # inactive except inside `watched()`; audit hooks cannot be removed


def _snapshot(top: str) -> dict[str, tuple]:
    """Everything under `top`, without following symlinks: type, mode, size, mtime, content hash."""
    found: dict[str, tuple] = {}
    if not os.path.lexists(top):
        return found
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            info = os.lstat(path)
            rel = os.path.relpath(path, top)
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("dir", stat.S_IMODE(info.st_mode))
            else:
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
                found[rel] = ("file", stat.S_IMODE(info.st_mode), info.st_size, info.st_mtime_ns, digest)
    return found


def _inside(path: str, roots: list[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == r or real.startswith(r + os.sep) for r in (os.path.realpath(x) for x in roots))


def _make_read_only(top: str) -> None:
    for dirpath, _dirnames, filenames in os.walk(top, topdown=False):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o444)
        os.chmod(dirpath, 0o555)


def _make_writable(top: str) -> None:
    for dirpath, _dirnames, filenames in os.walk(top):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o644)


class _Offline(Exception):
    pass


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A fake HOME, XDG dirs and TMPDIR under tmp_path, an empty working directory, no network."""
    dirs = {name: tmp_path / name for name in ("home", "tmp", "work", "out")}
    for path in dirs.values():
        path.mkdir()
    home = dirs["home"]
    env = {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "TMPDIR": str(dirs["tmp"]),
    }
    (home / ".config").mkdir()
    (home / ".config" / "marker").write_text("untouched\n")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("ECRLINT_CACHE_DIR", raising=False)  # the default cache folder, under XDG_CACHE_HOME
    monkeypatch.setattr(tempfile, "tempdir", str(dirs["tmp"]))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.chdir(dirs["work"])

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self, address, *rest):
        if self.family == socket.AF_UNIX:  # local IPC (e.g. worker processes), not the network
            return real_connect(self, address, *rest)
        raise _Offline(f"network access attempted: connect to {address!r}")

    def connect_ex(self, address, *rest):
        if self.family == socket.AF_UNIX:
            return real_connect_ex(self, address, *rest)
        raise _Offline(f"network access attempted: connect_ex to {address!r}")

    def create_connection(address, *args, **kwargs):
        raise _Offline(f"network access attempted: create_connection to {address!r}")

    def getaddrinfo(host, *args, **kwargs):
        raise _Offline(f"network access attempted: getaddrinfo {host!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return {key: str(path) for key, path in dirs.items()} | {"cache": env["XDG_CACHE_HOME"]}


def _run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def _scan_copy(source: str, dest: str) -> str:
    shutil.copytree(source, dest, symlinks=True)
    return dest


# -- (a) nothing runs, nothing leaves the machine ----------------------------------------------


def test_the_audit_sees_writes_network_and_programs(tmp_path):
    """The watcher used below notices what it is meant to notice."""
    AUDIT.start()
    try:
        (tmp_path / "written.txt").write_text("x")
        with contextlib.suppress(OSError):
            socket.getaddrinfo("localhost", 80)
        subprocess.run(["true"], check=False)
    finally:
        AUDIT.stop()
    assert any(p.endswith("written.txt") for p in AUDIT.writes), AUDIT.writes
    assert any("getaddrinfo" in n for n in AUDIT.network), AUDIT.network
    assert any("true" in p for p in AUDIT.programs), AUDIT.programs


CACHE_MODES = [
    pytest.param("default", id="default-cache"),
    pytest.param("no-cache", id="no-cache"),
    pytest.param("cache-dir", id="cache-dir"),
    # everything in this process, where the audit hook sees every write (worker processes have their own)
    pytest.param("jobs-1", id="jobs-1"),
]


@pytest.mark.parametrize("mode", CACHE_MODES)
@pytest.mark.parametrize("tree", ["examples", "rules"])
def test_offline_read_only_and_writes_only_where_allowed(sandbox, tmp_path, mode, tree):
    scan = _scan_copy(EXAMPLES if tree == "examples" else RULES, str(tmp_path / "scan"))
    output = os.path.join(sandbox["out"], "report.json")
    sarif = os.path.join(sandbox["out"], "report.sarif")
    cache = sandbox["cache"]
    extra: list[str] = []
    if mode == "no-cache":
        extra = ["--no-cache"]
    elif mode == "cache-dir":
        cache = str(tmp_path / "own-cache")
        extra = ["--cache-dir", cache]
    elif mode == "jobs-1":
        extra = ["--jobs", "1"]
    allowed = [sandbox["out"], cache, sandbox["tmp"]]
    watched = {"scan": scan, "home": sandbox["home"], "work": sandbox["work"]}

    _make_read_only(scan)
    try:
        before = {name: _snapshot(path) for name, path in watched.items()}
        outputs = []
        for _ in range(2):  # the second run may read what the first one cached
            args = ["check", scan, "--format", "json", "--output", output, "--format", "sarif", "--output", sarif]
            AUDIT.start()
            try:
                code, out, err = _run(args + extra)
            finally:
                AUDIT.stop()
            assert code in (0, 1), err
            assert "internal error" not in err and "Traceback" not in err, err
            assert not AUDIT.network, AUDIT.network
            assert not AUDIT.programs, AUDIT.programs
            stray = sorted({p for p in AUDIT.writes if not _inside(p, allowed) and p != os.devnull})
            assert not stray, f"ecrlint wrote outside --output, the cache and the temp dir: {stray}"
            with open(output, "rb") as handle:
                outputs.append(handle.read())
        after = {name: _snapshot(path) for name, path in watched.items()}
    finally:
        _make_writable(scan)

    assert after["scan"] == before["scan"], "the scanned tree changed"
    assert after["work"] == before["work"], "files appeared in the working directory"
    home_before = {k: v for k, v in before["home"].items() if not _inside(os.path.join(sandbox["home"], k), allowed)}
    home_after = {k: v for k, v in after["home"].items() if not _inside(os.path.join(sandbox["home"], k), allowed)}
    assert home_after == home_before, "files changed in HOME outside the cache directory"
    if mode == "no-cache":
        assert not os.path.exists(cache) or not any(os.scandir(cache)), "--no-cache still wrote a cache"
    if outputs[0] != outputs[1]:
        first, second = (json.loads(o)["findings"] for o in outputs)
        differ = [(a, b) for a, b in zip(first, second) if a != b] or [(len(first), len(second))]
        pytest.fail(f"a second run (with the cache) gave a different report; first difference: {differ[0]}")
    findings = json.loads(outputs[0])["findings"]
    assert findings, "the examples produce findings"


def test_yaml_python_tags_never_run_code(sandbox, tmp_path):
    scan = tmp_path / "scan"
    scan.mkdir()
    marker = tmp_path / "PWNED"
    (scan / "template.yaml").write_text(
        CFN_HEAD + f"Description: !!python/object/apply:os.system ['touch {marker}']\n"
        "Resources:\n  R:\n    Type: AWS::ECR::Repository\n"
        f"    Metadata: !!python/object/new:os.system ['touch {marker}']\n"
    )
    (scan / "main.tf").write_text(GOOD_TF)
    AUDIT.start()
    try:
        code, _, err = _run(
            ["check", str(scan), "--format", "json", "--output", os.path.join(sandbox["out"], "r.json")]
        )
    finally:
        AUDIT.stop()
    assert code in (0, 1), err
    assert not marker.exists()
    assert not AUDIT.programs, AUDIT.programs
    findings = _findings(os.path.join(sandbox["out"], "r.json"))
    assert _ecr900(findings, "template.yaml"), findings
    assert _has(findings, "ECR101", "main.tf")


# -- (b) limits ----------------------------------------------------------------------------------


def _findings(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["findings"]


def _ecr900(findings: list[dict], name: str) -> list[dict]:
    return [f for f in findings if f["rule_id"] == "ECR900" and f["span"]["path"].endswith(name)]


def _has(findings: list[dict], rule: str, name: str) -> bool:
    return any(f["rule_id"] == rule and f["span"]["path"].endswith(name) for f in findings)


def _check_tree(sandbox, root, seconds: float = 60.0) -> tuple[list[dict], str, float]:
    output = os.path.join(sandbox["out"], "report.json")
    started = time.perf_counter()
    code, _, err = _run(["check", str(root), "--format", "json", "--output", output])
    elapsed = time.perf_counter() - started
    assert code in (0, 1), err
    assert "internal error" not in err and "Traceback" not in err, err
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    return _findings(output), err, elapsed


# A forked child's maximum RSS starts at its parent's RSS, and this test process can be large; a
# bare `python -S -E` launcher in between makes os.wait4's figure the child's own peak.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "p.returncode = 0\n"
    "open(sys.argv[1], 'w').write(f'{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}')\n"
)


def _run_measured(sandbox, root, timeout: float) -> tuple[list[dict], float, float]:
    """`ecrlint check` in a child process: (findings, wall seconds, the child's peak RSS in MB)."""
    output = os.path.join(sandbox["out"], "child.json")
    report = os.path.join(sandbox["out"], "rusage.txt")
    cmd = [sys.executable, "-m", "ecrlint", "check", str(root), "--format", "json", "--output", output]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-S", "-E", "-c", LAUNCHER, report, *cmd],
        cwd=sandbox["work"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=timeout,
    )
    elapsed = time.perf_counter() - started
    err = done.stderr.decode("utf-8", "replace")
    with open(report, encoding="utf-8") as handle:
        maxrss_kb, code = (int(x) for x in handle.read().split())
    assert code in (0, 1), err
    assert "internal error" not in err and "Traceback" not in err, err
    return _findings(output), elapsed, maxrss_kb / 1024


def _write(root, files: dict[str, str | bytes]) -> None:
    for rel, data in files.items():
        path = os.path.join(str(root), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)


BIG = 11 * 1024 * 1024  # over the default 10 MB limit

OVERSIZED = {
    "big.tf": lambda: (
        'resource "aws_ecr_repository" "big" {\n  name = "big"\n}\n' + ("# " + "x" * 97 + "\n") * (BIG // 100)
    ),
    "big.yaml": lambda: CFN_HEAD + "Description: " + "x" * BIG + "\nResources:\n  R:\n    Type: AWS::ECR::Repository\n",
    "big.json": lambda: (
        '{"AWSTemplateFormatVersion": "2010-09-09", "Description": "'
        + "x" * BIG
        + '", "Resources": {"R": {"Type": "AWS::ECR::Repository"}}}'
    ),
    "plan.json": lambda: (
        '{"format_version": "1.2", "planned_values": {"root_module": {"resources": ['
        + ",".join(['{"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b", "values": {}}'] * (BIG // 80))
        + "]}}}"
    ),
}


@pytest.mark.parametrize("name", sorted(OVERSIZED))
def test_file_over_the_size_limit_is_ecr900(sandbox, tmp_path, name):
    root = tmp_path / "scan"
    _write(root, {f"big/{name}": OVERSIZED[name](), "ok/main.tf": GOOD_TF})
    findings, _, _ = _check_tree(sandbox, root, seconds=60)
    reported = _ecr900(findings, name)
    assert reported, f"no ECR900 for an {BIG >> 20} MiB file: {findings}"
    assert re.search(r"size|large|MB|MiB|limit|bytes", reported[0]["message"], re.I), reported
    assert [f for f in findings if f["span"]["path"].endswith(name)] == reported, "an oversized file was analysed"
    assert _has(findings, "ECR101", "ok/main.tf"), "the run did not go on"


def _nested(kind: str, depth: int) -> tuple[str, str]:
    if kind == "json":
        body = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": "AWS::ECR::Repository", '
        return "t.json", body + '"Metadata": ' + "[" * depth + "]" * depth + "}}}"
    if kind == "json-object":
        body = '{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": '
        return "t.json", body + '{"a": ' * depth + "1" + "}" * depth + "}"
    if kind == "yaml-flow":
        return "t.yaml", CFN_HEAD + "Metadata: " + "[" * depth + "]" * depth + "\n"
    if kind == "yaml-block":
        lines = "".join(" " * i + "a:\n" for i in range(1, depth))
        return "t.yaml", CFN_HEAD + "Metadata:\n" + lines + " " * depth + "a: 1\n"
    if kind == "hcl-tuple":
        return "main.tf", 'resource "aws_ecr_repository" "deep" {\n  tags = ' + "[" * depth + "]" * depth + "\n}\n"
    if kind == "hcl-object":
        return (
            "main.tf",
            'resource "aws_ecr_repository" "deep" {\n  tags = ' + "{a = " * depth + "1" + "}" * depth + "\n}\n",
        )
    if kind == "hcl-parens":
        return (
            "main.tf",
            'resource "aws_ecr_repository" "deep" {\n  name = ' + "(" * depth + '"x"' + ")" * depth + "\n}\n",
        )
    if kind == "hcl-calls":
        return (
            "main.tf",
            'resource "aws_ecr_repository" "deep" {\n  name = ' + "lower(" * depth + '"x"' + ")" * depth + "\n}\n",
        )
    if kind == "hcl-blocks":
        return "main.tf", 'resource "aws_ecr_repository" "deep" {\n' + "dynamic {\n" * depth + "}\n" * depth + "}\n"
    if kind == "hcl-interpolation":
        return (
            "main.tf",
            'resource "aws_ecr_repository" "deep" {\n  name = "' + '${"' * depth + "x" + '"}' * depth + '"\n}\n',
        )
    if kind == "tf-json":
        return (
            "main.tf.json",
            '{"resource": {"aws_ecr_repository": {"deep": {"tags": ' + "[" * depth + "]" * depth + "}}}}",
        )
    raise ValueError(kind)


NESTING = [
    "json",
    "json-object",
    "yaml-flow",
    "yaml-block",
    "hcl-tuple",
    "hcl-object",
    "hcl-parens",
    "hcl-calls",
    "hcl-blocks",
    "hcl-interpolation",
    "tf-json",
]


@pytest.mark.parametrize("kind", NESTING)
def test_deep_nesting_is_ecr900(sandbox, tmp_path, kind):
    depth = 1500 if kind == "yaml-block" else 5000
    name, text = _nested(kind, depth)
    root = tmp_path / "scan"
    _write(root, {f"deep/{name}": text, "ok/main.tf": GOOD_TF})
    findings, _, _ = _check_tree(sandbox, root, seconds=60)
    reported = _ecr900(findings, name)
    assert reported, f"no ECR900 for nesting {depth} deep: {findings}"
    assert re.search(r"nest|deep|depth", reported[0]["message"], re.I), reported
    assert _has(findings, "ECR101", "ok/main.tf"), "the run did not go on"


def _laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


BILLION_LAUGHS = {
    "metadata": CFN_HEAD
    + "Metadata:\n"
    + "".join("  " + line + "\n" for line in _laughs().splitlines())
    + "Resources:\n  R:\n    Type: AWS::ECR::Repository\n",
    "properties": CFN_HEAD
    + "Mappings:\n  M:\n"
    + "".join("    " + line + "\n" for line in _laughs().splitlines())
    + "Resources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties:\n      Tags: *l9\n",
    "not-ours": _laughs(),
}


@pytest.mark.parametrize("variant", sorted(BILLION_LAUGHS))
def test_billion_laughs_is_rejected_quickly_and_small(sandbox, tmp_path, variant):
    root = tmp_path / "scan"
    _write(root, {"lol/template.yaml": BILLION_LAUGHS[variant], "ok/main.tf": GOOD_TF})
    findings, elapsed, peak_mb = _run_measured(sandbox, root, timeout=60)
    assert elapsed < 20, f"took {elapsed:.1f} s"
    assert peak_mb < 400, f"peak RSS {peak_mb:.0f} MB"
    reported = _ecr900(findings, "template.yaml")
    if variant == "not-ours":
        assert not [f for f in findings if f["span"]["path"].endswith("template.yaml") and f["rule_id"] != "ECR900"]
    else:
        assert reported, findings
        assert re.search(r"alias", reported[0]["message"], re.I), reported
    assert _has(findings, "ECR101", "ok/main.tf"), "the run did not go on"


HUGE_NUMBERS = {
    "t.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": "AWS::ECR::Repository", '
    '"Properties": {"RepositoryName": ' + "9" * 5000 + "}}}}",
    "t.yaml": CFN_HEAD + "Resources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties:\n"
    "      RepositoryName: " + "9" * 5000 + "\n",
    "main.tf": 'resource "aws_ecr_repository" "n" {\n  name = ' + "9" * 5000 + "\n}\n",
    "lifecycle-policy.json": '{"rules": [{"rulePriority": '
    + "9" * 5000
    + ', "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, '
    '"action": {"type": "expire"}}]}',
}


@pytest.mark.parametrize("name", sorted(HUGE_NUMBERS))
def test_huge_numbers_do_not_crash(sandbox, tmp_path, name):
    """Python refuses int() of more than 4300 digits; a 5000-digit literal must not end the run."""
    root = tmp_path / "scan"
    _write(root, {f"num/{name}": HUGE_NUMBERS[name], "ok/main.tf": GOOD_TF})
    findings, _, _ = _check_tree(sandbox, root)
    assert _has(findings, "ECR101", "ok/main.tf"), "the run did not go on"


def test_long_json_string_parses_in_bounded_memory(sandbox, tmp_path):
    """A 5 MB string in an otherwise ordinary template (under the size limit) stays cheap."""
    text = '{"AWSTemplateFormatVersion": "2010-09-09", "Description": "' + "x" * 5_000_000
    text += '", "Resources": {"R": {"Type": "AWS::ECR::Repository"}}}'
    root = tmp_path / "scan"
    _write(root, {"long/t.json": text, "ok/main.tf": GOOD_TF})
    findings, elapsed, peak_mb = _run_measured(sandbox, root, timeout=120)
    assert _has(findings, "ECR101", "t.json"), findings
    assert peak_mb < 400, f"peak RSS {peak_mb:.0f} MB for a 5 MB JSON file"


def test_string_times_number_does_not_build_a_huge_value(sandbox, tmp_path):
    """`"a" * 100000000` is an error in Terraform; evaluated as Python it is a 100 MB name in every message."""
    root = tmp_path / "scan"
    _write(root, {"mul/main.tf": 'resource "aws_ecr_repository" "r" {\n  name = "a" * 100000000\n}\n'})
    findings, elapsed, peak_mb = _run_measured(sandbox, root, timeout=120)
    assert peak_mb < 400, f"peak RSS {peak_mb:.0f} MB"
    assert all(len(f["message"]) < 10_000 for f in findings), [len(f["message"]) for f in findings]


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def test_binary_and_non_utf8_files(sandbox, tmp_path):
    root = tmp_path / "scan"
    ours = {
        "bin/random.tf": bytes(range(256)) * 8,
        "bin/latin1-template.yaml": (
            CFN_HEAD + "Description: caf\xe9\nResources:\n  R:\n    Type: AWS::ECR::Repository\n"
        ).encode("latin-1"),
        "bin/latin1.tf": ('resource "aws_ecr_repository" "r" {\n  name = "caf\xe9"\n}\n').encode("latin-1"),
        "bin/cp1252-policy.json": '{"Version": "2012-10-17", "Statement": [{"Sid": "\u201cq\u201d", "Effect": "Allow", '
        '"Principal": "*", "Action": "ecr:*"}]}'.encode("cp1252"),
    }
    not_ours = {
        "bin/image.json": PNG,
        "bin/deploy.yaml": "kind: Deployment\nmetadata:\n  name: caf\xe9\n".encode("latin-1"),
        "bin/utf16.json": '{"name": "x"}'.encode("utf-16"),
        "bin/archive.template": b"PK\x03\x04" + bytes(range(256)),
    }
    _write(root, {**ours, **not_ours, "ok/main.tf": GOOD_TF})
    findings, _, _ = _check_tree(sandbox, root)
    for name in ours:
        reported = _ecr900(findings, name)
        assert reported, f"no ECR900 for {name}: {findings}"
        assert re.search(r"utf-?8|binary|encod|decod", reported[0]["message"], re.I), reported
    for name in not_ours:
        about = [f for f in findings if f["span"]["path"].endswith(name)]
        assert all(f["rule_id"] == "ECR900" for f in about), about
        for f in about:
            assert re.search(r"utf-?8|binary|encod|decod", f["message"], re.I), f
    assert _has(findings, "ECR101", "ok/main.tf"), "the run did not go on"


@pytest.fixture
def outside(tmp_path):
    """A directory beside the scanned root holding ECR configuration that must never be read."""
    path = tmp_path / "outside"
    _write(
        path,
        {
            "secret.tf": 'resource "aws_ecr_repository" "outside_secret" {\n  name = "outside-secret"\n}\n',
            "secret.yaml": CFN_HEAD + "Resources:\n  OutsideSecret:\n    Type: AWS::ECR::Repository\n",
            "policy.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
            '"Action": "ecr:*", "Sid": "OutsideSecret"}]}',
        },
    )
    return path


def test_symlinks_out_of_the_root_are_not_followed(sandbox, tmp_path, outside):
    root = tmp_path / "scan"
    _write(
        root,
        {
            "ok/main.tf": GOOD_TF,
            "stack/parent.yaml": CFN_HEAD + "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n"
            "    Properties:\n      TemplateURL: ./child.yaml\n",
        },
    )
    os.symlink(outside / "secret.tf", root / "leak.tf")
    os.symlink(outside / "secret.yaml", root / "leak.yaml")
    os.symlink(outside / "policy.json", root / "leak-policy.json")
    os.symlink(outside, root / "leakdir")
    os.symlink(outside / "secret.yaml", root / "stack" / "child.yaml")  # a nested stack that leaves the root
    os.symlink(outside, root / "ok" / "mod")  # a module folder that leaves the root
    findings, err, _ = _check_tree(sandbox, root)
    read = [f for f in findings if re.search(r"outside.secret|OutsideSecret", json.dumps(f), re.I)]
    assert not read, f"content from outside the root was analysed: {read}"
    leaks = [f for f in findings if re.search(r"leak|stack/child|ok/mod/", f["span"]["path"])]
    assert all(f["rule_id"] == "ECR900" for f in leaks), leaks  # at most a note that the link was not followed
    assert _has(findings, "ECR101", "ok/main.tf"), "the run did not go on"


def test_symlink_loops_are_harmless(sandbox, tmp_path):
    root = tmp_path / "scan"
    _write(root, {"ok/main.tf": GOOD_TF})
    os.symlink(".", root / "loop")
    os.symlink("..", root / "ok" / "up")
    os.symlink("b.tf", root / "a.tf")
    os.symlink("a.tf", root / "b.tf")
    os.symlink("self.yaml", root / "self.yaml")
    os.symlink("missing.json", root / "dangling.json")
    (root / "cycle").mkdir()
    os.symlink("../cycle", root / "cycle" / "again")
    findings, _, _ = _check_tree(sandbox, root, seconds=30)
    paths = {f["span"]["path"] for f in findings}
    assert not any("/loop/" in p or "/up/" in p or "/again/" in p for p in paths), paths
    assert [f for f in findings if f["rule_id"] == "ECR101"] == [
        f for f in findings if f["rule_id"] == "ECR101" and f["span"]["path"].endswith("ok/main.tf")
    ]
    assert sum(1 for f in findings if f["rule_id"] == "ECR101") == 1, "a file was read twice through a loop"


def test_sibling_symlinks_of_a_named_file_stay_inside(sandbox, tmp_path, outside):
    # A named .tf file brings its module's other files; a sibling link out of the folder is not read.
    root = tmp_path / "scan"
    _write(root, {"sib/main.tf": GOOD_TF, "sib/real/inner.tf": 'variable "inner" {}\n'})
    os.symlink(outside / "secret.tf", root / "sib" / "leak.tf")
    os.symlink("/etc/passwd", root / "sib" / "passwd.tf")
    os.symlink("real/inner.tf", root / "sib" / "inner.tf")  # inside the folder: read as before
    output = os.path.join(sandbox["out"], "report.json")
    code, _, err = _run(["check", str(root / "sib" / "main.tf"), "--format", "json", "--output", output])
    assert code in (0, 1) and "internal error" not in err, err
    findings = _findings(output)
    read = [f for f in findings if re.search(r"outside.secret|OutsideSecret|root:x:0", json.dumps(f), re.I)]
    assert not read, f"content from outside the folder was analysed: {read}"
    for name in ("leak.tf", "passwd.tf"):
        notes = [f for f in findings if f["span"]["path"].endswith(name)]
        assert [f["rule_id"] for f in notes] == ["ECR900"], notes
        assert "symlink leads outside" in notes[0]["message"], notes
    assert not [f for f in findings if f["span"]["path"].endswith("inner.tf")]
    assert _has(findings, "ECR101", "sib/main.tf")


@contextlib.contextmanager
def _no_hang(seconds: int):
    """Turn a hang into a failure (opening a FIFO blocks until a writer comes, which never does)."""
    import signal

    def hung(_signum, _frame):
        raise AssertionError(f"still running after {seconds} s: a FIFO was opened")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifos_named_like_inputs_are_ecr900_not_a_hang(sandbox, tmp_path):
    root = tmp_path / "scan"
    _write(
        root,
        {
            "ok/main.tf": GOOD_TF,
            # file() of a FIFO that discovery never lists (not an input kind)
            "mod/main.tf": GOOD_TF.replace("kept", "mod") + 'locals {\n  p = file("${path.module}/pipe.txt")\n}\n',
        },
    )
    (root / "pipe").mkdir()
    for name in ("pipe/main.tf", "pipe/stack.yaml", "pipe/policy.json", "pipe/Dockerfile", "mod/pipe.txt"):
        os.mkfifo(root / name)
    with _no_hang(60):
        findings, _, _ = _check_tree(sandbox, root)
        for name in ("main.tf", "stack.yaml", "policy.json", "Dockerfile"):
            notes = _ecr900(findings, f"pipe/{name}")
            assert notes and "not a regular file" in notes[0]["message"], findings
        assert _has(findings, "ECR101", "mod/main.tf") and _has(findings, "ECR101", "ok/main.tf")
        # Named on the command line, with --no-cache and with the cache.
        for extra in (["--no-cache"], []):
            code, out, err = _run(["check", str(root / "pipe" / "main.tf"), "--format", "json", *extra])
            assert code == 1 and "internal error" not in err, err
            assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["ECR900"]


def test_helpers_refuse_fifos_and_huge_files(tmp_path):
    from ecrlint.cli import _read_lines
    from ecrlint.source import UnreadableInput, content_digest, read_limited

    huge = tmp_path / "huge.tf"
    with open(huge, "wb") as handle:
        handle.truncate(10 * 1024**3)  # sparse: no disk space used
    paths = [str(huge)]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.tf")
        paths.append(str(tmp_path / "pipe.tf"))
    with _no_hang(60):
        for path in paths:
            with pytest.raises(UnreadableInput):
                read_limited(path)
            assert content_digest(path).startswith("refused:")
            assert _read_lines(path) is None
    small = tmp_path / "small.tf"
    small.write_text(GOOD_TF)
    assert content_digest(str(small)) == hashlib.sha256(GOOD_TF.encode()).hexdigest()


def test_a_sparse_10_gb_input_is_ecr900_not_memory_error(sandbox, tmp_path):
    root = tmp_path / "scan"
    _write(
        root,
        {
            "ok/main.tf": GOOD_TF,
            "big/main.tf": GOOD_TF.replace("kept", "big"),
            "big/stack.yaml": CFN_HEAD + "Resources:\n  R:\n    Type: AWS::ECR::Repository\n",
            # file() of a huge file that discovery never lists
            "mod/main.tf": GOOD_TF.replace("kept", "mod") + 'locals {\n  p = file("${path.module}/huge.txt")\n}\n',
            "mod/huge.txt": "",
        },
    )
    for name in ("big/main.tf", "big/stack.yaml", "mod/huge.txt"):
        with open(root / name, "r+b") as handle:
            handle.truncate(10 * 1024**3)
    output = os.path.join(sandbox["out"], "report.json")
    # --no-cache: the unit cache's own digests are covered by test_helpers_refuse_fifos_and_huge_files.
    code, _, err = _run(["check", str(root), "--no-cache", "--format", "json", "--output", output])
    assert code == 1 and "internal error" not in err, err
    findings = _findings(output)
    for name in ("big/main.tf", "big/stack.yaml"):
        notes = _ecr900(findings, name)
        assert notes and "larger than" in notes[0]["message"], findings
    assert _has(findings, "ECR101", "mod/main.tf") and _has(findings, "ECR101", "ok/main.tf")
    # The cache on: a Terraform file that large never reaches the unit cache's digests.
    os.remove(root / "big" / "stack.yaml")
    for _ in range(2):  # a cold run, then a warm one
        findings, _, _ = _check_tree(sandbox, root)
        assert "larger than" in _ecr900(findings, "big/main.tf")[0]["message"]


def test_an_unreadable_folder_is_ecr900(sandbox, tmp_path, monkeypatch):
    # Listing is refused through os.scandir (chmod does not stop root, who may run the tests).
    root = tmp_path / "scan"
    _write(root, {"ok/main.tf": GOOD_TF, "locked/main.tf": GOOD_TF.replace("kept", "locked")})
    locked = str(root / "locked")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    findings, _, _ = _check_tree(sandbox, root)
    notes = [f for f in findings if f["rule_id"] == "ECR900" and f["span"]["path"].endswith("locked")]
    assert notes and "cannot list folder" in notes[0]["message"], findings
    assert _has(findings, "ECR101", "ok/main.tf")


def test_a_cache_folder_inside_the_tree_is_not_scanned(sandbox, tmp_path):
    root = tmp_path / "scan"
    tagged = CFN_HEAD + "Resources:\n  Tagged:\n    Type: AWS::ECR::Repository\n"
    _write(root, {"ok/main.tf": GOOD_TF, "build/.cache/CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n"})
    _write(root, {"build/.cache/entry.yaml": tagged})
    output = os.path.join(sandbox["out"], "report.json")
    reports = []
    for _ in range(3):  # the first run fills the cache inside the tree; later ones must not read it
        code, _, err = _run(["check", str(root), "--cache-dir", str(root / ".lint"), "-f", "json", "-o", output])
        assert code == 1, err
        with open(output, encoding="utf-8") as handle:
            reports.append(json.load(handle))
    assert os.listdir(root / ".lint"), "the cache was not written inside the tree"
    for report in reports:
        assert {f["span"]["path"].split("/scan/")[-1] for f in report["findings"]} == {"ok/main.tf"}
        assert report["summary"]["files_scanned"] == 1
