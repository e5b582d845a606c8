"""How the access rules word and report what a policy grants.

A finding points at the statement (`pointer="Statement[i]"`) and names the statement, the
principal and the actions found. Where an undecided value could change the verdict, the rule
reports `Undecided` instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..findings import Match, Undecided
from ..model import ModelObject
from ..rule_api import match, undecided
from ..values import Value
from . import actions as act
from .accounts import Owner
from .principals import Principal
from .sources import PolicySource
from .statements import PolicyAnalysis, StatementView

Result = Match | Undecided


class Reporter:
    """Collects findings per statement outcome and merges outcomes that agree.

    A finding that holds in every outcome of a conditional statement is reported once, without
    naming a branch; one that holds in some outcomes names the branch in its message.
    """

    def __init__(self) -> None:
        self._matches: dict[tuple, list[tuple[StatementView, Callable[[str], str], ModelObject, str]]] = {}
        self._undecided: dict[tuple, Undecided] = {}
        self._outcomes: dict[tuple[int, int], set[tuple[str, ...]]] = {}

    def saw(self, views: Iterable[StatementView]) -> None:
        for view in views:
            self._outcomes.setdefault(view.origin, set()).add(view.branch)

    def fire(self, obj: ModelObject, view: StatementView, key: tuple, build: Callable[[str], str], pointer: str):
        self._outcomes.setdefault(view.origin, set()).add(view.branch)
        self._matches.setdefault((id(obj), view.origin, pointer, *key), []).append((view, build, obj, pointer))

    def unsure(self, obj: ModelObject, reason: str, value: Value | None, pointer: str = "") -> None:
        key = (id(obj), pointer, reason)
        if key not in self._undecided:
            self._undecided[key] = undecided(obj, reason, value, pointer=pointer)

    def results(self) -> Iterator[Result]:
        for hits in self._matches.values():
            view, build, obj, pointer = hits[0]
            outcomes = self._outcomes.get(view.origin, {()})
            branches = {v.branch for v, *_ in hits}
            if branches >= outcomes:
                yield match(obj, build(view.statement.label()), view.value, pointer=pointer)
                continue
            seen: set[tuple[str, ...]] = set()
            for hit_view, hit_build, hit_obj, hit_pointer in hits:
                if hit_view.branch in seen:
                    continue
                seen.add(hit_view.branch)
                yield match(hit_obj, hit_build(hit_view.label()), hit_view.value, pointer=hit_pointer)
        yield from self._undecided.values()


def join_words(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def unresolved_principal(principal: Principal) -> str:
    name = "a principal" if principal.opaque else f"principal {principal.text}"
    return f"{name} could not be resolved ({principal.reason})"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def actions_text(actions: Iterable[str], view: StatementView) -> str:
    items = list(actions)
    via = view.actions.via(items)
    listed = act.summarize(items)
    return f"{listed} (via {via})" if via and any(act.is_wildcard(p) for p in view.actions.patterns) else listed


def undecided_document(reporter: Reporter, source: PolicySource, analysis: PolicyAnalysis) -> None:
    for reason in analysis.undecided:
        reporter.unsure(source.obj, f"{source.what} could not be read: {reason}", source.document.value)


def outside_owner(owner: Owner) -> str:
    """Where the grantee is, relative to the owner: said before the grant."""
    if owner.known:
        return f" outside the owner account {owner.account}"
    return ""


def owner_note(owner: Owner) -> str:
    """Appended to messages when the owner account is unknown."""
    if owner.known:
        return ""
    return " (the owner account is not known, so every named account counts as external; --account-id sets it)"
