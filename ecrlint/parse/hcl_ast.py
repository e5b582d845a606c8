"""The HCL syntax tree ecrlint evaluates: bodies, blocks, attributes and expressions, all located."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..source import Span


@dataclass(frozen=True, eq=False)
class Expr:
    span: Span


@dataclass(frozen=True, eq=False)
class Literal(Expr):
    value: object  # str | int | float | bool | None


@dataclass(frozen=True, eq=False)
class Template(Expr):
    """A quoted string or heredoc with `${...}` parts; `text_line_offset` is set for heredoc bodies."""

    parts: tuple  # of str | Expr
    has_directives: bool = False  # %{ if } / %{ for }: not evaluated
    text_line_offset: int | None = None


@dataclass(frozen=True, eq=False)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class ObjectExpr(Expr):
    items: tuple[tuple[Expr, Expr], ...]  # (key, value); a bare identifier key is a Literal string


@dataclass(frozen=True, eq=False)
class Call(Expr):
    name: str
    args: tuple[Expr, ...]
    expand_final: bool = False


@dataclass(frozen=True, eq=False)
class Variable(Expr):
    """A root name: var, local, each, count, module, data, path, a resource type, or a for variable."""

    name: str


@dataclass(frozen=True, eq=False)
class GetAttr(Expr):
    target: Expr
    name: str


@dataclass(frozen=True, eq=False)
class Index(Expr):
    target: Expr
    key: Expr


@dataclass(frozen=True, eq=False)
class Splat(Expr):
    target: Expr
    steps: tuple  # of ("attr", name) | ("index", Expr)


@dataclass(frozen=True, eq=False)
class Conditional(Expr):
    condition: Expr
    true: Expr
    false: Expr
    condition_text: str = ""


@dataclass(frozen=True, eq=False)
class BinaryOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class UnaryOp(Expr):
    op: str
    operand: Expr


@dataclass(frozen=True, eq=False)
class ForExpr(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # object form only
    value: Expr
    condition: Expr | None
    is_object: bool
    grouping: bool = False


@dataclass(frozen=True, eq=False)
class Attribute:
    name: str
    expr: Expr
    span: Span


@dataclass(frozen=True, eq=False)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    span: Span


@dataclass(frozen=True, eq=False)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def blocks_of(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]

    def block(self, block_type: str) -> Block | None:
        for b in self.blocks:
            if b.type == block_type:
                return b
        return None
