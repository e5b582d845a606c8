"""ECR404 lifecycle-can-empty-repository: the lifecycle policy can expire every image of the repository."""

from __future__ import annotations

from collections.abc import Iterable

from ecrlint.findings import Match, Undecided
from ecrlint.lifecycle.properties import answers, can_empty
from ecrlint.lifecycle.report import actions_text, rule_details, state_text
from ecrlint.lifecycle.sources import (
    SharedDetails,
    not_served_by_cache,
    rule_value,
)
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext, match, undecided


def lifecycle_can_empty_repository(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    details_of = SharedDetails()
    for source, variant, reason in not_served_by_cache(model):
        if variant is None:
            yield undecided(source.obj, reason, source.document, source.pointer(""))
            continue
        outcome = can_empty(
            variant.data, ctx.options.lifecycle_budget, ctx.options.lifecycle_histories, memo=answers(model)
        )
        for note in outcome.undecided:
            yield undecided(source.obj, note + variant.suffix(), source.document, source.pointer(""))
        for result in outcome.results:
            example = result.example
            rule = result.rule
            message = (
                f"the policy can expire every image in the repository: with images "
                f"{state_text(example.images, example.focus)}, {actions_text(example.evaluation, example.focus)}"
            )
            details = {**rule_details(rule), **details_of(example)}
            yield match(
                source.obj,
                message + variant.suffix(),
                rule_value(variant.document, rule),
                pointer=source.pointer(rule.pointer),
                details=details,
            )
