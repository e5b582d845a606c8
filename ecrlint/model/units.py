"""The unit cache: the model piece each unit of input yields, reused while what it read is unchanged.

A unit is what an adapter models in one go: one JSON or YAML file (with the nested templates, CDK
assembly files, parameter files and samconfig it pulls in), or one Terraform root (with its
modules, variable files and file() targets). The adapter records, through its `Reads`, every file
it read and every file or folder whose existence or listing it tested; the entry keeps their
digests, and a lookup is a hit only when each of them is as it was. The key holds the unit's
identity and `settings`: ecrlint's code, the parsing libraries' versions, the options that affect
modelling and where paths are shown from. Digests are taken as the unit records its reads, so a
file changed while the unit reads it leaves an entry that no later run matches.

A piece is encoded by its adapter (`ecrlint.model.codec`); this module keeps bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from typing import Any

NAMESPACE = "unit"
_LIBRARIES = ("pyyaml", "lark", "tree-sitter", "tree-sitter-hcl", "jsonschema")


class Reads:
    """What a unit read: files (their content, or their absence), folders (their listing), and facts
    the adapter states itself (such as which files discovery found in a folder).

    With a unit cache, a file's digest is taken when it is recorded, before the adapter reads it: if
    it changes in between, the entry holds a digest the file no longer has, and is never used."""

    def __init__(self, digest: Callable[[str, str], str | None] | None = None) -> None:
        self.files: dict[str, str | None] = {}
        self.folders: dict[str, str | None] = {}
        self.facts: dict[str, str] = {}
        self._digest = digest

    def file(self, path: str) -> None:
        """`path` is about to be read, or its existence tested: another content, or its creation, is a change."""
        path = os.path.abspath(path)
        if path not in self.files:
            self.files[path] = self._digest("file", path) if self._digest else None

    def folder(self, path: str) -> None:
        """`path` is about to be listed, or tested for being a folder."""
        path = os.path.abspath(path)
        if path not in self.folders:
            self.folders[path] = self._digest("folder", path) if self._digest else None

    def fact(self, name: str, value: str) -> None:
        self.facts[name] = value


def file_digest(path: str) -> str | None:
    from ..source import content_digest

    return content_digest(path)


def folder_digest(path: str) -> str | None:
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return None
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def code_digest() -> str:
    """A hash of ecrlint's own code and data, so that a changed or reinstalled ecrlint never reuses
    pieces made by another build with the same version number. The rule folders are left out (in
    an installed ecrlint they sit in the package as `rules/`): rules run after the model is built,
    and their fixtures are most of the files."""
    digest = hashlib.sha256()
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not (folder == package and d == "rules"))
        for name in sorted(names):
            if name.endswith((".py", ".json", ".lark", ".yaml", ".yml", ".tf", ".scm")):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, package).encode("utf-8", "surrogateescape") + b"\0")
                digest.update((file_digest(path) or "-").encode() + b"\0")
    return digest.hexdigest()


def library_versions() -> list[str]:
    from importlib import metadata

    out = [sys.version]
    for name in _LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return out


def tree_digest(folders: tuple[str, ...] | list[str]) -> str:
    """A hash of every file under `folders` (user-given module models, read whatever the unit)."""
    digest = hashlib.sha256()
    for top in folders:
        for folder, dirs, names in sorted(os.walk(top)):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + (file_digest(path) or "-").encode())
    return digest.hexdigest()


class UnitCache:
    """Model pieces by unit, in the run's cache. One per run: it remembers the digests it computed."""

    def __init__(self, cache: Any, settings: list[str]) -> None:
        from ..cache import content_key

        self.cache = cache
        self.settings = content_key(NAMESPACE, code_digest(), *library_versions(), *settings)
        self._digests: dict[tuple[str, str], str | None] = {}
        # A hit's objects stay encoded until the model is built; off, they are decoded at the
        # lookup, so that one of the wrong shape is a miss (and is modelled and stored again).
        self.lazy_objects = True
        self.hits = 0
        self.misses = 0

    def _key(self, kind: str, identity: str) -> str:
        from ..cache import content_key

        return content_key(NAMESPACE, self.settings, kind, identity)

    def seed(self, contents: dict[str, bytes]) -> None:
        """Take the digests of files already read (discovery's): earlier than the adapters read them,
        so an entry made from a later content never matches."""
        for path, data in contents.items():
            self._digests.setdefault(("file", os.path.abspath(path)), hashlib.sha256(data).hexdigest())

    def reads(self) -> Reads:
        """A recorder for one unit, which takes digests as it records."""
        return Reads(self._digest)

    def _digest(self, kind: str, path: str) -> str | None:
        found = self._digests.get((kind, path), _UNSEEN)
        if found is _UNSEEN:
            found = self._digests[(kind, path)] = (file_digest if kind == "file" else folder_digest)(path)
        return found

    def lookup(self, kind: str, identity: str, facts: Callable[[str], str | None]) -> bytes | None:
        """The piece stored for this unit, when everything it read is as it was; else None.
        `facts(name)` states again a fact the unit recorded."""
        data = self.cache.get(NAMESPACE, self._key(kind, identity))
        if data is not None:
            header, _, piece = data.partition(b"\n")
            if self._still_valid(header, facts):
                self.hits += 1
                return piece
        self.misses += 1
        return None

    def _still_valid(self, header: bytes, facts: Callable[[str], str | None]) -> bool:
        try:
            deps = json.loads(header)
        except ValueError:
            return False
        if type(deps) is not dict or set(deps) != {"files", "folders", "facts"}:
            return False
        try:
            return (
                all(self._digest("file", p) == h for p, h in deps["files"].items())
                and all(self._digest("folder", p) == h for p, h in deps["folders"].items())
                and all(facts(name) == value for name, value in deps["facts"].items())
            )
        except (AttributeError, TypeError):
            return False

    def keeper(self, kind: str, identity: str) -> Callable[[bytes], StoredObjects]:
        """What stands for the encoded objects of this unit's piece, read back by `lookup`: a hash of
        them, or (`lazy_objects` off) the objects decoded now, raising DecodeError for a bad piece."""
        key = self._key(kind, identity)

        def keep(encoded: bytes) -> StoredObjects:
            kept = StoredObjects(key, hashlib.sha256(encoded).digest())
            if not self.lazy_objects:
                from .codec import objects_from_bytes

                kept.live = objects_from_bytes(encoded)
            return kept

        return keep

    def kept(self, kind: str, identity: str, piece: bytes, objects: list) -> StoredObjects:
        """What stands for the objects of a piece this run made and stored: the objects themselves."""
        from .codec import objects_part

        return StoredObjects(self._key(kind, identity), hashlib.sha256(objects_part(piece)).digest(), objects)

    def store(self, kind: str, identity: str, reads: Reads, piece: bytes) -> None:
        """Keep the piece, filed with the digests `reads` took (made by `self.reads()`)."""
        deps = {
            "files": dict(sorted(reads.files.items())),
            "folders": dict(sorted(reads.folders.items())),
            "facts": dict(sorted(reads.facts.items())),
        }
        header = json.dumps(deps, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
        self.cache.put(NAMESPACE, self._key(kind, identity), header + b"\n" + piece, remember=False)


_UNSEEN = object()


class StoredObjects:
    """The model objects of one unit's piece, where an adapter's result holds its objects. Of a piece
    read back, only a hash of the encoded objects stays in memory: a run whose model is unchanged
    reuses its last evaluation (`ecrlint.reuse`) and never decodes them. `objects()` reads the entry
    again when the model is built, and decodes the objects if they are still the ones hashed."""

    __slots__ = ("key", "sha", "live")

    def __init__(self, key: str, sha: bytes, live: list | None = None) -> None:
        self.key = key
        self.sha = sha
        self.live = live

    def objects(self) -> list:
        """The objects; raises DecodeError when the entry is gone, changed or of the wrong shape."""
        if self.live is not None:
            return self.live
        from ..cache import current
        from .codec import DecodeError, objects_from_bytes, objects_part

        data = current().get_again(NAMESPACE, self.key)  # checked against the hash of the first read
        encoded = objects_part(data.partition(b"\n")[2]) if data is not None else None
        if encoded is None or hashlib.sha256(encoded).digest() != self.sha:
            raise DecodeError("the cached piece changed or is gone")
        return objects_from_bytes(encoded)

    def __getstate__(self) -> tuple[str, bytes]:  # to a parent process: read from the cache there
        return self.key, self.sha

    def __setstate__(self, state: tuple[str, bytes]) -> None:
        self.key, self.sha = state
        self.live = None


__all__ = ["NAMESPACE", "Reads", "StoredObjects", "UnitCache", "file_digest", "folder_digest"]
