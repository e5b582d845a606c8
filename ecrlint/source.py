"""Source files and locations: every value ecrlint reports carries a Span."""

from __future__ import annotations

import os
from dataclasses import dataclass

# Inputs larger than this are refused with ECR900 instead of read (ECRLINT_MAX_FILE_MB overrides).
MAX_FILE_BYTES = int(float(os.environ.get("ECRLINT_MAX_FILE_MB", "10")) * 1024 * 1024)


class UnreadableInput(OSError):
    """A file ecrlint will not read as text; message, line and column go into the ECR900 finding."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col

    def __str__(self) -> str:
        return self.message


def read_limited(abspath: str) -> str:
    """The UTF-8 text of a file; raises UnreadableInput (too large, binary, not UTF-8) or OSError."""
    size = os.path.getsize(abspath)
    if size > MAX_FILE_BYTES:
        raise UnreadableInput(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB ({size} bytes)")
    with open(abspath, "rb") as handle:
        data = handle.read()
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

    def read_text(self) -> str:
        with open(self.abspath, encoding="utf-8") as handle:
            return handle.read()
