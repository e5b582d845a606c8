"""ECR403 lifecycle-rule-never-applies: a lifecycle rule that no repository history lets act."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecrlint.findings import Match, Undecided
from ecrlint.lifecycle.properties import answers, never_applies
from ecrlint.lifecycle.report import rule_details, state_text
from ecrlint.lifecycle.sources import (
    SharedDetails,
    analysable,
    rule_value,
)
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext, match, undecided


def lifecycle_rule_never_applies(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    details_of = SharedDetails()
    for source, variant, reason in analysable(model):
        if variant is None:
            yield undecided(source.obj, reason, source.document, source.pointer(""))
            continue
        outcome = never_applies(variant.data, ctx.options.lifecycle_budget, memo=answers(model))
        for note in outcome.undecided:
            yield undecided(source.obj, note + variant.suffix(), source.document, source.pointer(""))
        for result in outcome.results:
            rule = result.rule
            verb = "archives" if rule.action == "transition" else "expires"
            if result.claimed_by:
                claimers = " or ".join(f"{h.label} ({h.selection_text()})" for h in result.claimed_by)
            else:
                claimers = "higher-priority rules"
            message = (
                f"{rule.label} never {verb} any image: every image it selects ({rule.selection_text()}) "
                f"is claimed first by {claimers}"
            )
            details: dict[str, Any] = {
                **rule_details(rule),
                "claimed_by": [h.pointer for h in result.claimed_by],
            }
            example = result.example
            if example is not None:
                target = example.focus[0]
                owner = example.evaluation.decisions[target].owner
                mark = example.evaluation.marks[rule.index][target]
                message += (
                    f"; e.g. with images {state_text(example.images, example.focus)}, {rule.label} would "
                    f"{verb[:-1]} {target} ({mark}) but {owner.label} claims it"
                )
                details.update(details_of(example))
            selection = rule_value(variant.document, rule)
            selection = selection.get("selection") or selection
            yield match(
                source.obj,
                message + variant.suffix(),
                selection,
                pointer=source.pointer(f"{rule.pointer}.selection"),
                details=details,
            )
