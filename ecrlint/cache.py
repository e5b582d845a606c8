"""A content-addressed store of bytes: what is stored, and how it is encoded, is its users' business.

Entries are keyed by a hash of the content, what was done to it and ecrlint's version. The cached
things carry their own JSON codecs (model pieces, lifecycle answers), never pickles: an entry can at
worst fail to decode, which is a miss. Each entry carries an HMAC made with a random key
kept in the cache folder (mode 0600): an entry that is corrupt, from another version, does not
match its key or was not written by this cache is ignored, never trusted. Folders are made 0700;
a cache folder or secret that another user owns or can write to is not used at all (one warning),
and the secret is never read or written through a symbolic link. Writes are atomic (a new file in
the same folder, then a rename); a cache that cannot be written is simply not used. Entries no run
has used for 30 days are deleted, at most once a day, so the folder does not grow without end.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
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


class UntrustedCache(Exception):
    """A cache folder or secret another user could have written: the cache is not used."""


def _check_owned(path: str, info: os.stat_result, what: str) -> None:
    if os.name != "posix":
        return  # ownership and mode bits mean something else there
    if info.st_uid != os.geteuid():
        raise UntrustedCache(f"{what} {path} belongs to another user")
    if info.st_mode & 0o022:
        raise UntrustedCache(f"{what} {path} can be written by other users")


def _make_private(path: str) -> None:
    """`os.makedirs` with every folder it creates 0700 (its `mode` applies to the last one only)."""
    if os.path.isdir(path):
        return
    parent = os.path.dirname(path)
    if parent and parent != path:
        _make_private(parent)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass


def _secure_folder(path: str) -> None:
    """Create `path` (mode 0700) or check that only this user can write to it. Below a folder only
    this user can write to, nobody else can create or replace anything, so the entries' own folders
    need no check of their own."""
    _make_private(path)
    info = os.stat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise UntrustedCache(f"cache folder {path} is not a folder")
    _check_owned(path, info, "cache folder")


class Cache:
    """Bytes under (namespace, key): in memory for the run, and on disk when there is a folder."""

    def __init__(self, directory: str | None):
        self.root = directory
        self.directory = os.path.join(directory, f"v{__version__}") if directory else None
        self.memory: dict[tuple[str, str], bytes] = {}
        self.hits = 0
        self.misses = 0
        self._secret: bytes | None = None

    def _key_material(self) -> bytes | None:
        """The secret that signs this cache's entries, created on first use. A folder or secret that
        someone else could have written turns the cache off, with one warning: entries signed with a
        planted secret could turn findings into silence."""
        if self._secret is None and self.directory is not None:
            try:
                _secure_folder(self.root)
                _secure_folder(self.directory)
                self._secret = _read_secret(os.path.join(self.directory, "secret"))
            except UntrustedCache as err:
                sys.stderr.write(f"ecrlint: warning: cache not used: {err}\n")
                self.directory = None
            except OSError:
                self.directory = None  # cannot keep a cache here: run without one
        return self._secret

    def ready(self) -> bool:
        """Whether entries can be kept on disk; makes the secret now (before any process is forked,
        so that all of a run's processes sign with the same one)."""
        return self.directory is not None and self._key_material() is not None

    def _sign(self, data: bytes) -> bytes:
        return hmac.new(self._key_material() or b"", data, "sha256").hexdigest().encode("ascii")

    def _path(self, namespace: str, key: str) -> str:
        return os.path.join(self.directory, namespace, key[:2], key)

    def _header(self, namespace: str, key: str) -> bytes:
        return json.dumps({"ecrlint": __version__, "namespace": namespace, "key": key}).encode("utf-8")

    def get(self, namespace: str, key: str) -> bytes | None:
        """The bytes stored under (namespace, key), or None. An entry that is unreadable, not signed
        by this cache, or filed under another key or version is a miss."""
        data = self.memory.get((namespace, key))
        if data is not None or self.directory is None or self._key_material() is None:
            return data
        try:
            with open(self._path(namespace, key), "rb") as handle:
                signature, _, rest = handle.read().partition(b"\n")
            header, _, data = rest.partition(b"\n")
            if not hmac.compare_digest(signature, self._sign(rest)) or header != self._header(namespace, key):
                raise ValueError("entry was not written by this cache for this key")
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        _mark_used(self._path(namespace, key))
        return data

    def get_again(self, namespace: str, key: str) -> bytes | None:
        """The bytes of an entry this run has read with `get`, read again without checking its
        signature: for a caller that checks them against a digest it took of the first read."""
        data = self.memory.get((namespace, key))
        if data is not None or self.directory is None:
            return data
        try:
            with open(self._path(namespace, key), "rb") as handle:
                return handle.read().partition(b"\n")[2].partition(b"\n")[2]
        except OSError:
            return None

    def prune(self, now: float | None = None) -> int:
        """Delete the entries no run has used for `UNUSED_DAYS`, at most once a day; the number
        deleted. Entries are filed by the settings and code that made them, so without this a cache
        would keep every piece of every configuration and build it ever saw."""
        if not self.ready():
            return 0
        now = time.time() if now is None else now
        stamp = os.path.join(self.directory, "pruned")
        try:
            if now - os.stat(stamp).st_mtime < PRUNE_EVERY:
                return 0
        except OSError:
            pass
        cutoff = now - UNUSED_DAYS * 86400
        deleted = 0
        for namespace in _folders(self.directory):
            for bucket in _folders(namespace):
                for entry in os.scandir(bucket):
                    try:
                        if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                            os.unlink(entry.path)
                            deleted += 1
                    except OSError:
                        continue
        try:
            _write_atomically(stamp, b"")
        except OSError:
            pass
        return deleted

    def keep_newest(self, namespace: str, count: int) -> int:
        """Delete all but the `count` entries of `namespace` used last; the number deleted. For
        entries that are large and useful only while recent (a whole run's evaluation)."""
        if self.directory is None:
            return 0
        entries = []
        for bucket in _folders(os.path.join(self.directory, namespace)):
            try:
                with os.scandir(bucket) as listing:
                    for entry in listing:
                        if entry.is_file(follow_symlinks=False) and not entry.name.endswith(".tmp"):
                            entries.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
            except OSError:
                continue
        deleted = 0
        for _, path in sorted(entries, reverse=True)[count:]:
            try:
                os.unlink(path)
                deleted += 1
            except OSError:
                continue
        return deleted

    def forget(self, namespace: str) -> None:
        """Drop the in-memory copies of a namespace's entries (the files stay)."""
        for item in [k for k in self.memory if k[0] == namespace]:
            del self.memory[item]

    def put(self, namespace: str, key: str, data: bytes, remember: bool = True, persist: bool = True) -> None:
        """Keep `data` in memory for the run (`remember`) and on disk (`persist`)."""
        if remember:
            self.memory[(namespace, key)] = data
        if persist:
            self.put_stream(namespace, key, (data,))

    def put_stream(self, namespace: str, key: str, chunks: Iterable[bytes]) -> None:
        """Keep the concatenation of `chunks` on disk (not in memory), written as they come: a large
        entry never exists as one block in memory. An exception from `chunks` leaves no entry, and is
        raised."""
        if self.directory is None or self._key_material() is None:
            return
        path = self._path(namespace, key)
        header = self._header(namespace, key) + b"\n"
        signature = hmac.new(self._key_material() or b"", header, "sha256")
        placeholder = b"0" * signature.digest_size * 2

        def write(handle) -> None:
            handle.write(placeholder + b"\n" + header)
            for chunk in chunks:
                signature.update(chunk)
                handle.write(chunk)
            handle.seek(0)
            handle.write(signature.hexdigest().encode("ascii"))

        try:
            _make_private(os.path.dirname(path))
            _write_atomically(path, write)
        except OSError:
            pass

    def get_json(self, namespace: str, key: str) -> Any:
        """The JSON data stored under (namespace, key), or MISSING (unreadable JSON is a miss too)."""
        data = self.get(namespace, key)
        if data is None:
            return MISSING
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            return MISSING

    def put_json(self, namespace: str, key: str, value: Any, remember: bool = True, persist: bool = True) -> None:
        try:
            data = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError, RecursionError):
            return
        self.put(namespace, key, data, remember=remember, persist=persist)


