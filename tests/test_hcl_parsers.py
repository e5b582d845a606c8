"""ecrlint's HCL reading (tree-sitter) against the reference grammar (python-hcl2), and its spans against the text."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields, is_dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.parse import ParseError
from ecrlint.parse.hcl_ast import Call, Conditional, Expr, Literal, Template, UnaryOp, Variable
from ecrlint.parse.hcl_tree import parse_hcl, parse_template_text

from .conftest import ROOT, SHARED
from .hcl2_reference import parse_hcl_reference


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


TF_FILES = sorted(_tf_files())


@pytest.mark.parametrize("path", TF_FILES, ids=lambda p: os.path.relpath(p, os.path.dirname(ROOT)))
def test_tree_sitter_agrees_with_reference(path):
    text = open(path, encoding="utf-8").read()
    try:
        reference = parse_hcl_reference(text, "f.tf")
    except ParseError:
        with pytest.raises(ParseError):
            parse_hcl(text, "f.tf")
        return
    assert shape(parse_hcl(text, "f.tf")) == shape(reference)


def test_the_comparison_reads_real_files():
    """The differential test above compares trees, not only that both sides fail."""
    assert len(TF_FILES) > 20
    parsed = [p for p in TF_FILES[:40] if _parses(p)]
    assert len(parsed) > 20
    body = parse_hcl(open(parsed[0], encoding="utf-8").read(), "f.tf")
    assert body.blocks or body.attributes


def _parses(path: str) -> bool:
    try:
        parse_hcl_reference(open(path, encoding="utf-8").read(), "f.tf")
    except ParseError:
        return False
    return True


# -- generated expressions ---------------------------------------------------------------------

NAMES = st.sampled_from(["var.name", "local.repos", "each.key", "aws_ecr_repository.app.name", "count.index", "x"])
SCALARS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.sampled_from(["true", "false", "null", "1.5", '"MUTABLE"', '""', '"a\\"b"', '"$${literal}"', '"é${x}ü"']),
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
        children.map(lambda c: f"{c}[*].id"),
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
    assert shape(parse_hcl(text, "f.tf")) == shape(reference)


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
        body = parse_hcl(text, "f.tf")
    except ParseError:
        return
    lines = text.split("\n")
    for node in _subexpressions(body.attributes["value"].expr):
        piece = _slice(lines, node.span)
        if isinstance(node, Literal) and piece.isidentifier() and piece not in ("true", "false", "null"):
            continue  # a bare object key: a name standing for its own text

        try:
            again = parse_hcl(f"value = {piece}\n", "f.tf").attributes["value"].expr
        except ParseError as err:  # a bare object key or a template part is not an expression alone
            if "key" in str(err) or piece.count('"') % 2:
                continue
            raise AssertionError(f"span text {piece!r} of {type(node).__name__} does not parse: {err}") from None
        assert shape(again, positions=False) == shape(node, positions=False), piece


# -- positions, templates and errors -----------------------------------------------------------


def test_columns_count_characters_not_bytes():
    text = 'tags = { Name = "déjà vu", Other = x }\n'
    body = parse_hcl(text, "f.tf")
    (_, name), (_, other) = body.attributes["tags"].expr.items
    assert name.value == "déjà vu" and name.span.end_col == text.index('",') + 2
    assert (other.span.start_line, other.span.start_col) == (1, text.index("x }") + 1)
    assert other.span.end_col == text.index(" }") + 2  # a name runs on over the space after it, as before


def test_columns_after_non_ascii_in_a_template_and_on_a_later_line():
    text = 'a = "ü€${var.x}"\nb = "😀" # ü\nc = { k = "𝄞", v = local.y }\n'
    body = parse_hcl(text, "f.tf")
    template = body.attributes["a"].expr
    assert isinstance(template, Template) and template.parts[0] == "ü€"
    assert template.parts[1].span.start_col == text.index("var.x") + 1
    assert body.attributes["b"].span.end_col == len('b = "😀" # ü') + 1
    value = body.attributes["c"].expr.items[1][1]
    assert value.span.start_col == len('c = { k = "𝄞", v = ') + 1


def test_heredocs_keep_text_and_file_positions():
    text = 'x = 1\npolicy = <<-EOT\n    {\n      "a": "${var.name}",\n      "b": "$${literal}"\n    }\n    EOT\n'
    attribute = parse_hcl(text, "f.tf").attributes["policy"]
    template = attribute.expr
    assert isinstance(template, Template) and template.text_line_offset == 2
    assert template.parts[0] == '{\n  "a": "'
    assert template.parts[2] == '",\n  "b": "${literal}"\n}\n'
    reference = template.parts[1]
    # The file's own line and column, not the column in the dedented text.
    assert (reference.span.start_line, reference.span.start_col) == (4, text.splitlines()[3].index("var") + 1)
    assert (template.span.end_line, template.span.end_col) == (7, 8)


def test_plain_heredoc_and_directives():
    text = (
        'a = <<EOF\n  %{ if var.on }on ${var.x}%{ else }off%{ endif }\nEOF\nb = "x%{ for i in var.l }${i}%{ endfor }"\n'
    )
    body = parse_hcl(text, "f.tf")
    a = body.attributes["a"].expr
    assert a.has_directives and a.parts[0] == "  on " and a.parts[2] == "off\n"
    assert isinstance(a.parts[1], Expr)
    b = body.attributes["b"].expr
    assert b.has_directives and b.parts[0] == "x"


def test_escapes_in_quoted_strings():
    text = r'a = "tab\there \"q\" \u00e9 \\ $${x}"' + "\n"
    assert parse_hcl(text, "f.tf").attributes["a"].expr.value == 'tab\there "q" é \\ ${x}'


def test_chained_conditionals_group_to_the_right():
    expr = parse_hcl("a = x ? 1 : y ? 2 : 3\n", "f.tf").attributes["a"].expr
    assert isinstance(expr, Conditional) and expr.condition_text == "x"
    assert isinstance(expr.false, Conditional) and expr.false.condition_text == "y"
    assert expr.false.span.start_col == 13


def test_negative_number_is_one_literal():
    expr = parse_hcl("a = [-10, - 2]\n", "f.tf").attributes["a"].expr
    assert isinstance(expr.items[0], Literal) and expr.items[0].value == -10
    assert isinstance(expr.items[1], UnaryOp)


def test_provider_function_call():
    expr = parse_hcl('a = provider::aws::arn_parse("x")\n', "f.tf").attributes["a"].expr
    assert isinstance(expr, Call) and expr.name == "provider::aws::arn_parse"


@pytest.mark.parametrize(
    "text,line,col,words",
    [
        (
            'resource "a" "b" {\n  name = "x"\n  mutability = \n}\n',
            3,
            16,
            "expected an expression, found the end of the line",
        ),
        ('resource "a" "b" {\n  name = "x"\n', 3, 1, "a block is not closed"),
        ("a = 1 b = 2\n", 1, 7, "newline"),
        ("a =\n  1\n", 1, 4, "expected an expression"),
        ('resource "a" "b"\n{\n}\n', 1, 17, "expected '{'"),
        ('variable\n"x" {\n}\n', 1, 9, "expected '{'"),
        ('resource "a" "${var.x}" {\n}\n', 1, 14, "plain strings"),
        ('a = "abc\nb = 1\n', 1, 9, "strings cannot span lines"),
        ('a = "x\ny"\n', 1, 7, "strings cannot span lines"),
        ("a = 0x10\n", 1, 6, "unexpected"),
        ('a = "${}"\n', 1, 8, "unexpected '}'"),
        ("a = b\n.c\n", 2, 1, "unexpected '.'"),
        ("a = 1\n- 2\n", 2, 1, "unexpected '-'"),
        ('a = "a\\x"\n', 1, 7, "invalid escape sequence"),
    ],
)
def test_errors_have_a_line_and_column(text, line, col, words):
    with pytest.raises(ParseError) as caught:
        parse_hcl(text, "f.tf")
    assert (caught.value.line, caught.value.col) == (line, col), caught.value.message
    assert words in caught.value.message


def test_continued_operator_on_the_next_line_is_one_expression():
    expr = parse_hcl("a = var.x\n  || var.y\n", "f.tf").attributes["a"].expr
    assert expr.op == "||"


def test_deep_nesting_is_refused_not_recursed():
    with pytest.raises(ParseError) as caught:
        parse_hcl("a = " + "[" * 3000 + "]" * 3000 + "\n", "f.tf")
    assert "deeper" in caught.value.message


def test_template_text_positions():
    parts, directives = parse_template_text("pre ${var.a} mid\nnext ${var.b}", "f.tf.json", 5, 10)
    assert not directives and parts[0] == "pre " and parts[2] == " mid\nnext "
    assert (parts[1].span.start_line, parts[1].span.start_col) == (5, 10 + 6)
    assert (parts[3].span.start_line, parts[3].span.start_col) == (6, 8)


def test_template_text_that_holds_the_marker_word():
    parts, _ = parse_template_text("ECRLINT_TEMPLATE_TEXT\n${x}", "f", 1)
    assert parts[0] == "ECRLINT_TEMPLATE_TEXT\n" and isinstance(parts[1], Variable)


def test_tree_sitter_is_imported_only_to_read_terraform():
    code = (
        "import sys, ecrlint.cli, ecrlint.terraform.loader, ecrlint.parse.hcl_tree; print('tree_sitter' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
