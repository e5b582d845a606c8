"""Terraform JSON syntax (`.tf.json`) to the same located syntax tree as `.tf` files.

JSON carries no schema, so an object-valued key inside a resource is both an attribute (for
map arguments such as `tags`) and a nested block (for `encryption_configuration`); each reader
asks for the shape it expects. Strings are templates: `${...}` parts are parsed as HCL.
"""

from __future__ import annotations

from ..parse import ParseError
from ..parse.hcl_ast import Attribute, Block, Body, Expr, Literal, ObjectExpr, Template, TupleExpr
from ..parse.hcl_tree import parse_template_text
from ..parse.json import JsonError, parse_json_value
from ..values import Value

# How many labels each top-level block type takes.
_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1, "locals": 0}


def _expr(value: Value, path: str) -> Expr:
    data = value.data
    if isinstance(data, str):
        if "${" not in data:
            return Literal(value.span, data)
        parts, directives = parse_template_text(data, path, value.span.start_line, value.span.start_col + 1)
        if len(parts) == 1 and not isinstance(parts[0], str) and not directives:
            return parts[0]
        return Template(value.span, tuple(parts), directives)
    if isinstance(data, list):
        return TupleExpr(value.span, tuple(_expr(v, path) for v in data))
    if isinstance(data, dict):
        return ObjectExpr(value.span, tuple((Literal(value.span, k), _expr(v, path)) for k, v in data.items()))
    return Literal(value.span, data)


def _body(value: Value, path: str, depth: int = 0) -> Body:
    attributes: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for key, item in value.items():
        if key == "//":
            continue
        attributes[key] = Attribute(key, _expr(item, path), item.span)
        if depth < 20:
            for element in item.elements():
                if element.is_map:
                    blocks.append(Block(key, (), _body(element, path, depth + 1), element.span))
    return Body(attributes, tuple(blocks))


def _labelled(kind: str, value: Value, labels: tuple[str, ...], path: str, out: list[Block]) -> None:
    wanted = _LABELS[kind]
    if len(labels) == wanted:
        for element in value.elements():
            if element.is_map:
                out.append(Block(kind, labels, _body(element, path), element.span))
        return
    for element in value.elements():
        for key, inner in element.items():
            _labelled(kind, inner, (*labels, key), path, out)


def parse_tf_json(text: str, path: str) -> Body:
    try:
        root = parse_json_value(text, path)
    except JsonError as err:
        raise ParseError(f"invalid JSON: {err.message}", err.line, err.col) from None
    if not root.is_map:
        raise ParseError("a .tf.json file must hold a JSON object", root.span.start_line, root.span.start_col)
    blocks: list[Block] = []
    for kind, value in root.items():
        if kind in _LABELS:
            _labelled(kind, value, (), path, blocks)
    return Body({}, tuple(blocks))