UNUSED_DAYS = 30  # an entry no run has read or written for this long is deleted
PRUNE_EVERY = 86400  # seconds between two prunings


def _mark_used(path: str) -> None:
    """Stamp an entry as used now, so that pruning keeps it."""
    try:
        os.utime(path)
    except OSError:
        pass


def _folders(path: str) -> list[str]:
    """The folders directly in `path` (never through a symbolic link)."""
    try:
        return sorted(e.path for e in os.scandir(path) if e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _read_secret(path: str) -> bytes:
    """The secret at `path`, made when missing or damaged. Never read through a symbolic link, and
    only from a regular file no other user can read or write."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return _new_secret(path)
    except OSError as err:
        if err.errno == errno.ELOOP or os.path.islink(path):
            raise UntrustedCache(f"cache secret {path} is a symbolic link") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedCache(f"cache secret {path} is not a regular file")
        _check_owned(path, info, "cache secret")
        if os.name == "posix" and info.st_mode & 0o077:
            raise UntrustedCache(f"cache secret {path} can be read by other users")
        secret = handle.read(33)
    return secret if len(secret) == 32 else _new_secret(path)


def _new_secret(path: str) -> bytes:
    secret = secrets.token_bytes(32)
    _write_atomically(path, secret)
    return secret


def _write_atomically(path: str, *parts) -> None:
    """Write `parts` (bytes, or a function that writes to the open file) to a new file (mode 0600)
    in the same folder, then rename it over `path`: a reader sees the old file or the new one, and
    a symbolic link at `path` is replaced, never followed."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                if callable(part):
                    part(handle)
                else:
                    handle.write(part)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


MISSING = _MISSING
_current = Cache(None)


def current() -> Cache:
    return _current


@contextmanager
def using(cache: Cache) -> Iterator[Cache]:
    """Make `cache` the one the run's parts consult for the duration of a run."""
    global _current
    previous, _current = _current, cache
    try:
        yield cache
    finally:
        _current = previous
