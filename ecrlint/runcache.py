"""The whole-run cache: a run's findings, reused while nothing the run read has changed.

Rules reason across files, so a finding can depend on any input; the unit that can be reused is
the run. Its key covers everything the run is given: ecrlint's version and the libraries that parse
for it, the settings (options, rule selection, configuration), the rule catalogue, the `ECRLINT_*`
environment, and the path and content of every discovered file. The entry also lists what the run
read besides those files (modules outside the scanned folders, variable files, module manifests,
the baseline) and the folders it listed outside them, with their contents' hashes: on a hit each is
checked again, and any difference is a miss.

Reads are seen through an audit hook (`open`, `os.listdir`, `os.scandir`) that records only while a
run is being recorded; children forked for a run hand their records back with their results. The
entry is stored like every cache entry (JSON, signed), so `--no-cache` and a corrupt or foreign
entry behave as for the parse cache.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import fields
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


def folders_so_far() -> set[str]:
    return set(_recording["folders"]) if _recording is not None else set()


def merge(records: dict[str, list[str]] | None) -> None:
    if _recording is not None and records:
        for kind, paths in records.items():
            _recording[kind].update(paths)


# -- keys --------------------------------------------------------------------------------------
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
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def folder_digest(path: str) -> str | None:
    try:
        return hashlib.sha256("\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape")).hexdigest()
    except OSError:
        return None


def run_key(settings: Any, catalog: list, discovery: Any) -> str:
    """The key of a run: everything it is given, with the content of every discovered file."""
    from .cache import content_key

    parts = [
        *_library_versions(),
        repr([(f.name, getattr(settings, f.name)) for f in fields(settings) if f.name not in ("jobs", "cache_dir")]),
        repr(catalog),
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("ECRLINT_"))),
        repr((discovery.roots, discovery.missing, discovery.skipped, discovery.truncated)),
    ]
    for source in discovery.files:
        parts.append(f"{source.path}\0{source.abspath}\0{source.kind}\0{source.root}\0{file_digest(source.abspath)}")
    return content_key(NAMESPACE, *parts)


# -- dependencies ------------------------------------------------------------------------------
def _ignored(path: str) -> bool:
    """Files that are not inputs: ecrlint's own code and data, the libraries, the cache."""
    from .cache import current

    package = os.path.dirname(os.path.abspath(__file__))
    prefixes = [package, sys.prefix, sys.base_prefix, "/proc", "/dev", "/sys"]
    cache_dir = current().directory
    if cache_dir:
        prefixes.append(os.path.abspath(cache_dir))
    return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in prefixes)


def dependencies(records: dict[str, set[str]], discovery: Any, walked: set[str]) -> dict[str, dict[str, str | None]]:
    """Hashes of what the run read besides the discovered files, and of the folders it listed besides
    those discovery walked (there, the discovered file list already says what counts)."""
    discovered = {os.path.abspath(f.abspath) for f in discovery.files}
    files = {p: file_digest(p) for p in sorted(records["files"]) if p not in discovered and not _ignored(p)}
    folders = {p: folder_digest(p) for p in sorted(records["folders"] - walked) if not _ignored(p)}
    return {"files": files, "folders": folders}


def unchanged(deps: dict[str, dict[str, str | None]]) -> bool:
    return all(file_digest(p) == h for p, h in deps.get("files", {}).items()) and all(
        folder_digest(p) == h for p, h in deps.get("folders", {}).items()
    )


__all__ = [
    "NAMESPACE",
    "dependencies",
    "folders_so_far",
    "merge",
    "recorded",
    "run_key",
    "start_recording",
    "stop_recording",
    "unchanged",
    "__version__",
]
