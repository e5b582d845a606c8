"""A JSON parser that keeps the span of every value.

Python's json module drops positions, and findings must point into policies embedded in
heredocs, plan files and templates. The scanner is regex driven and iterative enough for
multi-megabyte plan files; nesting depth is limited.
"""

from __future__ import annotations

import bisect
import json as _json
import re
import sys

from ..source import Span
from ..values import Value, known
from . import MAX_DEPTH, ParseError

_WS = re.compile(r"[ \t\n\r]*")
# The "unrolled loop" form: runs of plain characters are matched without a backtracking entry
# per character, so a multi-megabyte string does not cost hundreds of bytes per character.
_STRING = re.compile(r'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}


class JsonError(ParseError):
    pass


class _Parser:
    def __init__(self, text: str, path: str, line_offset: int, collapse_to: Span | None, max_depth: int):
        self.text = text
        self.path = path
        self.line_offset = line_offset
        self.collapse_to = collapse_to
        self.max_depth = max_depth
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1 + self.line_offset, offset - self.line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        if self.collapse_to is not None:
            return self.collapse_to
        sl, sc = self.position(start)
        el, ec = self.position(max(start, end - 1))
        return Span(self.path, sl, sc, el, ec + 1)

    def fail(self, message: str, offset: int) -> JsonError:
        line, col = self.position(min(offset, len(self.text)))
        if self.collapse_to is not None:
            line, col = self.collapse_to.start_line, self.collapse_to.start_col
        return JsonError(message, line, col)

    def skip(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()

    def parse(self) -> Value:
        pos = self.skip(0)
        if pos >= len(self.text):
            raise self.fail("empty document", pos)
        value, pos = self.value(pos, 0)
        pos = self.skip(pos)
        if pos != len(self.text):
            raise self.fail("unexpected text after the JSON value", pos)
        return value

    def value(self, pos: int, depth: int) -> tuple[Value, int]:
        text = self.text
        if pos >= len(text):
            raise self.fail("unexpected end of input", pos)
        ch = text[pos]
        if ch == "{":
            return self.obj(pos, depth + 1)
        if ch == "[":
            return self.array(pos, depth + 1)
        if ch == '"':
            m = _STRING.match(text, pos)
            if not m:
                raise self.fail("invalid string", pos)
            # Interned: the same names, ARNs and actions recur across a tree's templates.
            return known(sys.intern(_json.loads(m.group())), self.span(pos, m.end())), m.end()
        m = _NUMBER.match(text, pos)
        if m and m.end() > pos:
            raw = m.group()
            if len(raw) > 400:  # Python refuses to convert huge integers; no ECR value is one
                raise self.fail("number literal too long", pos)
            number = float(raw) if any(c in raw for c in ".eE") else int(raw)
            return known(number, self.span(pos, m.end())), m.end()
        for word, data in _LITERALS.items():
            if text.startswith(word, pos):
                return known(data, self.span(pos, pos + len(word))), pos + len(word)
        raise self.fail(f"unexpected character {ch!r}", pos)

    def obj(self, start: int, depth: int) -> tuple[Value, int]:
        if depth > self.max_depth:
            raise self.fail(f"nesting deeper than {self.max_depth} levels", start)
        items: dict[str, Value] = {}
        pos = self.skip(start + 1)
        if self.text.startswith("}", pos):
            return known(items, self.span(start, pos + 1)), pos + 1
        while True:
            m = _STRING.match(self.text, pos)
            if not m:
                raise self.fail("expected a property name in double quotes", pos)
            key = sys.intern(_json.loads(m.group()))
            pos = self.skip(m.end())
            if not self.text.startswith(":", pos):
                raise self.fail("expected ':' after a property name", pos)
            value, pos = self.value(self.skip(pos + 1), depth)
            items[key] = value
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("}", pos):
                return known(items, self.span(start, pos + 1)), pos + 1
            raise self.fail("expected ',' or '}'", pos)

    def array(self, start: int, depth: int) -> tuple[Value, int]:
        if depth > self.max_depth:
            raise self.fail(f"nesting deeper than {self.max_depth} levels", start)
        items: list[Value] = []
        pos = self.skip(start + 1)
        if self.text.startswith("]", pos):
            return known(items, self.span(start, pos + 1)), pos + 1
        while True:
            value, pos = self.value(pos, depth)
            items.append(value)
            pos = self.skip(pos)
            if self.text.startswith(",", pos):
                pos = self.skip(pos + 1)
                continue
            if self.text.startswith("]", pos):
                return known(items, self.span(start, pos + 1)), pos + 1
            raise self.fail("expected ',' or ']'", pos)


def parse_json_value(
    text: str,
    path: str,
    *,
    line_offset: int = 0,
    origin: Span | None = None,
    max_depth: int = MAX_DEPTH,
) -> Value:
    """Parse JSON text into located Values.

    `line_offset` shifts lines for JSON embedded at a known line (heredocs); `origin` gives every
    node one span, for JSON inside a quoted string whose escapes make exact positions moot.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Parser(text, path, line_offset, origin, max_depth).parse()


def parse_embedded_json(value: Value) -> Value:
    """Parse JSON held in a str Value: exact positions for verbatim text, the value's span otherwise."""
    if value.text_line_offset is not None:
        return parse_json_value(value.data, value.span.path, line_offset=value.text_line_offset)
    return parse_json_value(value.data, value.span.path, origin=value.span)
