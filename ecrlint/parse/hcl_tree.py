"""HCL native syntax to located `hcl_ast` nodes, read with the tree-sitter HCL grammar.

tree-sitter parses in C and keeps every position; this module walks its concrete tree into the
located syntax tree the rest of ecrlint evaluates. The grammar is more lenient than HCL about
newlines, hexadecimal numbers and a few other things, so those rules are checked here while
walking. Positions follow Terraform's reading of the text: columns count characters (the tree
counts bytes), and an end position takes in the spaces and comments that follow an operation,
as the parser this one replaced did, so findings keep their exact locations.
"""

from __future__ import annotations

import bisect
import re

from ..source import Span
from . import MAX_DEPTH, ParseError
from .hcl_ast import (
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

_SPACE = re.compile(rb"(?:[ \t\r]+|#[^\n]*|//[^\n]*|/\*.*?\*/)+", re.S)
_SPACE_OR_NEWLINE = re.compile(rb"(?:[ \t\r\n]+|#[^\n]*|//[^\n]*|/\*.*?\*/)+", re.S)
_LITERAL_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.S)
_ESCAPE = re.compile(rb'\\(?:[nrt"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|(.?))', re.S)  # group 1: not HCL
_BRACKET = re.compile(rb"[{}\[\]()]")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
# Operators that may begin a line and continue the expression of the line before (at the top
# level of an attribute, where a newline otherwise ends the expression).
_CONTINUATIONS = frozenset({"?", ":", "||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "*", "/", "%"})
_BINARY = frozenset({"||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"})
_DIRECTIVE_MARKS = frozenset(
    {"template_if_intro", "template_else_intro", "template_if_end", "template_for_start", "template_for_end"}
)
_TEMPLATE_MARKER = "ECRLINT_TEMPLATE_TEXT"
_TREE_DEPTH = 6 * MAX_DEPTH  # tree levels: one HCL nesting level is several nodes deep
_EXPECTS_EXPRESSION = _BINARY | {"=", ":", "?", "=>", ",", "(", "[", "{", "!", "in", "if"}


def _new_parser():
    # Imported here: tree-sitter is only loaded when there is Terraform to read.
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


class HclTree:
    """One parsed file: the text, its concrete tree, and the mapping from tree to file positions."""

    def __init__(self, text: str, path: str, line_offset: int = 0, col_offset: int = 0, col_offset_row: int = 0):
        if text.startswith("\ufeff"):
            text = text[1:]
        self.text = text
        self.path = path
        self.data = text.encode("utf-8", "surrogatepass")
        self.line_offset = line_offset
        self.col_offset = col_offset  # added to the columns of one row (text written mid-line)
        self.col_offset_row = col_offset_row
        self.tree = _new_parser().parse(self.data)
        self.root = self.tree.root_node
        self._ascii = len(self.data) == len(text)
        self._plain = self._ascii and not line_offset and not col_offset  # tree points are the positions
        self._lines: list[bytes] | None = None
        self._line_starts: list[int] | None = None

    # -- positions ----------------------------------------------------------------------------------
    def where(self, point) -> tuple[int, int]:
        """1-based (line, column in characters) of a tree point (row, byte column)."""
        row, col = point
        if not self._ascii:
            if self._lines is None:
                self._lines = self.data.split(b"\n")
            line = self._lines[row] if row < len(self._lines) else b""
            col = len(line[:col].decode("utf-8", "replace"))
        col += 1
        if row == self.col_offset_row:
            col += self.col_offset
        return row + 1 + self.line_offset, col

    def point_at(self, offset: int) -> tuple[int, int]:
        """The tree point of a byte offset."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer(b"\n", self.data)]
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row, offset - self._line_starts[row]

    def span(self, start, end) -> Span:
        if self._plain:
            return Span(self.path, start[0] + 1, start[1] + 1, end[0] + 1, end[1] + 1)
        sl, sc = self.where(start)
        el, ec = self.where(end)
        return Span(self.path, sl, sc, el, ec)

    def loose_end(self, point, offset: int, nesting: int):
        """The point after the spaces and comments that follow `offset` (and newlines when nested)."""
        m = (_SPACE_OR_NEWLINE if nesting else _SPACE).match(self.data, offset)
        if m is None:
            return point
        end = m.end()
        if not nesting and b"\n" not in self.data[offset:end]:
            return point[0], point[1] + end - offset
        return self.point_at(end)

    def fail(self, message: str, point) -> ParseError:
        line, col = self.where(point)
        return ParseError(message, line, col)

    def source(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "surrogatepass")

    # -- errors -------------------------------------------------------------------------------------
    def first_error(self) -> ParseError | None:
        """The first place the grammar could not read, or None."""
        if not self.root.has_error:
            return None
        cursor = self.root.walk()
        depth = 0
        while True:
            node = cursor.node
            if node.is_error or node.is_missing:
                deep = _too_deep(self.data)
                if deep is not None:  # the grammar gives up on very deep nesting: say so
                    return self.fail(f"nesting deeper than {MAX_DEPTH} levels", self.point_at(deep))
                return self._describe(node)
            if node.has_error and cursor.goto_first_child():
                depth += 1
                if depth > _TREE_DEPTH:
                    return self.fail(f"nesting deeper than {MAX_DEPTH} levels", cursor.node.start_point)
                continue
            while not cursor.goto_next_sibling():
                if not cursor.goto_parent():
                    return None
                depth -= 1

    def _describe(self, node) -> ParseError:
        if node.is_missing:
            return self._missing(node)
        first, last = _first_leaf(node), _last_leaf(node)
        if last.type in _EXPECTS_EXPRESSION:
            # The text stops where an expression should begin.
            offset = self._after_space(last.end_byte)
            point = self.point_at(offset)
            if offset >= len(self.data):
                return self.fail("expected an expression, found the end of the file", point)
            if self.data[offset : offset + 1] == b"\n":
                return self.fail("expected an expression, found the end of the line", point)
            token = self.data[offset : offset + 40].split()[0].decode("utf-8", "replace")
            return self.fail(f"expected an expression, found {token!r}", point)
        string = node.parent
        while string is not None and string.type not in ("string_lit", "quoted_template"):
            string = string.parent
        if string is not None:
            escapes = _ESCAPE.finditer(self.data, string.start_byte, string.end_byte)
            bad = next((m for m in escapes if m.group(1) is not None), None)
            if bad is not None:
                code = bad.group().decode("utf-8", "replace")
                return self.fail(f"invalid escape sequence {code!r} in a string", self.point_at(bad.start()))
        text = self.source(first.start_byte, first.end_byte)
        if not text.strip():
            text = self.source(node.start_byte, node.end_byte) or self.source(node.start_byte, node.start_byte + 1)
        shown = text.splitlines()[0][:40] if text.strip() else text[:1]
        return self.fail(f"unexpected {shown!r}", first.start_point)

    def _missing(self, node) -> ParseError:
        kind = node.type
        at_end = node.start_byte >= len(self.data.rstrip())
        if kind in ("}", "block_end") and at_end:
            return self.fail("unexpected end of file: a block is not closed", node.start_point)
        if kind == "quoted_template_end":
            opening = node.parent.start_byte if node.parent is not None else node.start_byte
            newline = self.data.find(b"\n", opening, node.start_byte + 1)
            if newline >= 0:
                return self.fail("unterminated string: strings cannot span lines", self.point_at(newline))
            return self.fail("unterminated string", node.start_point)
        if kind == "heredoc_identifier":
            return self.fail("a heredoc is never closed", node.start_point)
        if at_end:
            return self.fail(f"unexpected end of file: expected {kind!r}", node.start_point)
        return self.fail(f"expected {kind!r}", node.start_point)

    def _after_space(self, offset: int) -> int:
        m = _SPACE.match(self.data, offset)
        return m.end() if m else offset

    # -- structure ----------------------------------------------------------------------------------
    def root_body(self):
        for child in self.root.children:
            if child.type == "body":
                return child
        return None

    def top_blocks(self) -> list:
        """The top-level `block` nodes, in order, up to the first one the grammar could not read."""
        body = self.root_body()
        found = []
        for child in body.children if body is not None else ():
            if child.is_error or child.is_missing or child.has_error:
                break
            if child.type == "block":
                found.append(child)
        return found

    def top_level_blocks(self) -> list[tuple]:
        """(type, labels, start byte, text, attribute names) of each readable top-level block."""
        found = []
        for node in self.top_blocks():
            children = _significant(node.children)
            labels = []
            names: list[str] = []
            for child in children[1:]:
                if child.type == "identifier":
                    labels.append(_text(child))
                elif child.type == "string_lit":
                    labels.append(self.source(child.start_byte + 1, child.end_byte - 1))
                elif child.type == "body":
                    names = [_text(a.children[0]) for a in child.children if a.type == "attribute"]
            found.append((_text(children[0]), tuple(labels), node.start_byte, _text(node), tuple(names)))
        return found

    def has_top_level_attributes(self) -> bool:
        body = self.root_body()
        return body is not None and any(child.type == "attribute" for child in body.children)

    def body(self, keep: set[int] | None = None) -> Body:
        """The whole file as a Body; with `keep` (start bytes of top-level blocks), only those
        top-level blocks are read. Raises ParseError at the first place the file is not HCL."""
        error = self.first_error()
        if error is not None:
            raise error
        for child in self.root.children:
            if child.type == "object":
                raise self.fail("unexpected '{'", child.start_point)
        root_body = self.root_body()
        if root_body is None:
            return Body()
        try:
            return self._body(root_body, 0, keep)
        except RecursionError:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", (0, 0)) from None

    def _body(self, node, depth: int, keep: set[int] | None = None) -> Body:
        if depth > MAX_DEPTH:
            raise self.fail(f"blocks nested deeper than {MAX_DEPTH} levels", node.start_point)
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        previous_row = -1
        for child in node.children:
            kind = child.type
            if kind == "comment":
                continue
            if keep is not None and kind == "block" and child.start_byte not in keep:
                previous_row = child.end_point[0]
                continue
            if child.start_point[0] == previous_row:
                raise self.fail("expected a newline after the definition", child.start_point)
            previous_row = child.end_point[0]
            if kind == "attribute":
                attribute = self._attribute(child, depth)
                attributes[attribute.name] = attribute
            elif kind == "block":
                blocks.append(self._block(child, depth))
        return Body(attributes, tuple(blocks))

    def _attribute(self, node, depth: int) -> Attribute:
        name, equals, expression = _significant(node.children)
        row = name.end_point[0]
        if equals.start_point[0] != row:
            raise self.fail("expected '{', found newline", self.point_at(self._after_space(name.end_byte)))
        if expression.start_point[0] != row:
            at = self.point_at(self._after_space(equals.end_byte))
            raise self.fail("expected an expression, found the end of the line", at)
        value, end, end_byte = self._expression(expression, 0, depth + 1)
        end = self.loose_end(end, end_byte, 0)
        return Attribute(_text(name), value, self.span(name.start_point, end))

    def _block(self, node, depth: int) -> Block:
        children = _significant(node.children)
        name = _text(children[0])
        labels: list[str] = []
        body = Body()
        row, row_end = children[0].end_point[0], children[0].end_byte
        for child in children[1:]:
            kind = child.type
            if kind in ("identifier", "string_lit", "block_start") and child.start_point[0] != row:
                # The labels and the brace are on the line of the block type.
                raise self.fail("expected '{', found newline", self.point_at(self._after_space(row_end)))
            if kind == "identifier":
                labels.append(_text(child))
            elif kind == "string_lit":
                labels.append(self._label(child))
            elif kind == "body":
                body = self._body(child, depth + 1)
            row, row_end = child.end_point[0], child.end_byte
        return Block(name, tuple(labels), body, self.span(node.start_point, node.end_point))

    def _label(self, node) -> str:
        parts, directives = self.template_parts(node, quoted=True, depth=0, nesting=0)
        if directives or any(not isinstance(p, str) for p in parts) or _has_interpolation(node, self.data):
            raise self.fail("block labels must be plain strings", node.start_point)
        return "".join(parts)

    # -- expressions --------------------------------------------------------------------------------
    # Each returns (Expr, tight end point, tight end byte); an enclosing operation's span runs on
    # over the spaces and comments after that end (see `loose_end`).
    def _expression(self, node, nesting: int, depth: int):
        if depth > MAX_DEPTH:
            raise self.fail(f"expression nested deeper than {MAX_DEPTH} levels", node.start_point)
        children = _significant(node.children)
        if len(children) == 1 and children[0].type == "conditional":
            return self._conditional(children[0], nesting, depth)
        return self._term(children, nesting, depth)

    def _conditional(self, node, nesting: int, depth: int):
        # The grammar groups `a ? b : c ? d : e` to the left; HCL groups it to the right:
        # a ? b : (c ? d : e). Unfold the left-nested conditions, then build from the right.
        arms = []  # (true node, false node), from the outside in
        current = node
        while True:
            condition, _q, true, _c, false = _significant(current.children)
            arms.append((true, false))
            inner = _significant(condition.children)
            if len(inner) == 1 and inner[0].type == "conditional":
                current = inner[0]
                continue
            break
        conditions = [condition] + [false for _true, false in reversed(arms[1:])]
        trues = [true for true, _false in reversed(arms)]
        last_false = arms[0][1]
        result = self._expression(last_false, nesting, depth + len(conditions))
        for cond_node, true_node in reversed(list(zip(conditions, trues))):
            cond, cond_end, cond_byte = self._expression(cond_node, nesting, depth + 1)
            true_expr = self._expression(true_node, nesting, depth + 1)[0]
            false_expr, end, end_byte = result
            cond_loose = self._offset(self.loose_end(cond_end, cond_byte, nesting))
            condition_text = " ".join(self.source(cond_node.start_byte, cond_loose).split())
            span = self.span(cond_node.start_point, self.loose_end(end, end_byte, nesting))
            result = Conditional(span, cond, true_expr, false_expr, condition_text), end, end_byte
        return result

    def _offset(self, point) -> int:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer(b"\n", self.data)]
        return self._line_starts[point[0]] + point[1]

    def _term(self, children: list, nesting: int, depth: int, head=None):
        """A primary expression and the `.attr`, `[index]` and splat steps after it; `head`:
        (expression, start point) already made of the first child."""
        first = children[0]
        start = first.start_point
        if head is not None:
            expr, start = head
            end, end_byte = first.end_point, first.end_byte
            steps = children[1:]
        elif first.type == "(":
            close = next(i for i, c in enumerate(children) if c.type == ")")
            expr = self._expression(children[1], nesting + 1, depth + 1)[0]
            end, end_byte = children[close].end_point, children[close].end_byte
            steps = children[close + 1 :]
        else:
            expr, end, end_byte = self._primary(first, nesting, depth)
            steps = children[1:]
        for step in _flat_steps(steps):
            if not nesting and step.start_point[0] != end[0]:
                raise self.fail(f"unexpected {self.source(step.start_byte, step.start_byte + 1)!r}", step.start_point)
            kind = step.type
            if kind == "get_attr":
                expr = GetAttr(self.span(start, step.end_point), expr, _text(_significant(step.children)[-1]))
                end, end_byte = step.end_point, step.end_byte
            elif kind == "index":
                expr = Index(self.span(start, step.end_point), expr, self._index_key(step, start, nesting, depth))
                end, end_byte = step.end_point, step.end_byte
            elif kind in ("attr_splat", "full_splat"):
                expr, end, end_byte = self._splat(step, expr, start, nesting, depth)
            else:
                raise self.fail(f"unexpected {_text(step)[:40]!r}", step.start_point)
        return expr, end, end_byte

    def _index_key(self, step, start, nesting: int, depth: int) -> Expr:
        inner = _significant(step.children)[0]
        if inner.type == "legacy_index":
            return Literal(self.span(start, step.end_point), int(_text(inner)[1:]))
        key_node = _significant(inner.children)[1]
        return self._expression(key_node, nesting + 1, depth + 1)[0]

    def _splat(self, node, target, start, nesting: int, depth: int):
        children = _significant(node.children)
        steps = []
        last = children[0]
        for piece in children[1:]:
            if piece.type == "get_attr":
                steps.append(("attr", _text(_significant(piece.children)[-1])))
            else:
                inner = _significant(piece.children)[0]
                if inner.type == "legacy_index":
                    raise self.fail("expected a name, found a number", inner.start_point)
                key_node = _significant(inner.children)[1]
                steps.append(("index", self._expression(key_node, nesting + 1, depth + 1)[0]))
            last = piece
        loose = self.loose_end(last.end_point, last.end_byte, nesting)
        return Splat(self.span(start, loose), target, tuple(steps)), last.end_point, last.end_byte

    def _primary(self, node, nesting: int, depth: int):
        kind = node.type
        end, end_byte = node.end_point, node.end_byte
        if kind == "literal_value":
            return self._literal(node, nesting, depth), end, end_byte
        if kind == "variable_expr":
            span = self.span(node.start_point, self.loose_end(end, end_byte, nesting))
            return Variable(span, _text(node)), end, end_byte
        if kind == "template_expr":
            inner = node.children[0]
            if inner.type == "heredoc_template":
                return self._heredoc(inner, depth)
            return self._quoted(inner, nesting, depth), end, end_byte
        if kind == "collection_value":
            inner = node.children[0]
            if inner.type == "tuple":
                return self._tuple(inner, nesting, depth), end, end_byte
            return self._object(inner, nesting, depth), end, end_byte
        if kind == "function_call":
            return self._call(node, nesting, depth), end, end_byte
        if kind == "for_expr":
            return self._for(node.children[0], nesting, depth), end, end_byte
        if kind == "operation":
            inner = node.children[0]
            if inner.type == "unary_operation":
                return self._unary(inner, nesting, depth)
            return self._binary(inner, nesting, depth)
        raise self.fail(f"unexpected {_text(node)[:40]!r} in an expression", node.start_point)

    def _literal(self, node, nesting: int, depth: int) -> Expr:
        inner = node.children[0]
        kind = inner.type
        span = self.span(node.start_point, node.end_point)
        if kind == "numeric_lit":
            return Literal(span, self._number(inner))
        if kind == "bool_lit":
            return Literal(span, _text(inner) == "true")
        if kind == "null_lit":
            return Literal(span, None)
        raw = self.data[inner.start_byte + 1 : inner.end_byte - 1]
        if b"\n" not in raw and b"{" not in raw and inner.child_count == 3:
            # A plain string (the common case): its text, without looking for template parts.
            return Literal(span, _unescape(raw.decode("utf-8", "surrogatepass")))
        return self._quoted(inner, nesting, depth)

    def _number(self, node):
        text = _text(node)
        if text[:2] in ("0x", "0X"):
            raise self.fail(f"unexpected {text[1:]!r}", (node.start_point[0], node.start_point[1] + 1))
        if len(text) > 400:
            raise self.fail("number literal too long", node.start_point)
        return float(text) if any(c in text for c in ".eE") else int(text)

    def _unary(self, node, nesting: int, depth: int):
        children = _significant(node.children)
        op = children[0]
        if not nesting and children[1].start_point[0] != op.start_point[0]:
            raise self.fail("expected an expression, found the end of the line", op.end_point)
        operand_nodes = children[1:]
        first = operand_nodes[0]
        if (
            op.type == "-"
            and first.type == "literal_value"
            and first.children[0].type == "numeric_lit"
            and first.start_byte == op.end_byte
        ):
            # "-10" is one negative number literal, as in HCL's lexer; steps after it apply to it.
            literal = Literal(self.span(op.start_point, first.end_point), -self._number(first.children[0]))
            return self._term(operand_nodes, nesting, depth, head=(literal, op.start_point))
        operand, end, end_byte = self._term(operand_nodes, nesting, depth + 1)
        span = self.span(node.start_point, self.loose_end(end, end_byte, nesting))
        return UnaryOp(span, op.type, operand), end, end_byte

    def _binary(self, node, nesting: int, depth: int):
        # Left operands nest to the left without limit (`a + b + c + ...`): walk that spine in a loop.
        spine = []
        current = node
        while True:
            children = _significant(current.children)
            at = next(i for i, c in enumerate(children) if not c.is_named and c.type in _BINARY and i > 0)
            spine.append((current, children, at))
            left_nodes = children[:at]
            if len(left_nodes) == 1 and left_nodes[0].type == "operation":
                inner = left_nodes[0].children[0]
                if inner.type == "binary_operation":
                    current = inner
                    continue
            break
        _, children, at = spine[-1]
        left, end, end_byte = self._term(children[:at], nesting, depth + 1)
        for current, children, at in reversed(spine):
            op = children[at]
            if not nesting and op.start_point[0] != end[0] and op.type not in _CONTINUATIONS:
                raise self.fail(f"unexpected {op.type!r}", op.start_point)
            right, end, end_byte = self._term(children[at + 1 :], nesting, depth + 1)
            span = self.span(current.start_point, self.loose_end(end, end_byte, nesting))
            left = BinaryOp(span, op.type, left, right)
        return left, end, end_byte

    def _call(self, node, nesting: int, depth: int) -> Call:
        children = _significant(node.children)
        name = children[0]
        if not nesting and children[1].start_point[0] != name.end_point[0]:
            raise self.fail("unexpected '('", children[1].start_point)
        args: list[Expr] = []
        expand = False
        for child in children:
            if child.type == "function_arguments":
                for arg in _significant(child.children):
                    if arg.type == "expression":
                        args.append(self._expression(arg, nesting + 1, depth + 1)[0])
                    elif arg.type == "ellipsis":
                        expand = True
        return Call(self.span(node.start_point, node.end_point), _text(name), tuple(args), expand)

    def _tuple(self, node, nesting: int, depth: int) -> TupleExpr:
        items = tuple(self._expression(c, nesting + 1, depth + 1)[0] for c in node.children if c.type == "expression")
        return TupleExpr(self.span(node.start_point, node.end_point), items)

    def _object(self, node, nesting: int, depth: int) -> ObjectExpr:
        items = []
        for elem in node.children:
            if elem.type != "object_elem":
                continue
            key_node, _sep, value_node = _significant(elem.children)
            key_children = _significant(key_node.children)
            if len(key_children) == 1 and key_children[0].type == "variable_expr":
                # A bare name as an object key is its own text, not a variable.
                key: Expr = Literal(self.span(key_node.start_point, key_node.end_point), _text(key_children[0]))
            else:
                key = self._expression(key_node, nesting + 1, depth + 1)[0]
            items.append((key, self._expression(value_node, nesting + 1, depth + 1)[0]))
        return ObjectExpr(self.span(node.start_point, node.end_point), tuple(items))

    def _for(self, node, nesting: int, depth: int) -> ForExpr:
        children = _significant(node.children)
        intro = children[1]
        intro_parts = _significant(intro.children)
        names = [_text(c) for c in intro_parts if c.type == "identifier"]
        collection_node = next(c for c in intro_parts if c.type == "expression")
        collection = self._expression(collection_node, nesting + 1, depth + 1)[0]
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        exprs = [c for c in children[2:] if c.type == "expression"]
        cond_node = next((c for c in children if c.type == "for_cond"), None)
        condition = None
        if cond_node is not None:
            condition = self._expression(_significant(cond_node.children)[1], nesting + 1, depth + 1)[0]
        is_object = node.type == "for_object_expr"
        grouping = any(c.type == "ellipsis" for c in children)
        if is_object:
            key = self._expression(exprs[0], nesting + 1, depth + 1)[0]
            value = self._expression(exprs[1], nesting + 1, depth + 1)[0]
        else:
            key, value = None, self._expression(exprs[0], nesting + 1, depth + 1)[0]
        span = self.span(node.start_point, node.end_point)
        return ForExpr(span, key_var, value_var, collection, key, value, condition, is_object, grouping)

    # -- templates ----------------------------------------------------------------------------------
    def _quoted(self, node, nesting: int, depth: int) -> Expr:
        parts, directives = self.template_parts(node, quoted=True, depth=depth, nesting=nesting)
        return template_expr(self.span(node.start_point, node.end_point), parts, directives)

    def template_parts(self, node, quoted: bool, depth: int, nesting: int, heredoc=None) -> tuple[list, bool]:
        """Literal text and `${...}` expressions of a quoted string or heredoc body, in order;
        `heredoc` is (body start byte, body end byte, indentation to remove from each line).

        The text between the tree's interpolation and directive nodes is the literal text: the
        grammar leaves a heredoc's line breaks and indentation out of its literal nodes.
        """
        children = node.children
        if quoted:
            content_start = children[0].end_byte
            content_end = children[-1].start_byte
            inner = children[1:-1]
        else:
            content_start, content_end, inner = heredoc[0], heredoc[1], children[2:-1]
        parts: list = []
        directives = False
        pos = content_start
        for special in _template_specials(inner):
            if special.start_byte > pos:
                parts.append(self._literal_text(pos, special.start_byte, quoted, heredoc))
            if special.type == "template_interpolation":
                parts.append(self._interpolation(special, depth))
            else:
                directives = True
            pos = special.end_byte
        if content_end > pos:
            parts.append(self._literal_text(pos, content_end, quoted, heredoc))
        return parts, directives

    def _interpolation(self, node, depth: int) -> Expr:
        expression = next((c for c in node.children if c.type == "expression"), None)
        if expression is None:
            closing = node.children[-1]
            raise self.fail("unexpected '}' in an expression", closing.start_point)
        return self._expression(expression, 1, depth + 1)[0]

    def _literal_text(self, start: int, end: int, quoted: bool, heredoc) -> str:
        raw = self.source(start, end)
        if quoted:
            newline = raw.find("\n")
            if newline >= 0:
                offset = start + len(raw[:newline].encode("utf-8", "surrogatepass"))
                raise self.fail("unterminated string: strings cannot span lines", self.point_at(offset))
            return _unescape(raw)
        if heredoc is not None and heredoc[2]:
            raw = _dedent_piece(self.data, start, end, heredoc[0], heredoc[2])
        return raw.replace("$${", "${").replace("%%{", "%{")

    def _heredoc(self, node, depth: int):
        children = node.children
        strip = children[0].children[0].type == "<<-"
        opener, closer = children[1], children[-1]
        if closer.type != "heredoc_identifier" or closer.is_missing:
            raise self.fail(f"heredoc {_text(opener)} is never closed", node.start_point)
        newline = self.data.find(b"\n", opener.end_byte)
        body_start = len(self.data) if newline < 0 else newline + 1
        body_end = _line_start(self.data, closer.start_byte)
        cut = 0
        if strip:
            lines = self.source(body_start, body_end).split("\n")
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
            cut = min(indents) if indents else 0
        parts, directives = self.template_parts(node, False, depth + 1, 1, heredoc=(body_start, body_end, cut))
        end_byte = _line_end(self.data, closer.end_byte)
        end = self.point_at(end_byte)
        span = self.span(node.start_point, end)
        body_line = self.where(self.point_at(body_start))[0]
        template = template_expr(span, parts, directives)
        if isinstance(template, Template):
            result = Template(span, template.parts, template.has_directives, text_line_offset=body_line - 1)
        elif isinstance(template, Literal):
            result = Template(span, (template.value,), False, text_line_offset=body_line - 1)
        else:
            result = Template(span, (template,), False, text_line_offset=body_line - 1)
        return result, end, end_byte


def template_expr(span: Span, parts: list, directives: bool) -> Expr:
    """A string's parts as one expression: a Literal when plain, the expression alone for "${x}"."""
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


def _significant(children) -> list:
    return [c for c in children if c.type != "comment"]


def _text(node) -> str:
    return node.text.decode("utf-8", "surrogatepass")


def _first_leaf(node):
    while node.child_count:
        node = node.children[0]
    return node


def _last_leaf(node):
    while node.child_count:
        significant = _significant(node.children)
        node = significant[-1] if significant else node.children[-1]
    return node


def _flat_steps(steps):
    """Postfix steps in order. `.*` takes only the attribute names right after it (HCL's attribute
    splat); an index after those applies to the splat's result, as do the steps after it."""
    for step in steps:
        if step.type != "splat":
            yield step
            continue
        inner = step.children[0]
        if inner.type != "attr_splat":
            yield inner
            continue
        pieces = _significant(inner.children)
        cut = next((i for i, p in enumerate(pieces) if i > 0 and p.type != "get_attr"), len(pieces))
        yield _Partial(inner, pieces[:cut])
        yield from pieces[cut:]


class _Partial:
    """The first children of a node, standing for it (an attribute splat cut short)."""

    def __init__(self, node, children):
        self.type = node.type
        self.children = children
        self.start_point, self.start_byte = node.start_point, node.start_byte
        self.end_point, self.end_byte = children[-1].end_point, children[-1].end_byte


def _template_specials(nodes):
    """Interpolations and directive markers, in order, looking inside `%{ if }` / `%{ for }` bodies."""
    for node in nodes:
        kind = node.type
        if kind == "template_interpolation" or kind in _DIRECTIVE_MARKS:
            yield node
        elif kind in ("template_directive", "template_if", "template_for"):
            yield from _template_specials(node.children)


def _has_interpolation(node, data: bytes) -> bool:
    raw = data[node.start_byte + 1 : node.end_byte - 1].replace(b"$${", b"").replace(b"%%{", b"")
    return b"${" in raw or b"%{" in raw


def _unescape(text: str) -> str:
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text

    def sub(m: re.Match) -> str:
        whole = m.group()
        if whole in ("$${", "%%{"):
            return whole[1:]
        code = m.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        # An unknown escape is kept as written (Terraform would reject it; ecrlint reads on).
        return _ESCAPES.get(code, "\\" + code)

    return _LITERAL_ESCAPES.sub(sub, text)


def _too_deep(data: bytes) -> int | None:
    """The offset where brackets of any kind are first nested deeper than MAX_DEPTH, if they are."""
    depth = 0
    for m in _BRACKET.finditer(data):
        if m.group() in b"{[(":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        else:
            depth -= 1
    return None


def _line_start(data: bytes, offset: int) -> int:
    return data.rfind(b"\n", 0, offset) + 1


def _line_end(data: bytes, offset: int) -> int:
    end = data.find(b"\n", offset)
    return len(data) if end < 0 else end


def _dedent_piece(data: bytes, start: int, end: int, body_start: int, cut: int) -> str:
    """Text of `data[start:end]` with up to `cut` characters removed at each line start (`<<-`)."""
    pieces = []
    pos = start
    while pos < end:
        if pos == body_start or data[pos - 1 : pos] == b"\n":
            line = data[pos : _line_end(data, pos)].decode("utf-8", "surrogatepass")
            skip = len(line[:cut].encode("utf-8", "surrogatepass"))
            pos = min(pos + skip, end)
            if pos >= end:
                break
        newline = data.find(b"\n", pos, end)
        stop = end if newline < 0 else newline + 1
        pieces.append(data[pos:stop])
        pos = stop
    return b"".join(pieces).decode("utf-8", "surrogatepass")


def parse_hcl(text: str, path: str, keep=None) -> Body:
    """Parse a whole `.tf` file into a located Body; raises ParseError with line and column."""
    return HclTree(text, path).body(keep)


def parse_template_text(text: str, path: str, line: int, col: int = 1) -> tuple[list, bool]:
    """Literal strings and parsed `${...}` parts of template text written at (line, col).

    The text is read as the body of a heredoc, which has the same template syntax without
    quote escapes; the heredoc starts the line before the text, so positions are the text's.
    """
    marker = _TEMPLATE_MARKER
    while marker in text:
        marker += "_"
    source = f"x = <<{marker}\n{text}\n{marker}\n"
    tree = HclTree(source, path, line_offset=line - 2, col_offset=col - 1, col_offset_row=1)
    error = tree.first_error()
    if error is not None:
        raise error
    heredoc = tree.root.descendant_for_byte_range(4, 5)
    while heredoc is not None and heredoc.type != "heredoc_template":
        heredoc = heredoc.parent
    if heredoc is None:
        raise ParseError("the template text cannot be read", line, col)
    body_start = len(f"x = <<{marker}\n")
    body_end = body_start + len(text.encode("utf-8", "surrogatepass"))
    return tree.template_parts(heredoc, False, 0, 1, heredoc=(body_start, body_end, 0))
