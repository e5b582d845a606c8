"""Pieces both HCL parsers share: folding template parts, and finding the end of `${...}`."""

from __future__ import annotations

from ..source import Span
from .hcl_ast import Expr, Literal, Template


def template_expr(span: Span, parts: list, directives: bool) -> Expr:
    merged: list = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    if not directives and len(merged) <= 1 and all(isinstance(p, str) for p in merged):
        return Literal(span, merged[0] if merged else "")
    if not directives and len(merged) == 1:
        return merged[0]  # "${x}" alone is x itself, keeping its type
    return Template(span, tuple(merged), directives)


def closing_brace(text: str, pos: int) -> int:
    depth = 0
    in_string = False
    while pos < len(text):
        ch = text[pos]
        if in_string:
            if ch == "\\":
                pos += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    return -1
