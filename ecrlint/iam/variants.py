"""Conditional values inside policies: one concrete variant per combination of branch outcomes.

A principal chosen by `Fn::If` or a ternary is a `Branches` value. Analysing each outcome on its
own lets a finding name the branch it holds in (`when condition IsProd is false`) instead of
giving up on the whole statement.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import product

from ..values import Branch, Branches, Value

MAX_VARIANTS = 16


def branch_points(value: Value) -> list[Value]:
    """The `Branches` values inside `value`, outermost first (nested ones are found per option)."""
    found: list[Value] = []
    stack = [value]
    while stack:
        node = stack.pop()
        data = node.data
        if isinstance(data, Branches):
            found.append(node)
        elif isinstance(data, dict):
            stack.extend(reversed(list(data.values())))
        elif isinstance(data, list):
            stack.extend(reversed(data))
    return found


def _substitute(value: Value, choice: dict[int, Branch]) -> Value | None:
    data = value.data
    if isinstance(data, Branches):
        branch = choice.get(id(value))
        if branch is None:
            return value
        chosen = branch.value
        if chosen.data is None:
            return None  # AWS::NoValue / null: the element is absent in this outcome
        return _substitute(chosen, choice)
    if isinstance(data, dict):
        items = {}
        changed = False
        for key, child in data.items():
            new = _substitute(child, choice)
            changed |= new is not child
            if new is not None:
                items[key] = new
        return replace(value, data=items) if changed else value
    if isinstance(data, list):
        elements = []
        changed = False
        for child in data:
            new = _substitute(child, choice)
            changed |= new is not child
            if new is not None:
                elements.append(new)
        return replace(value, data=elements) if changed else value
    return value


def variants(value: Value, limit: int = MAX_VARIANTS) -> list[tuple[tuple[str, ...], Value | None]] | None:
    """Every outcome of the branches anywhere in `value` as (conditions, concrete value); None when
    there are too many.

    The conditions (`condition IsProd is true`, ...) are empty when the value has no branches;
    `values.when` names them in messages, as for `Value.outcomes` (which follows the branches of
    the value itself only). Nested branches (a branch whose option holds another) are expanded in turn.
    """
    results: list[tuple[tuple[str, ...], Value | None]] = []
    pending: list[tuple[tuple[str, ...], Value | None]] = [((), value)]
    while pending:
        labels, current = pending.pop(0)
        points = branch_points(current) if current is not None else []
        if not points:
            results.append((labels, current))
            if len(results) > limit:
                return None
            continue
        options = [p.data.options for p in points]
        combos = 1
        for o in options:
            combos *= max(len(o), 1)
        if combos + len(results) + len(pending) > limit:
            return None
        for picked in product(*options):
            choice = {id(point): branch for point, branch in zip(points, picked)}
            pending.append(((*labels, *(b.condition for b in picked)), _substitute(current, choice)))
    return results
