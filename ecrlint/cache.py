"""A content-addressed cache of runs, lifecycle searches, reference parses and compiled queries.

Entries are keyed by a hash of the content, what was done to it and ecrlint's version, and stored
as JSON (`ecrlint.serial`), never as pickles. Each entry carries an HMAC made with a random key
kept in the cache folder (mode 0600): an entry that is corrupt, from another version, does not
match its key or was not written by this cache is ignored, never trusted. Writes are atomic; a
cache that cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import __version__

_MISSING = object()


def default_directory() -> str:
    explicit = os.environ.get("ECRLINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ecrlint")


def content_key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in (__version__, *parts):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: str | None):
        self.directory = os.path.join(directory, f"v{__version__}") if directory else None
        self.memory: dict[tuple[str, str], Any] = {}
        self.hits = 0
        self.misses = 0
        self._secret: bytes | None = None

    def _key_material(self) -> bytes | None:
        """The secret that signs this cache's entries, created on first use."""
        if self._secret is None and self.directory is not None:
            path = os.path.join(self.directory, "secret")
            try:
                with open(path, "rb") as handle:
                    secret = handle.read()
                if len(secret) != 32:
                    raise OSError("bad secret")
            except OSError:
                try:
                    os.makedirs(self.directory, exist_ok=True)
                    secret = secrets.token_bytes(32)
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(secret)
                except OSError:
                    self.directory = None  # cannot keep a cache here: run without one
                    return None
            self._secret = secret
        return self._secret

    def _sign(self, text: str) -> str:
        return hmac.new(self._key_material() or b"", text.encode("utf-8", "surrogatepass"), "sha256").hexdigest()

    def _path(self, namespace: str, key: str) -> str:
        return os.path.join(self.directory, namespace, key[:2], key + ".json")

    def get(self, namespace: str, key: str) -> Any:
        """The cached object, or `MISSING`."""
        if (namespace, key) in self.memory:
            return self.memory[(namespace, key)]
        if self.directory is None:
            return _MISSING
        from .serial import DecodeError, decode

        try:
            if self._key_material() is None:
                return _MISSING
            with open(self._path(namespace, key), encoding="utf-8") as handle:
                signature, _, text = handle.read().partition("\n")
            if not hmac.compare_digest(signature, self._sign(text)):
                raise DecodeError("entry was not written by this cache")
            entry = json.loads(text)
            if entry.get("key") != key or entry.get("namespace") != namespace or entry.get("ecrlint") != __version__:
                raise DecodeError("entry does not match its key")
            value = decode(entry["data"])
        except (OSError, ValueError, KeyError, AttributeError, TypeError, RecursionError, DecodeError):
            self.misses += 1
            return _MISSING
        self.hits += 1
        if namespace not in FORGETFUL:
            self.memory[(namespace, key)] = value
        return value

    def forget(self, namespace: str) -> None:
        """Drop the in-memory copies of a namespace's entries (the files stay)."""
        for item in [k for k in self.memory if k[0] == namespace]:
            del self.memory[item]

    def put(self, namespace: str, key: str, value: Any, remember: bool = True, persist: bool = True) -> None:
        """Keep `value` in memory (`remember`) and on disk (`persist`)."""
        if remember:
            self.memory[(namespace, key)] = value
        if self.directory is None or not persist:
            return
        from .serial import encode

        try:
            data = encode(value)
        except (TypeError, RecursionError):
            return
        if self._key_material() is None:
            return
        path = self._path(namespace, key)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
            text = json.dumps({"ecrlint": __version__, "namespace": namespace, "key": key, "data": data})
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self._sign(text) + "\n" + text)
            os.replace(tmp, path)
        except (OSError, RecursionError):
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, UnboundLocalError):
                pass


MISSING = _MISSING
FORGETFUL = {"parse"}  # large entries, each used once per run: not kept in memory
_current = Cache(None)


def current() -> Cache:
    return _current


@contextmanager
def using(cache: Cache) -> Iterator[Cache]:
    """Make `cache` the one parsers and analyses consult for the duration of a run."""
    global _current
    previous, _current = _current, cache
    try:
        yield cache
    finally:
        _current = previous


def cached(namespace: str, key: str, compute):
    """`compute()`, remembered under (namespace, key) in the current cache."""
    cache = current()
    value = cache.get(namespace, key)
    if value is MISSING:
        value = compute()
        cache.put(namespace, key, value, remember=namespace not in FORGETFUL)
    return value
