"""The values an attribute can take: one, or one per branch of an undecided condition."""

from __future__ import annotations

from ..values import Branches, Value


def outcomes(value: Value | None) -> list[tuple[str | None, Value]]:
    """(condition, value) for each outcome; the condition is None for a value without branches."""
    if value is None:
        return []
    if isinstance(value.data, Branches):
        result: list[tuple[str | None, Value]] = []
        for branch in value.data.options:
            for inner, item in outcomes(branch.value):
                result.append((f"{branch.condition}; {inner}" if inner else branch.condition, item))
        return result
    return [(None, value)]


def when(condition: str | None) -> str:
    """A message suffix naming the branch a finding is about."""
    return f" (when {condition})" if condition else ""
