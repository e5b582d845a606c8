"""The cache trusts only what this user alone could have written, and nothing it reads can crash a run."""

from __future__ import annotations

import hmac
import json
import os
import stat

import pytest

from ecrlint import __version__, cache
from ecrlint.model import codec
from ecrlint.model.adapters import AdapterResult
from ecrlint.model.units import NAMESPACE
from ecrlint.pipeline import Settings, run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="owners and mode bits are POSIX ones")

MUTABLE = (
    'resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "MUTABLE"\n}\n'
)


def _settings(tmp_path) -> Settings:
    return Settings(paths=[str(tmp_path / "tf")], cwd=str(tmp_path), cache_dir=str(tmp_path / "cache"))


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    return tmp_path


def _ids(result) -> list[str]:
    return [f.rule_id for f in result.findings]


def _version_dir(tmp_path):
    return tmp_path / "cache" / f"v{__version__}"


def _run_entries(tmp_path) -> list:
    return sorted(p for p in (_version_dir(tmp_path) / NAMESPACE).rglob("*") if p.is_file())


def _resign(path, piece: bytes, deps: bytes | None = None) -> None:
    """Rewrite a unit entry with another piece, signed as the cache would sign it (by whoever holds
    the secret)."""
    secret = (path.parents[2] / "secret").read_bytes()
    _, _, rest = path.read_bytes().partition(b"\n")
    header, _, data = rest.partition(b"\n")
    old_deps, _, _ = data.partition(b"\n")
    rest = header + b"\n" + (old_deps if deps is None else deps) + b"\n" + piece
    path.write_bytes(hmac.new(secret, rest, "sha256").hexdigest().encode() + b"\n" + rest)


def _empty_run() -> bytes:
    """The piece of a Terraform root that declares nothing."""
    parts = {"reported": [], "instantiated": [], "reportable_dirs": [], "context_dirs": {}, "problems": []}
    return codec.piece_bytes(AdapterResult(), {**parts, "not_analysed": []})


