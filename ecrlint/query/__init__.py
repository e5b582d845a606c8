"""ecrlint's query language: compile a rule's `query`, run it over the model.

Evaluation is three-valued: a comparison with an unknown value is neither true nor false,
so the rule neither fires nor passes, and the reason is kept for `--show-unknown`. A value
that depends on an undecided condition (`Branches`) is tried branch by branch, and a match
names the branch it holds in.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import itertools
import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..findings import Match, Undecided
from ..model import MODEL_TYPES, Model, ModelObject
from ..rule_api import callers_of, scenario_of
from ..values import Branches, Value

MAX_BRANCH_COMBINATIONS = 32


class QueryError(Exception):
    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class _Unknown:
    """The third truth value; carries the first reason found."""

    def __init__(self, reason: str):
        self.reason = reason

    def __repr__(self) -> str:
        return f"UNKNOWN({self.reason})"


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    grammar = resources.files("ecrlint.query").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True)


@dataclass(frozen=True)
class Query:
    kinds: tuple[str, ...]
    var: str
    where: Any  # lark tree or None
    report: tuple[str, ...]  # path
    paths: tuple[tuple[str, ...], ...]  # every path the query reads (for branch expansion)


@dataclass(frozen=True)
class QueryNode:
    """A node of a compiled query: the grammar rule's name and its children (nodes or token text)."""

    data: str
    children: tuple


def _plain_tree(node) -> QueryNode | str | None:
    if node is None:
        return None
    if hasattr(node, "data"):
        return QueryNode(str(node.data), tuple(_plain_tree(c) for c in node.children))
    return str(node)


def compile_query(text: str) -> Query:
    """The compiled query (compiling the shipped queries takes a fraction of a second, grammar included)."""
    return _compile(text)


def _compile(text: str) -> Query:
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = _parser().parse(text)
    except UnexpectedInput as err:
        first = re.sub(r",? at line \d+ col \d+$", "", str(err).splitlines()[0])  # the caller places it
        raise QueryError(f"invalid query: {first}", err.line, err.column) from None
    except LarkError as err:
        raise QueryError(f"invalid query: {err}") from None
    select = tree.children[0]
    names = [str(t) for t in select.children]
    kinds, var = tuple(names[:-1]), names[-1]
    for token in select.children[:-1]:
        if str(token) not in MODEL_TYPES:
            known = ", ".join(sorted(MODEL_TYPES))
            raise QueryError(f"unknown model type {str(token)!r}; known: {known}", token.line, token.column)
    where = next((c for c in tree.children if c.data == "where"), None)
    report = next(c for c in tree.children if c.data == "report")
    report_path = tuple(str(t) for t in report.children[0].children)
    path_nodes = list(tree.find_data("path"))
    paths = [tuple(str(t) for t in p.children) for p in path_nodes]
    for node, path in zip(path_nodes, paths):
        line, col = getattr(node.meta, "line", 1), getattr(node.meta, "column", 1)
        if path[0] != var:
            raise QueryError(f"{'.'.join(path)}: paths must start with the selected name {var!r}", line, col)
        problem = path_problem(kinds, path)
        if problem:
            raise QueryError(problem, line, col)
    return Query(kinds, var, _plain_tree(where.children[0]) if where else None, report_path, tuple(paths))


def path_problem(kinds: tuple[str, ...], path: tuple[str, ...]) -> str | None:
    """Why `path` (`r.name`, `r.inline_policy.statements`) reads nothing on any of the model types
    `kinds`, or None when it can. Fields are checked as far as the model declares them: below a
    `Value` (a written attribute: maps, lists) the names depend on the input."""
    problems = [_type_problem(MODEL_TYPES[kind], path) for kind in kinds if kind in MODEL_TYPES]
    if any(p is None for p in problems):
        return None
    return problems[0] if len(problems) == 1 else f"{problems[0]} (nor on {', '.join(kinds[1:])})"


