"""Source files and locations: every value ecrlint reports carries a Span."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from typing import BinaryIO

# Inputs larger than this are refused with ECR900 instead of read (ECRLINT_MAX_FILE_MB overrides).
MAX_FILE_BYTES = int(float(os.environ.get("ECRLINT_MAX_FILE_MB", "10")) * 1024 * 1024)


class UnreadableInput(OSError):
    """A file ecrlint will not read as text; message, line and column go into the ECR900 finding."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col

    def __str__(self) -> str:
        return self.message


def too_large(size: int) -> str:
    return f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB ({size} bytes)"


def open_regular(abspath: str, limit: int | None = MAX_FILE_BYTES) -> BinaryIO:
    """A file opened for binary reading, after checking that it is a regular file within `limit`.

    Opened without blocking and checked on the open descriptor: a FIFO or a device named like an
    input would otherwise hang the run, and a huge (even sparse) file would exhaust memory.
    Raises UnreadableInput (not a regular file, too large) or OSError.
    """
    fd = os.open(abspath, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableInput("not a regular file (a FIFO, device or socket is never read)")
        if limit is not None and info.st_size > limit:
            raise UnreadableInput(too_large(info.st_size))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes_limited(abspath: str, limit: int | None = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises UnreadableInput or OSError."""
    with open_regular(abspath, limit) as handle:
        data = handle.read(limit + 1) if limit is not None else handle.read()
    if limit is not None and len(data) > limit:  # it grew after the check
        raise UnreadableInput(too_large(len(data)))
    return data


def read_text_limited(abspath: str, errors: str = "strict") -> str:
    """`read_limited` without the NUL test: UTF-8 text (decoded with `errors`) of a regular file."""
    return read_bytes_limited(abspath).decode("utf-8", errors)


def content_digest(abspath: str) -> str | None:
    """A digest of what reading `abspath` gives ecrlint, for the unit cache; None when it cannot be opened.

    A file that is refused (too large, not a regular file) is never read, so its digest is that of
    its refusal: hashing it would read gigabytes or wait on a FIFO forever.
    """
    try:
        with open_regular(abspath) as handle:
            digest = hashlib.sha256()
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
            return digest.hexdigest()
    except UnreadableInput as err:
        return "refused:" + hashlib.sha256(err.message.encode()).hexdigest()
    except OSError:
        return None


def read_limited(abspath: str) -> str:
    """The UTF-8 text of a file; raises UnreadableInput (too large, not a regular file, binary,
    not UTF-8) or OSError."""
    return text_of(read_bytes_limited(abspath))


def text_of(data: bytes) -> str:
    """What `read_limited` gives for a file of these bytes; raises UnreadableInput (binary, not UTF-8)."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableInput("binary file (it contains NUL bytes), not text", *_position(data, nul))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableInput(f"not UTF-8 text (byte 0x{data[err.start]:02x})", *_position(data, err.start)) from None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a file; lines and columns are 1-based, the end is inclusive of its line."""

    path: str
    start_line: int
    start_col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, path: str, line: int, col: int) -> Span:
        return cls(path, line, col, line, col)

    def shifted(self, lines: int, first_line_cols: int = 0) -> Span:
        """This span moved down by `lines`; columns on the first line move by `first_line_cols`."""
        sc = self.start_col + (first_line_cols if self.start_line == 1 else 0)
        ec = self.end_col + (first_line_cols if self.end_line == 1 else 0)
        return Span(self.path, self.start_line + lines, sc, self.end_line + lines, ec)

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}:{self.start_col}"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file chosen by discovery: `path` is as shown to users, `abspath` is for reading."""

    path: str
    abspath: str
    kind: str  # terraform | terraform-json | tfplan | cloudformation | json | yaml | tfvars
    root: str = ""  # the scanned root this file was found under
    template_input: bool = False  # read by Terraform through file()/templatefile(): a template

    def read_text(self) -> str:
        return read_text_limited(self.abspath)
