"""A fast scanner for the top-level blocks of an HCL file, without parsing expressions.

It respects strings (with `${...}` interpolations), heredocs and comments, so a `}` inside any
of them never closes a block. Used to find which resource a suppression comment belongs to,
and to pick the blocks worth a full parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*\r?\n")
_HEADER = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_-]*)((?:\s+(?:"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*))*)\s*\{')
_INTERESTING = re.compile(r'[{}"#/<]')
_LABEL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|([A-Za-z_][A-Za-z0-9_-]*)')


@dataclass(frozen=True)
class TopBlock:
    type: str
    labels: tuple[str, ...]
    start_line: int  # 1-based line of the block header
    end_line: int  # line of the closing brace
    start: int  # character offsets into the text
    end: int


class _Cursor:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1

    def advance_to(self, pos: int) -> None:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos


def _skip_string(text: str, pos: int) -> int:
    """From just after an opening quote to just after the closing one."""
    depth = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch == "\\":
            pos += 2
            continue
        if depth == 0:
            if ch == '"':
                return pos + 1
            if ch == "\n":
                return pos  # unterminated: stop at the line end
            if text.startswith("${", pos) or text.startswith("%{", pos):
                depth = 1
                pos += 2
                continue
        else:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == '"':
                pos = _skip_string(text, pos + 1)
                continue
        pos += 1
    return n


def _skip_trivia_and_literals(text: str, pos: int) -> tuple[int, str | None]:
    """Skip a comment, string or heredoc at `pos`; returns (new pos, None), or (pos, char) for code."""
    ch = text[pos]
    if ch == "#" or text.startswith("//", pos):
        end = text.find("\n", pos)
        return (len(text) if end < 0 else end), None
    if text.startswith("/*", pos):
        end = text.find("*/", pos + 2)
        return (len(text) if end < 0 else end + 2), None
    if ch == '"':
        return _skip_string(text, pos + 1), None
    if text.startswith("<<", pos):
        m = _HEREDOC.match(text, pos)
        if m:
            closing = re.compile(r"^[ \t]*" + re.escape(m.group(1)) + r"[ \t]*\r?$", re.M)
            end = closing.search(text, m.end())
            return (len(text) if end is None else end.end()), None
    return pos, ch


def scan_blocks(text: str) -> list[TopBlock]:
    """Top-level blocks in source order. Unbalanced input ends the scan early (the parser reports it)."""
    try:
        return _scan_blocks(text)
    except RecursionError:  # strings nested in interpolations thousands deep: leave it to the parser
        return []


def _scan_blocks(text: str) -> list[TopBlock]:
    blocks: list[TopBlock] = []
    n = len(text)
    pos = 0
    line_starts = [0]
    line_starts.extend(m.end() for m in re.finditer("\n", text))

    def line_of(offset: int) -> int:
        import bisect

        return bisect.bisect_right(line_starts, offset)

    while pos < n:
        ch = text[pos]
        if ch in " \t\r\n":
            pos += 1
            continue
        new_pos, code = _skip_trivia_and_literals(text, pos)
        if code is None:
            pos = new_pos
            continue
        header = _HEADER.match(text, pos)
        if header is None:
            # A top-level attribute (tfvars) or junk: skip the line.
            end = text.find("\n", pos)
            pos = n if end < 0 else end + 1
            continue
        labels = tuple(a or b for a, b in _LABEL.findall(header.group(2)))
        open_brace = header.end() - 1
        depth = 0
        scan = open_brace
        close = -1
        while scan < n:
            # Jump straight to the next character that can matter.
            m = _INTERESTING.search(text, scan)
            if m is None:
                break
            scan = m.start()
            new_pos, code = _skip_trivia_and_literals(text, scan)
            if code is None:
                scan = new_pos
                continue
            if code == "{":
                depth += 1
            elif code == "}":
                depth -= 1
                if depth == 0:
                    close = scan
                    break
            scan += 1
        if close < 0:
            break
        blocks.append(TopBlock(header.group(1), labels, line_of(pos), line_of(close), pos, close + 1))
        pos = close + 1
    return blocks