def _type_problem(cls: type, path: tuple[str, ...]) -> str | None:
    import typing

    from .fields import readable_fields

    current: Any = cls
    for depth, name in enumerate(path[1:], 1):
        shown = ".".join(path[: depth + 1])
        if current is Value:
            return None  # a written value: what lies below depends on the input
        if not (isinstance(current, type) and dataclasses.is_dataclass(current)):
            return f"{shown}: {'.'.join(path[:depth])} has no fields"
        fields = readable_fields(current)
        if name not in fields:
            known = ", ".join(sorted(fields))
            hint = _nearest(name, fields)
            return f"{shown}: {current.__name__} has no field {name!r}{hint}; its fields: {known}"
        current = fields[name]
        args = [a for a in typing.get_args(current) if a is not type(None)]
        if typing.get_origin(current) in (typing.Union, types.UnionType) and len(args) == 1:
            current = args[0]  # X | None
    return None


def _nearest(name: str, choices) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _resolve(obj: ModelObject, path: tuple[str, ...], overrides: dict) -> Any:
    if path in overrides:
        return overrides[path]
    current: Any = obj
    for name in path[1:]:
        if current is None:
            return None
        if isinstance(current, Value):
            if not current.is_known:
                return current
            current = current.get(name)
            continue
        attr = getattr(current, name, None)
        current = attr() if callable(attr) else attr
    return current


def _data(item: Any) -> Any:
    """A resolved operand as plain data, or _Unknown."""
    if isinstance(item, Value):
        if isinstance(item.data, Branches):
            return _Unknown("depends on a condition")
        if not item.is_known:
            return _Unknown(item.unknown_reason() or "unknown")
        return item.plain() if not item.fully_known() else item.plain()
    if isinstance(item, list):
        return [_data(i) for i in item]
    return item


class _Evaluator:
    def __init__(self, obj: ModelObject, overrides: dict):
        self.obj = obj
        self.overrides = overrides

    def value(self, node) -> Any:
        kind = node.data
        if kind in ("or_", "and_") and len(node.children) == 1:
            return self.value(node.children[0])
        if kind == "path":
            return _data(_resolve(self.obj, tuple(str(t) for t in node.children), self.overrides))
        if kind == "string":
            return _unquote(str(node.children[0]))
        if kind == "number":
            text = str(node.children[0])
            return float(text) if "." in text else int(text)
        if kind in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[kind]
        if kind == "list":
            return [self.value(c) for c in node.children if c is not None]
        if kind == "call":
            return self.call(str(node.children[0]), [self.value(c) for c in node.children[1:] if c is not None])
        return self.truth(node)

    def call(self, name: str, args: list) -> Any:
        for arg in args:
            if isinstance(arg, _Unknown):
                return arg
        if name == "lower":
            return args[0].lower() if isinstance(args[0], str) else None
        if name == "count":
            return len(args[0]) if isinstance(args[0], (list, dict)) else 0
        if name == "any_matches":
            items = args[0] if isinstance(args[0], list) else []
            if any(isinstance(i, _Unknown) for i in items):
                return _Unknown("an element is unknown")
            return any(isinstance(i, str) and re.search(args[1], i) for i in items)
        raise QueryError(f"unknown function {name}()")

    def truth(self, node) -> Any:
        kind = node.data
        if kind in ("or_", "and_") and len(node.children) == 1:
            return self.truth(node.children[0])
        if kind == "or_":
            results = [self.truth(c) for c in node.children]
            if any(r is True for r in results):
                return True
            unknowns = [r for r in results if isinstance(r, _Unknown)]
            return unknowns[0] if unknowns else False
        if kind == "and_":
            results = [self.truth(c) for c in node.children]
            if any(r is False or r is None for r in results):
                return False
            unknowns = [r for r in results if isinstance(r, _Unknown)]
            return unknowns[0] if unknowns else True
        if kind == "not_":
            inner = self.truth(node.children[0])
            return inner if isinstance(inner, _Unknown) else not inner
        if kind == "compare":
            left, op, right = self.value(node.children[0]), str(node.children[1]), self.value(node.children[2])
            for side in (left, right):
                if isinstance(side, _Unknown):
                    return side
            try:
                return {
                    "==": lambda: left == right,
                    "!=": lambda: left != right,
                    "<": lambda: left < right,
                    ">": lambda: left > right,
                    "<=": lambda: left <= right,
                    ">=": lambda: left >= right,
                }[op]()
            except TypeError:
                return False
        if kind in ("in_", "not_in"):
            left, right = self.value(node.children[0]), self.value(node.children[1])
            if isinstance(left, _Unknown):
                return left
            if not isinstance(right, list):
                return False
            found = left in right
            return found if kind == "in_" else not found
        if kind == "matches":
            left = self.value(node.children[0])
            if isinstance(left, _Unknown):
                return left
            return isinstance(left, str) and fnmatch.fnmatchcase(left, _unquote(str(node.children[1])))
        if kind == "exists":
            item = _resolve(self.obj, tuple(str(t) for t in node.children[0].children), self.overrides)
            return item is not None and item != []
        if kind == "is_unknown":
            item = _resolve(self.obj, tuple(str(t) for t in node.children[0].children), self.overrides)
            return isinstance(item, Value) and not item.is_known
        result = self.value(node)
        if isinstance(result, _Unknown):
            return result
        return bool(result)


