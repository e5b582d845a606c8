"""The fast HCL parser against the reference grammar (python-hcl2), and its spans against the text."""

from __future__ import annotations

import os
from dataclasses import fields, is_dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.parse import ParseError
from ecrlint.parse.hcl import parse_hcl_reference
from ecrlint.parse.hcl_ast import Expr, Literal, UnaryOp
from ecrlint.parse.hcl_native import parse_hcl_native

from .conftest import ROOT, SHARED


def shape(node, positions=True):
    """A comparable form of a tree: structure, values and start positions.

    End positions are left out here: the reference grammar stretches some of them over
    trailing newlines; `test_spans_slice_back_to_the_same_expression` checks ends exactly.
    """
    if is_dataclass(node) and not isinstance(node, type):
        if type(node).__name__ == "Span":
            return (node.start_line, node.start_col) if positions else None
        if isinstance(node, UnaryOp) and node.op == "-" and isinstance(node.operand, Literal):
            # The reference grammar lexes "-10" as one literal in some places: the same value.
            if isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
                return ("Literal", ("span", shape(node.span, positions)), ("value", -node.operand.value))
        return (type(node).__name__,) + tuple((f.name, shape(getattr(node, f.name), positions)) for f in fields(node))
    if isinstance(node, (list, tuple)):
        return tuple(shape(x, positions) for x in node)
    if isinstance(node, dict):
        return tuple(sorted((k, shape(v, positions)) for k, v in node.items()))
    return node


def _tf_files():
    roots = [os.path.join(ROOT, "examples"), os.path.join(ROOT, "rules"), os.path.join(SHARED, "corpus", "real")]
    for root in roots:
        for dirpath, _, names in os.walk(root):
            for name in sorted(names):
                if name.endswith(".tf"):
                    yield os.path.join(dirpath, name)


@pytest.mark.parametrize("path", sorted(_tf_files()), ids=lambda p: os.path.relpath(p, os.path.dirname(ROOT)))
def test_fast_parser_agrees_with_reference(path):
    text = open(path, encoding="utf-8").read()
    try:
        reference = parse_hcl_reference(text, "f.tf")
    except ParseError:
        with pytest.raises(ParseError):
            parse_hcl_native(text, "f.tf")
        return
    assert shape(parse_hcl_native(text, "f.tf")) == shape(reference)


# -- generated expressions ---------------------------------------------------------------------

NAMES = st.sampled_from(["var.name", "local.repos", "each.key", "aws_ecr_repository.app.name", "count.index", "x"])
SCALARS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.sampled_from(["true", "false", "null", "1.5", '"MUTABLE"', '""', '"a\\"b"', '"$${literal}"']),
    NAMES,
    NAMES.map(lambda n: f'"prefix-${{{n}}}-suffix"'),
)


def _combine(children):
    return st.one_of(
        st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(["a", "b_c", '"quoted key"']), children), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}"
        ),
        st.tuples(st.sampled_from(["lower", "merge", "jsonencode", "format"]), st.lists(children, max_size=3)).map(
            lambda fa: f"{fa[0]}({', '.join(fa[1])})"
        ),
        st.tuples(children, st.sampled_from(["==", "!=", "&&", "||", "+", "*", "<"]), children).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"
        ),
        st.tuples(children, children, children).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        children.map(lambda c: f"({c})"),
        children.map(lambda c: f"!{c}"),
        children.map(lambda c: f"[for v in {c} : v]"),
        children.map(lambda c: f"{{ for k, v in {c} : k => v }}"),
        children.map(lambda c: f"{c}[0]"),
    )


EXPRESSIONS = st.recursive(SCALARS, _combine, max_leaves=12)
FAST = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


@FAST
@given(EXPRESSIONS)
def test_generated_expressions_parse_alike(expression):
    text = f'resource "aws_ecr_repository" "r" {{\n  value = {expression}\n}}\n'
    try:
        reference = parse_hcl_reference(text, "f.tf")
    except ParseError:
        return  # the generator can build things HCL rejects (e.g. an object key that is a call)
    assert shape(parse_hcl_native(text, "f.tf")) == shape(reference)


def _subexpressions(node):
    if isinstance(node, Expr):
        yield node
    if is_dataclass(node):
        for f in fields(node):
            yield from _subexpressions(getattr(node, f.name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _subexpressions(item)


def _slice(lines, span):
    if span.start_line == span.end_line:
        return lines[span.start_line - 1][span.start_col - 1 : span.end_col - 1]
    first = lines[span.start_line - 1][span.start_col - 1 :]
    middle = lines[span.start_line : span.end_line - 1]
    last = lines[span.end_line - 1][: span.end_col - 1]
    return "\n".join([first, *middle, last])


@FAST
@given(EXPRESSIONS)
def test_spans_slice_back_to_the_same_expression(expression):
    text = f"value = {expression}\n"
    try:
        body = parse_hcl_native(text, "f.tf")
    except ParseError:
        return
    lines = text.split("\n")
    for node in _subexpressions(body.attributes["value"].expr):
        piece = _slice(lines, node.span)
        if isinstance(node, Literal) and piece.isidentifier() and piece not in ("true", "false", "null"):
            continue  # a bare object key: a name standing for its own text

        try:
            again = parse_hcl_native(f"value = {piece}\n", "f.tf").attributes["value"].expr
        except ParseError as err:  # a bare object key or a template part is not an expression alone
            if "key" in str(err) or piece.count('"') % 2:
                continue
            raise AssertionError(f"span text {piece!r} of {type(node).__name__} does not parse: {err}") from None
        assert shape(again, positions=False) == shape(node, positions=False), piece
