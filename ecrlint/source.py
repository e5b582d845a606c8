"""Source files and locations: every value ecrlint reports carries a Span."""

from __future__ import annotations

from dataclasses import dataclass


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