def _make_foreign(path, monkeypatch) -> None:
    """Give `path` another owner: for real when the tests run as root, else by changing who we are."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.chown(path, 4242, -1)
    else:
        uid = os.geteuid()
        monkeypatch.setattr(os, "geteuid", lambda: uid + 1)


def test_cache_folders_and_secret_are_private(tree):
    run(_settings(tree))
    assert _run_entries(tree)
    root = tree / "cache"
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE((_version_dir(tree) / "secret").stat().st_mode) == 0o600
    assert not list(root.rglob("*.tmp"))


@pytest.mark.parametrize("flaw", ["world-writable", "group-writable", "foreign-owner"])
def test_a_planted_cache_is_not_used(tree, capsys, monkeypatch, flaw):
    # Someone else pre-created the cache folder in a shared place, wrote the secret and signed an
    # entry saying the tree is clean.
    expected = _ids(run(_settings(tree)))
    assert "ECR101" in expected
    for entry in _run_entries(tree):
        _resign(entry, _empty_run())
    assert _ids(run(_settings(tree))) == []  # the forged entry is well signed: only trust can stop it
    root = tree / "cache"
    if flaw == "world-writable":
        root.chmod(0o777)
    elif flaw == "group-writable":
        root.chmod(0o770)
    else:
        _make_foreign(root, monkeypatch)
    capsys.readouterr()
    assert _ids(run(_settings(tree))) == expected
    warnings = [line for line in capsys.readouterr().err.splitlines() if "cache not used" in line]
    assert len(warnings) == 1 and str(root) in warnings[0]


def test_a_shared_version_folder_is_not_used(tree, capsys):
    version = _version_dir(tree)
    version.mkdir(parents=True)
    version.chmod(0o777)
    assert "ECR101" in _ids(run(_settings(tree)))
    assert "can be written by other users" in capsys.readouterr().err
    assert not (version / "secret").exists() and not list(version.iterdir())


@pytest.mark.parametrize("mode", [0o644, 0o666])
def test_a_secret_others_can_read_or_write_is_not_used(tree, capsys, mode):
    run(_settings(tree))
    secret = _version_dir(tree) / "secret"
    before = secret.read_bytes()
    secret.chmod(mode)
    assert "ECR101" in _ids(run(_settings(tree)))
    assert "cache secret" in capsys.readouterr().err
    assert secret.read_bytes() == before


def test_a_symlinked_secret_is_never_followed(tree, capsys):
    target = tree / "precious.txt"
    target.write_text("someone else's file\n")
    version = _version_dir(tree)
    version.mkdir(parents=True, mode=0o700)
    (tree / "cache").chmod(0o700)
    (version / "secret").symlink_to(target)
    assert "ECR101" in _ids(run(_settings(tree)))
    assert target.read_text() == "someone else's file\n"
    assert "symbolic link" in capsys.readouterr().err
    assert (version / "secret").is_symlink() and not _run_entries(tree)


def test_a_damaged_secret_is_replaced_atomically(tree, monkeypatch):
    run(_settings(tree))
    secret = _version_dir(tree) / "secret"
    secret.write_bytes(b"short")

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", failing_replace)
    assert "ECR101" in _ids(run(_settings(tree)))  # no cache this time, but a full report
    assert secret.read_bytes() == b"short"  # never a half-written secret
    assert not [p for p in _version_dir(tree).iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()
    run(_settings(tree))
    assert len(secret.read_bytes()) == 32


def _piece(body) -> bytes:
    return json.dumps({"paths": ["tf/main.tf"], "spans": [0, 1, 1, 4, 2], "body": body}).encode()


def _with(objects=None, **changes) -> bytes:
    """A piece's two documents: the empty root's first one with `changes`, then `objects`."""
    body = json.loads(_empty_run().partition(b"\n")[0])["body"]
    items = dict(zip(body[1::2], body[2::2]))
    items.update(changes)
    return _piece(["D", *(x for k, v in items.items() for x in (k, v))]) + b"\n" + _piece(objects or ["L"])


REPOSITORY = ["C", "Repository", {"address": "aws_ecr_repository.app", "span": ["S", 0], "source_format": "terraform"}]


@pytest.mark.parametrize(
    "piece",
    [
        b"not json",
        b"[]",
        _piece([]),
        _piece("objects"),
        _piece(["D"]),
        _with(objects=["D"]),
        _with(objects=["L", 1, 2]),
        _with(objects=["L", REPOSITORY]),  # fields missing
        _with(objects=["L", ["C", "Popen", {}]]),
        _with(objects=["L", ["C", "Repository", {**REPOSITORY[2], "span": "a:1"}]]),
        _with(objects=["L", ["C", "Repository", {**REPOSITORY[2], "unknown_field": 1}]]),
        _with(objects=["L", ["V", 1, 99]]),
        _with(objects=["L", ["R", 5]]),
        _with(reported=["L", True]),  # one more than there are diagnostics
        _with(problems=["L", ["T", "not a span", "message"]]),
        _with(extra=1),
        _with(objects=["L", 1, 2]).replace(b"\n", b" "),  # one document
        _with(objects="objects"),
    ],
    ids=[
        "not-json",
        "list",
        "empty-body",
        "string",
        "empty-mapping",
        "objects-mapping",
        "objects-numbers",
        "fields-missing",
        "unknown-class",
        "span-string",
        "unknown-field",
        "span-out-of-table",
        "dangling-reference",
        "reported-too-long",
        "problem-without-span",
        "extra-key",
        "one-line",
        "objects-string",
    ],
)
def test_a_signed_entry_of_the_wrong_shape_is_a_miss(tree, piece):
    expected = run(_settings(tree)).findings
    for entry in _run_entries(tree):
        _resign(entry, piece)
    assert run(_settings(tree)).findings == expected


@pytest.mark.parametrize("deps", [b"[]", b"{}", b'{"files": [], "folders": {}, "facts": {}}', b"not json"])
def test_a_signed_entry_with_a_wrong_list_of_reads_is_a_miss(tree, deps):
    expected = run(_settings(tree)).findings
    for entry in _run_entries(tree):
        _resign(entry, _empty_run(), deps)
    assert run(_settings(tree)).findings == expected
