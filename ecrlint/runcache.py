"""The whole-run cache: a run's findings, reused while nothing the run read has changed.

Rules reason across files, so a finding can depend on any input; the unit that can be reused is
the run. Its key covers everything the run is given: ecrlint's version and the libraries that parse
for it, the settings (options, rule selection, configuration), the rule catalogue, the `ECRLINT_*`
environment, and the path and content of every discovered file. The entry also lists what the run
read besides those files (modules outside the scanned folders, variable files, module manifests,
the baseline) and the folders it listed outside them, with their contents' hashes: on a hit each is
checked again, and any difference is a miss.

Reads are seen through an audit hook (`open`, `os.listdir`, `os.scandir`) that records only while a
run is being recorded; existence tests, which are not audited, are recorded by the adapters that
make them (`probed`); children forked for a run hand their records back with their results. A run
during which an input changed is not stored: each discovered file must have, at the end, the
content hash and stat (inode change time included, which `touch` cannot set back) it had when the
key was made, and no other file the run read may have changed after the run started. The entry is stored like every cache entry (JSON,
signed), so `--no-cache` and a corrupt or foreign entry behave as for the other cache entries.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import fields
from functools import lru_cache
from typing import Any

from . import __version__

NAMESPACE = "run"
_LIBRARIES = ("pyyaml", "lark", "python-hcl2", "hypothesis", "jsonschema")

_recording: dict[str, set[str]] | None = None  # {"files": ..., "folders": ...} while a run is recorded
_hooked = False


def _audit(event: str, args: tuple) -> None:
    if _recording is None:
        return
    if event == "open":
        path, mode = args[0], args[1]
        if isinstance(path, str) and (mode is None or "r" in mode and "+" not in mode):
            _recording["files"].add(os.path.abspath(path))
    elif event in ("os.listdir", "os.scandir"):
        path = args[0] if args else "."
        if isinstance(path, str):
            _recording["folders"].add(os.path.abspath(path))


def probed(path: str, folder: bool = False) -> None:
    """Record a file or folder whose existence the run tested (`os.path.isfile` and kin are not
    audited), so that creating or removing it later is a change."""
    if _recording is not None:
        _recording["folders" if folder else "files"].add(os.path.abspath(path))


def start_recording() -> None:
    global _recording, _hooked
    if not _hooked:
        sys.addaudithook(_audit)  # cannot be removed; it does nothing while nothing is recorded
        _hooked = True
    _recording = {"files": set(), "folders": set()}


def stop_recording() -> dict[str, set[str]]:
    global _recording
    recorded, _recording = _recording or {"files": set(), "folders": set()}, None
    return recorded


def recorded() -> dict[str, list[str]] | None:
    """What this process recorded so far (a forked child sends it back with its result)."""
    if _recording is None:
        return None
    return {kind: sorted(paths) for kind, paths in _recording.items()}


def take_folders() -> set[str]:
    """The folders listed so far, forgotten: discovery's walk, whose outcome the key already holds."""
    if _recording is None:
        return set()
    taken, _recording["folders"] = _recording["folders"], set()
    return taken


def merge(records: dict[str, list[str]] | None) -> None:
    if _recording is not None and records:
        for kind, paths in records.items():
            _recording[kind].update(paths)


# -- keys --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of ecrlint's own code and data, so that a changed or reinstalled ecrlint never reuses
    runs of another build with the same version number."""
    digest = hashlib.sha256()
    roots = [os.path.dirname(os.path.abspath(__file__))]
    from .catalog import builtin_rules_dir

    roots.append(builtin_rules_dir())
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith((".py", ".json", ".lark", ".yaml", ".yml", ".tf")):  # .tf: module models
                    path = os.path.join(folder, name)
                    digest.update(os.path.relpath(path, root).encode("utf-8", "surrogateescape") + b"\0")
                    digest.update((file_digest(path) or "-").encode() + b"\0")
    return digest.hexdigest()


def _library_versions() -> list[str]:
    from importlib import metadata

    out = [sys.version]
    for name in _LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return out


def file_digest(path: str) -> str | None:
    """The digest of a file's content as ecrlint reads it: never more than the size limit, never a FIFO."""
    from .source import content_digest

    return content_digest(path)


def folder_digest(path: str) -> str | None:
    try:
        return hashlib.sha256("\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape")).hexdigest()
    except OSError:
        return None


def input_state(discovery: Any) -> dict[str, tuple]:
    """For each discovered file: its content hash and what `stat` says of it, inode change time
    included (a write changes it, and unlike the modification time `touch` cannot set it back).
    The stat comes first, so a write after it shows in the second look even if it reached the hash."""
    state = {}
    for source in discovery.files:
        state[source.abspath] = (_stat_signature(source.abspath), file_digest(source.abspath))
    return state


