"""ECR402 lifecycle-expires-protected-tag: a lifecycle rule can expire an image carrying a protected tag."""

from __future__ import annotations

from collections.abc import Iterable

from ecrlint.findings import Match, Undecided
from ecrlint.lifecycle.histories import REALISTIC
from ecrlint.lifecycle.policy import COUNT_MORE_THAN, SINCE_TRANSITIONED
from ecrlint.lifecycle.properties import answers, protected_tags
from ecrlint.lifecycle.report import actions_text, rule_details, state_text
from ecrlint.lifecycle.sources import (
    SharedDetails,
    not_served_by_cache,
    rule_value,
)
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext, match, undecided

LATER_PUSHES_SEVERITY = "medium"  # the history needs other pipelines' pushes after the protected image


def lifecycle_expires_protected_tag(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    options = ctx.options
    details_of = SharedDetails()
    for source, variant, reason in not_served_by_cache(model):
        if variant is None:
            yield undecided(source.obj, reason, source.document, source.pointer(""))
            continue
        outcome = protected_tags(
            variant.data,
            tuple(options.protected_tags),
            options.lifecycle_budget,
            options.lifecycle_histories,
            memo=answers(model),
        )
        for note in outcome.undecided:
            yield undecided(source.obj, note + variant.suffix(), source.document, source.pointer(""))
        for result in outcome.results:
            example = result.example
            rule = result.rule
            history, later = _history_text(result, options.lifecycle_histories)
            message = (
                f'{rule.label} can expire an image tagged "{result.tag}" (protected) {history}: with images '
                f"{state_text(example.images, example.focus)}, {_focus_actions(example)}"
            )
            details = {
                **rule_details(rule),
                "protected_tag": result.tag,
                "protected_patterns": list(options.protected_tags),
                "histories": options.lifecycle_histories,
                "pushed_after": later,
                **details_of(example),
            }
            yield match(
                source.obj,
                message + variant.suffix(),
                rule_value(variant.document, rule),
                pointer=source.pointer(rule.pointer),
                severity=LATER_PUSHES_SEVERITY if rule.count_type == COUNT_MORE_THAN else None,
                details=details,
            )


def _history_text(result, histories: str) -> tuple[str, int]:
    """The history of the counterexample in plain words, and how many images it pushes after the
    protected one. An age rule expires it even as the newest image; a count rule needs later pushes."""
    example, rule = result.example, result.rule
    focus = next(i for i in example.images if i.digest == example.focus[0])
    later = sum(1 for i in example.images if i.pushed_at > focus.pushed_at)
    if rule.count_type != COUNT_MORE_THAN:
        n = rule.count_number
        if rule.count_type == SINCE_TRANSITIONED:
            return f"even as the newest image, once archived more than {n} days", later
        if later == 0:
            return f"even as the newest image, once nothing has been pushed for more than {n} days", later
        return f"once it is more than {n} days old", later
    what = "images" if rule.tag_status == "any" else f"images it selects ({rule.selection_text()})"
    by = " by other pipelines, such as branch builds" if histories == REALISTIC else ""
    return f"once {later} {what} are pushed after it{by}", later


def _focus_actions(example) -> str:
    return actions_text(example.evaluation, example.focus)
