"""The reference reading of HCL for tests: python-hcl2's grammar, converted to located `hcl_ast` nodes.

python-hcl2 is a lark LALR parser that keeps positions; its dictionary output loses them, so
the lark tree is converted here instead. ecrlint reads HCL with tree-sitter; the tests compare
the two on every `.tf` file they can find.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ecrlint.parse import MAX_DEPTH, ParseError
from ecrlint.parse.hcl_ast import (
    Attribute,
    BinaryOp,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Splat,
    Template,
    TupleExpr,
    UnaryOp,
    Variable,
)
from ecrlint.parse.hcl_tree import template_expr as _template
from ecrlint.source import Span

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)")
_HEREDOC_RE = re.compile(r"<<(-?)([a-zA-Z][a-zA-Z0-9._-]*)\r?\n(.*?)[ \t]*\2\r?\n?$", re.S)


@lru_cache(maxsize=1)
def _parser():
    from hcl2.parser import parser

    return parser()


def _unescape(text: str) -> str:
    def sub(m: re.Match) -> str:
        code = m.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)

    return _ESCAPE_RE.sub(sub, text) if "\\" in text else text


class _Converter:
    def __init__(self, path: str, text: str, line_offset: int = 0, col_offset: int = 0, shift: int = 0):
        self.path = path
        self.text = text
        self.line_offset = line_offset
        self.col_offset = col_offset  # applies to line 1 only (expressions parsed out of heredocs)
        self.shift = shift  # applies to the other lines (the indentation a `<<-` heredoc took away)

    # -- positions ------------------------------------------------------------------------
    def _col(self, line: int, col: int) -> int:
        return col + self.col_offset if line == 1 else col + self.shift

    def span(self, node) -> Span:
        meta = getattr(node, "meta", node)
        line, col = meta.line, meta.column
        end_line, end_col = meta.end_line, meta.end_column
        return Span(
            self.path,
            line + self.line_offset,
            self._col(line, col),
            end_line + self.line_offset,
            self._col(end_line, end_col),
        )

    def source(self, node) -> str:
        meta = getattr(node, "meta", node)
        return self.text[meta.start_pos : meta.end_pos]

    # -- structure -------------------------------------------------------------------------
    def body(self, tree, depth: int = 0) -> Body:
        if depth > MAX_DEPTH:
            raise ParseError(f"blocks nested deeper than {MAX_DEPTH} levels", *self._start(tree))
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child in tree.children:
            data = getattr(child, "data", None)
            if data == "attribute":
                attr = self.attribute(child, depth)
                attributes[attr.name] = attr
            elif data == "block":
                blocks.append(self.block(child, depth))
        return Body(attributes, tuple(blocks))

    def _start(self, node) -> tuple[int, int]:
        meta = getattr(node, "meta", node)
        return getattr(meta, "line", 1) + self.line_offset, getattr(meta, "column", 1)

    def _name(self, node) -> str:
        data = getattr(node, "data", None)
        if data == "string":
            return "".join(
                _unescape(str(p.children[0])) for p in node.children if getattr(p, "data", None) == "string_part"
            )
        if data in ("identifier", "keyword", "literal_value"):
            return str(node.children[0])
        return str(node)

    def attribute(self, tree, depth: int) -> Attribute:
        name_node, _eq, expr = tree.children
        return Attribute(self._name(name_node), self.expr(expr, depth), self.span(tree))

    def block(self, tree, depth: int) -> Block:
        names = []
        body = None
        for child in tree.children:
            data = getattr(child, "data", None)
            if data in ("identifier", "keyword", "literal_value", "string"):
                names.append(self._name(child))
            elif data == "body":
                body = self.body(child, depth + 1)
        return Block(names[0], tuple(names[1:]), body or Body(), self.span(tree))

    # -- expressions -----------------------------------------------------------------------
    def expr(self, node, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise ParseError(f"expression nested deeper than {MAX_DEPTH} levels", *self._start(node))
        depth += 1
        data = getattr(node, "data", None)
        handler = getattr(self, "_" + str(data), None)
        if handler is None:
            raise ParseError(f"unsupported HCL construct {data}", *self._start(node))
        return handler(node, depth)

    def _subtrees(self, node):
        return [c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]

    def _expr_term(self, node, depth):
        inner = self._subtrees(node)
        return self.expr(inner[0], depth)

    def _literal_value(self, node, depth):
        word = str(node.children[0])
        return Literal(self.span(node), {"true": True, "false": False, "null": None}[word])

    def _int_lit(self, node, depth):
        text = str(node.children[0])
        if len(text) > 400:
            raise ParseError("number literal too long", *self._start(node))
        return Literal(self.span(node), int(text))

    def _float_lit(self, node, depth):
        return Literal(self.span(node), float(str(node.children[0])))

    def _identifier(self, node, depth):
        return Variable(self.span(node), str(node.children[0]))

    def _keyword(self, node, depth):
        return Variable(self.span(node), str(node.children[0]))

    def _string(self, node, depth):
        parts: list = []
        directives = False
        for part in node.children:
            if getattr(part, "data", None) != "string_part":
                continue
            inner = part.children[0]
            if hasattr(inner, "data"):
                if inner.data == "interpolation":
                    parts.append(self.expr(self._subtrees(inner)[0], depth))
                else:
                    directives = True
            else:
                kind = inner.type
                raw = str(inner)
                if kind == "ESCAPED_INTERPOLATION":
                    parts.append(raw[1:])  # $${x} is a literal ${x}
                elif kind == "ESCAPED_DIRECTIVE":
                    parts.append(raw[1:])
                else:
                    parts.append(_unescape(raw))
        return _template(self.span(node), parts, directives)

    def _template_string(self, node, depth):
        return Literal(self.span(node), _unescape(str(node.children[0])[2:-2]))

    def _heredoc_template(self, node, depth):
        return self._heredoc(node, depth)

    def _heredoc_template_trim(self, node, depth):
        return self._heredoc(node, depth)

    def _heredoc(self, node, depth):
        token = node.children[0]
        raw = str(token)
        m = _HEREDOC_RE.match(raw)
        span = self.span(node)
        if not m:
            return Literal(span, raw)
        strip, body = m.group(1) == "-", m.group(3)
        cut = 0
        if strip:
            lines = body.split("\n")
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
            cut = min(indents) if indents else 0
            body = "\n".join(ln[cut:] for ln in lines)
        body_line = span.start_line + 1  # the body starts on the line after <<EOF
        parts, directives = split_template(body, self.path, body_line, depth, cut)
        template = _template(span, parts, directives)
        if isinstance(template, Template):
            return Template(span, template.parts, template.has_directives, text_line_offset=body_line - 1)
        return Template(span, (template.value,), False, text_line_offset=body_line - 1)

    def _tuple(self, node, depth):
        return TupleExpr(self.span(node), tuple(self.expr(c, depth) for c in self._subtrees(node)))

    def _object(self, node, depth):
        items = []
        for elem in self._subtrees(node):
            key_node, _sep, value_node = elem.children
            key_inner = self._subtrees(key_node)[0] if self._subtrees(key_node) else key_node.children[0]
            key = self._object_key(key_inner, depth)
            items.append((key, self.expr(value_node, depth)))
        return ObjectExpr(self.span(node), tuple(items))

    def _object_key(self, node, depth) -> Expr:
        # A bare identifier as an object key is a string, not a variable reference.
        data = getattr(node, "data", None)
        if data == "expr_term":
            inner = self._subtrees(node)
            if len(inner) == 1 and inner[0].data == "identifier" and len(node.children) == 1:
                return Literal(self.span(inner[0]), str(inner[0].children[0]))
        if data in ("identifier", "keyword"):
            return Literal(self.span(node), str(node.children[0]))
        if not hasattr(node, "data"):
            return Literal(self.span(node), str(node))
        return self.expr(node, depth)

    def _function_call(self, node, depth):
        idents = [c for c in node.children if getattr(c, "data", None) == "identifier"]
        name = "::".join(str(i.children[0]) for i in idents)
        args: list[Expr] = []
        expand = False
        for child in node.children:
            if getattr(child, "data", None) == "arguments":
                args = [self.expr(a, depth) for a in self._subtrees(child)]
                expand = any(getattr(t, "type", None) == "ELLIPSIS" for t in child.children)
        return Call(self.span(node), name, tuple(args), expand)

    def _get_attr_expr_term(self, node, depth):
        target, get_attr = node.children
        return GetAttr(self.span(node), self.expr(target, depth), self._attr_name(get_attr))

    def _attr_name(self, get_attr) -> str:
        return self._name(self._subtrees(get_attr)[0])

    def _index_expr_term(self, node, depth):
        target, index = node.children
        return Index(self.span(node), self.expr(target, depth), self._index_key(index, depth))

    def _index_key(self, index, depth) -> Expr:
        if index.data == "short_index":
            token = index.children[-1]
            return Literal(self.span(index), int(str(token)))
        return self.expr(self._subtrees(index)[0], depth)

    def _splat(self, node, depth):
        target, splat = node.children
        steps = []
        for step in self._subtrees(splat):
            if step.data == "get_attr":
                steps.append(("attr", self._attr_name(step)))
            else:
                steps.append(("index", self._index_key(step, depth)))
        return Splat(self.span(node), self.expr(target, depth), tuple(steps))

    _attr_splat_expr_term = _splat
    _full_splat_expr_term = _splat

    def _conditional(self, node, depth):
        cond, true, false = self._subtrees(node)
        return Conditional(
            self.span(node),
            self.expr(cond, depth),
            self.expr(true, depth),
            self.expr(false, depth),
            " ".join(self.source(cond).split()),
        )

    def _binary_op(self, node, depth):
        left, term = self._subtrees(node)[:2]
        operator = self._subtrees(term)[0]
        right = self._subtrees(term)[1]
        op = str(operator.children[0]).strip()
        return BinaryOp(self.span(node), op, self.expr(left, depth), self.expr(right, depth))

    def _unary_op(self, node, depth):
        op = str(node.children[0]).strip()
        return UnaryOp(self.span(node), op, self.expr(node.children[1], depth))

    def _for_tuple_expr(self, node, depth):
        return self._for(node, depth, is_object=False)

    def _for_object_expr(self, node, depth):
        return self._for(node, depth, is_object=True)

    def _for(self, node, depth, is_object):
        intro = next(c for c in node.children if getattr(c, "data", None) == "for_intro")
        names = [str(c.children[0]) for c in intro.children if getattr(c, "data", None) == "identifier"]
        collection = self.expr(self._subtrees(intro)[-1], depth)
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        exprs = [c for c in self._subtrees(node) if c.data not in ("for_intro", "for_cond")]
        cond_node = next((c for c in node.children if getattr(c, "data", None) == "for_cond"), None)
        condition = self.expr(self._subtrees(cond_node)[0], depth) if cond_node is not None else None
        grouping = any(getattr(t, "type", None) == "ELLIPSIS" for t in node.children)
        if is_object:
            key, value = self.expr(exprs[0], depth), self.expr(exprs[1], depth)
        else:
            key, value = None, self.expr(exprs[0], depth)
        return ForExpr(self.span(node), key_var, value_var, collection, key, value, condition, is_object, grouping)


def split_template(text: str, path: str, first_line: int, depth: int = 0, cut: int = 0) -> tuple[list, bool]:
    """Split heredoc text into literal strings and parsed `${...}` expressions; `cut` is the
    indentation a `<<-` heredoc removed from each line, added back to columns."""
    parts: list = []
    directives = False
    pos = 0
    literal = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    while pos < len(text):
        if text.startswith("$${", pos) or text.startswith("%%{", pos):
            literal.append(text[pos + 1 : pos + 3])
            pos += 3
            continue
        if text.startswith("${", pos) or text.startswith("%{", pos):
            end = _closing_brace(text, pos + 2)
            if end < 0:
                literal.append(text[pos:])
                break
            if text[pos] == "%":
                directives = True
            else:
                if literal:
                    parts.append("".join(literal))
                    literal = []
                inner = text[pos + 2 : end]
                line_index = sum(1 for s in line_starts if s <= pos + 2) - 1
                col = pos + 2 - line_starts[line_index] + 1
                parts.append(parse_expression(inner, path, first_line + line_index, col + cut, depth + 1, cut))
            pos = end + 1
            continue
        literal.append(text[pos])
        pos += 1
    if literal:
        parts.append("".join(literal))
    return parts, directives


def parse_expression(text: str, path: str, line: int, col: int, depth: int = 0, shift: int = 0) -> Expr:
    """Parse one expression written at (line, col) of `path`."""
    from lark.exceptions import LarkError

    prefix = "x = "
    source = f"{prefix}{text.strip()}\n"
    lead = len(text) - len(text.lstrip())
    try:
        tree = _parser().parse(source)
    except LarkError as err:
        raise ParseError(f"invalid expression in template: {_lark_message(err)}", line, col) from None
    attribute = tree.children[0].children[0]
    if getattr(attribute, "data", None) != "attribute":
        attribute = next(c for c in tree.children[0].children if getattr(c, "data", None) == "attribute")
    converter = _Converter(path, source, line_offset=line - 1, col_offset=col - 1 + lead - len(prefix), shift=shift)
    return converter.expr(attribute.children[2], depth)


def _lark_message(err) -> str:
    token = getattr(err, "token", None)
    if token is not None:
        shown = str(token).strip() or repr(str(token))
        if getattr(token, "type", "") == "$END":
            return "unexpected end of file"
        return f"unexpected {shown[:40]!r}"
    char = getattr(err, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return str(err).splitlines()[0][:120]


def parse_hcl_reference(text: str, path: str) -> Body:
    """Parse with python-hcl2's lark grammar (slower; the reference the fast parser is tested against)."""
    from lark.exceptions import LarkError

    if not text.endswith("\n"):
        text += "\n"
    try:
        tree = _parser().parse(text)
    except LarkError as err:
        line = getattr(err, "line", 1) or 1
        col = getattr(err, "column", 1) or 1
        raise ParseError(f"invalid HCL: {_lark_message(err)}", line, col) from None
    except RecursionError:
        raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", 1, 1) from None
    body = tree.children[0]
    try:
        return _Converter(path, text).body(body)
    except RecursionError:
        raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", 1, 1) from None


def _closing_brace(text: str, pos: int) -> int:
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