def _stat_signature(path: str) -> tuple | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def run_key(settings: Any, catalog: list, discovery: Any, inputs: dict[str, tuple]) -> str:
    """The key of a run: everything it is given, with the content hash of every discovered file."""
    from .cache import content_key

    parts = [
        code_digest(),
        *_library_versions(),
        repr([(f.name, getattr(settings, f.name)) for f in fields(settings) if f.name not in ("jobs", "cache_dir")]),
        repr(catalog),
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("ECRLINT_"))),
        repr((discovery.roots, discovery.missing, discovery.skipped, discovery.truncated)),
    ]
    for source in discovery.files:
        digest = inputs[source.abspath][1]
        parts.append(f"{source.path}\0{source.abspath}\0{source.kind}\0{source.root}\0{digest}")
    return content_key(NAMESPACE, *parts)


# -- dependencies ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _not_inputs() -> tuple[str, ...]:
    """Folders whose files are never inputs: ecrlint itself, the standard library, installed packages."""
    import sysconfig

    paths = sysconfig.get_paths()
    folders = {os.path.dirname(os.path.abspath(__file__))}
    folders |= {os.path.abspath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib") if paths.get(k)}
    return tuple(sorted(folders))


def _ignored(path: str) -> bool:
    from .cache import current

    prefixes = [*_not_inputs(), "/proc", "/dev", "/sys"]
    cache_dir = current().directory
    if cache_dir:
        prefixes.append(os.path.abspath(cache_dir))
    return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in prefixes)


def dependencies(records: dict[str, set[str]], discovery: Any) -> dict[str, dict[str, str | None]]:
    """Hashes of what the run read besides the discovered files, and of the folders the analysis
    listed (discovery's own walk is not among them: the key holds its outcome)."""
    discovered = {os.path.abspath(f.abspath) for f in discovery.files}
    files = {p: file_digest(p) for p in sorted(records["files"]) if p not in discovered and not _ignored(p)}
    folders = {p: folder_digest(p) for p in sorted(records["folders"]) if not _ignored(p)}
    return {"files": files, "folders": folders}


def unchanged_since(started: float, inputs: dict[str, tuple], deps: dict[str, dict[str, str | None]]) -> bool:
    """True when no input changed while the run read it, so that its findings belong to the content
    hashes the entry is filed under. A discovered file must have the same content hash and stat
    (inode change time included) as when the key was made: content edited during the run and given
    its old modification time back still shows. The other files and folders the run read are only
    known at its end, where they are hashed: any of them changed (its inode) after the run started
    may have been read with another content."""
    for path, state in inputs.items():
        if (_stat_signature(path), file_digest(path)) != state:
            return False
    started_ns = int(started * 1e9)
    for path in list(deps["files"]) + list(deps["folders"]):
        try:
            info = os.stat(path)
        except OSError:
            continue
        if max(info.st_mtime_ns, info.st_ctime_ns) >= started_ns:
            return False
    return True


def unchanged(deps: dict[str, dict[str, str | None]]) -> bool:
    return all(file_digest(p) == h for p, h in deps.get("files", {}).items()) and all(
        folder_digest(p) == h for p, h in deps.get("folders", {}).items()
    )


def usable(entry: Any) -> bool:
    """True for a stored run of the right shape whose other inputs are as they were. An entry is
    signed, so only this cache wrote it; but another build with the same version number may have
    written another shape, and that must be a miss, not a crash."""
    from .findings import SEVERITY_RANK, Finding, Undecided
    from .serial import conforms

    shape = dict[str, Any]
    if not conforms(entry, shape) or set(entry) != {"findings", "undecided", "deps", "skipped"}:
        return False
    if not conforms(entry["skipped"], dict[str, int]):
        return False
    deps = entry["deps"]
    if not conforms(deps, dict[str, dict[str, str | None]]) or set(deps) != {"files", "folders"}:
        return False
    if not conforms(entry["findings"], list[Finding]) or not conforms(entry["undecided"], list[tuple[str, Undecided]]):
        return False
    if any(f.severity not in SEVERITY_RANK for f in entry["findings"]):
        return False
    return unchanged(deps)


__all__ = [
    "NAMESPACE",
    "dependencies",
    "input_state",
    "merge",
    "probed",
    "recorded",
    "run_key",
    "start_recording",
    "stop_recording",
    "take_folders",
    "unchanged",
    "unchanged_since",
    "usable",
    "__version__",
]