def _unquote(text: str) -> str:
    import json

    return json.loads(text)


def _branch_choices(obj: ModelObject, query: Query) -> Iterator[tuple[dict, list[str]]]:
    branching = []
    for path in dict.fromkeys(query.paths):
        item = _resolve(obj, path, {})
        if isinstance(item, Value) and isinstance(item.data, Branches):
            branching.append((path, item.data.options))
    if not branching:
        yield {}, []
        return
    combos = itertools.product(*[options for _, options in branching])
    for combo in itertools.islice(combos, MAX_BRANCH_COMBINATIONS):
        overrides = {path: branch.value for (path, _), branch in zip(branching, combo)}
        yield overrides, [branch.condition for branch in combo]


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def _message(template: str, obj: ModelObject, query: Query, overrides: dict) -> str:
    def sub(m: re.Match) -> str:
        path = tuple(m.group(1).split("."))
        if path[0] != query.var:
            return m.group(0)
        item = _resolve(obj, path, overrides)
        if isinstance(item, Value):
            return item.text()
        if item is None:
            return "(not set)"
        return str(item)

    return _PLACEHOLDER.sub(sub, template)


def run_query(query: Query, message: str, model: Model) -> Iterator[Match | Undecided]:
    types = tuple(MODEL_TYPES[k] for k in query.kinds)
    for obj in model.of(*types):
        undecided_reason = None
        for overrides, conditions in _branch_choices(obj, query):
            verdict = True if query.where is None else _Evaluator(obj, overrides).truth(query.where)
            if isinstance(verdict, _Unknown):
                undecided_reason = undecided_reason or verdict.reason
                continue
            if not verdict:
                continue
            reported = _resolve(obj, query.report, overrides)
            node = reported if isinstance(reported, Value) else None
            text = _message(message, obj, query, overrides)
            if node is not None and node.is_default:
                text += " (attribute absent: AWS default assumed)"
            elif node is not None and node.trace:
                text += f" (from {node.trace[-1]})"
            if conditions:
                text += " when " + " and ".join(conditions)
            yield Match(
                message=text,
                span=node.span if node is not None else obj.span,
                address=obj.address,
                pointer=".".join(query.report[1:]),
                construct_path=obj.construct_path,
                scenario=scenario_of(obj),
                callers=callers_of(obj),
            )
        if undecided_reason is not None:
            yield Undecided(undecided_reason, obj.span, obj.address, ".".join(query.report[1:]), scenario_of(obj))
