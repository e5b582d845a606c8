"""ECR401 invalid-lifecycle-policy: a lifecycle policy ECR would reject, each violation where it is."""

from __future__ import annotations

from collections.abc import Iterable

from ecrlint.findings import Match, Undecided
from ecrlint.lifecycle.sources import (
    PolicyVariant,
    policy_sources,
    variants_of,
)
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext, match, undecided


def _dedupe(items: list[tuple[PolicyVariant, Match]], total: int) -> Iterable[Match]:
    """A finding in every branch outcome is reported once, without naming the outcome."""
    if total <= 1:
        yield from (m for _, m in items)
        return
    seen: dict[tuple[str, str], list[tuple[PolicyVariant, Match]]] = {}
    for variant, m in items:
        base = m.message[: -len(variant.suffix())] if variant.suffix() else m.message
        seen.setdefault((m.pointer, base), []).append((variant, m))
    for (pointer, base), group in seen.items():
        if len({id(v) for v, _ in group}) == total:
            first = group[0][1]
            yield Match(
                message=base,
                span=first.span,
                address=first.address,
                pointer=pointer,
                construct_path=first.construct_path,
                severity=first.severity,
                details=first.details,
                scenario=first.scenario,
                callers=first.callers,
            )
        else:
            yield from (m for _, m in group)


def invalid_lifecycle_policy(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    for source in policy_sources(model):
        found = variants_of(model, source)
        if isinstance(found, str):
            yield undecided(source.obj, found, source.document, source.pointer(""))
            continue
        items: list[tuple[PolicyVariant, Match]] = []
        for variant in found:
            if variant.document is None and variant.unresolved and not variant.violations:
                yield undecided(source.obj, variant.unresolved + variant.suffix(), source.document, source.pointer(""))
                continue
            for violation in variant.violations:
                items.append(
                    (
                        variant,
                        match(
                            source.obj,
                            violation.message + variant.suffix(),
                            violation.value,
                            pointer=source.pointer(violation.pointer),
                        ),
                    )
                )
        yield from _dedupe(items, len(found))
