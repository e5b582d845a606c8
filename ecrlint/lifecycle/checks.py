"""The lifecycle rules ECR401-404 as Python checks (`check:` in their rule.yaml).

A lifecycle policy is found in three places: `LifecyclePolicy` objects (Terraform
`aws_ecr_lifecycle_policy`, standalone JSON), `Repository.inline_lifecycle_policy` (CloudFormation)
and `RepositoryCreationTemplate.lifecycle_policy`. A document that depends on a condition is
checked once per outcome and findings name the outcome; an unresolved document gives no finding,
only an `Undecided`. ECR402-404 analyse only documents that ECR401 accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..checks import CheckContext, match, undecided
from ..findings import Match, Undecided
from ..iam.variants import variants
from ..model import LifecyclePolicy, Model, ModelObject, Repository, RepositoryCreationTemplate
from ..values import Value
from .histories import REALISTIC
from .policy import COUNT_MORE_THAN, SINCE_TRANSITIONED, Rule
from .properties import can_empty, never_applies, protected_tags
from .report import actions_text, counterexample_details, rule_details, state_text
from .validate import Violation, evaluation_data, parse_text, validate


@dataclass
class _Source:
    obj: ModelObject
    document: Value
    prefix: str  # pointer of the document inside the object ("" when the object is the policy)

    def pointer(self, inner: str) -> str:
        if not self.prefix:
            return inner
        return f"{self.prefix}.{inner}" if inner else self.prefix


@dataclass
class _Variant:
    label: str | None  # the branch outcome, e.g. "condition IsProd is true"; None without branches
    document: Value | None = None  # the parsed policy
    violations: list[Violation] = field(default_factory=list)
    data: dict[str, Any] | None = None  # plain policy, when valid and fully decided
    unresolved: str | None = None  # why it cannot be analysed

    def suffix(self) -> str:
        return f" (when {self.label})" if self.label else ""


def _sources(model: Model) -> Iterator[_Source]:
    for obj in model.of(LifecyclePolicy):
        if obj.document is not None:
            yield _Source(obj, obj.document, "")
    for obj in model.of(Repository):
        if obj.inline_lifecycle_policy is not None:
            yield _Source(obj, obj.inline_lifecycle_policy, "lifecycle_policy")
    for obj in model.of(RepositoryCreationTemplate):
        if obj.lifecycle_policy is not None:
            yield _Source(obj, obj.lifecycle_policy, "lifecycle_policy")


def _variants_of(model: Model, source: _Source) -> list[_Variant] | str:
    """`_variants`, computed once per document for the four lifecycle rules and the prefetch."""
    memo = model.derived("lifecycle.variants", lambda _model: {})
    key = id(source.document)
    if key not in memo:
        memo[key] = _variants(source)
    return memo[key]


def _variants(source: _Source) -> list[_Variant] | str:
    """The document once per branch outcome, validated; or why it cannot be judged at all."""
    outcomes = variants(source.document)
    if outcomes is None:
        return "the lifecycle policy depends on too many conditions"
    out: list[_Variant] = []
    for label, value in outcomes:
        if value is None:
            continue  # the policy is absent in this outcome
        variant = _Variant(label)
        if value.is_unknown:
            variant.unresolved = value.unknown_reason() or "the lifecycle policy is unresolved"
            out.append(variant)
            continue
        if value.is_str:
            parsed, problem = parse_text(value)
            if problem is not None:
                variant.violations = [problem]
                out.append(variant)
                continue
            value = parsed
        variant.document = value
        variant.violations = validate(value)
        if not variant.violations:
            variant.data, variant.unresolved = evaluation_data(value)
        out.append(variant)
    return out


def _rule_value(document: Value, rule: Rule) -> Value:
    rules = document.get("rules")
    if rules is not None and rules.is_list and rule.index < len(rules.data):
        return rules.data[rule.index]
    return document


def _analysable(model: Model) -> Iterator[tuple[_Source, _Variant | None, str | None]]:
    """(source, variant, None) for each policy outcome ECR402-404 can analyse; (source, None, reason) otherwise."""
    for source in _sources(model):
        found = _variants_of(model, source)
        if isinstance(found, str):
            yield source, None, found
            continue
        for variant in found:
            if variant.violations:
                continue  # ECR401 reports it; an invalid policy is not analysed
            if variant.data is None:
                yield source, None, (variant.unresolved or "the lifecycle policy is unresolved") + variant.suffix()
                continue
            yield source, variant, None


def _dedupe(items: list[tuple[_Variant, Match]], total: int) -> Iterable[Match]:
    """A finding in every branch outcome is reported once, without naming the outcome."""
    if total <= 1:
        yield from (m for _, m in items)
        return
    seen: dict[tuple[str, str], list[tuple[_Variant, Match]]] = {}
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


# -- ECR401 ------------------------------------------------------------------------------
def invalid_lifecycle_policy(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    for source in _sources(model):
        found = _variants_of(model, source)
        if isinstance(found, str):
            yield undecided(source.obj, found, source.document, source.pointer(""))
            continue
        items: list[tuple[_Variant, Match]] = []
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


class _SharedDetails:
    """Counterexample details, built once per counterexample: repositories that share a policy share
    its outcome, and their findings share the (read-only) image rows."""

    def __init__(self) -> None:
        self._built: dict[int, tuple[Any, dict[str, Any]]] = {}

    def __call__(self, example) -> dict[str, Any]:
        hit = self._built.get(id(example))
        if hit is None or hit[0] is not example:
            hit = (example, counterexample_details(example))
            self._built[id(example)] = hit
        return hit[1]


def _not_served_by_cache(model: Model) -> Iterator[tuple[_Source, _Variant | None, str | None]]:
    """`_analysable`, less the policies of repositories a pull through cache serves (an expired image
    is fetched again on the next pull); where that cannot be decided, the reason instead."""
    from .pull_through import served_by_cache

    for source, variant, reason in _analysable(model):
        served, unknown = served_by_cache(model, source.obj)
        if served:
            continue
        if unknown is not None:
            yield source, None, unknown
            continue
        yield source, variant, reason


# -- ECR402 ------------------------------------------------------------------------------
LATER_PUSHES_SEVERITY = "medium"  # the history needs other pipelines' pushes after the protected image


def lifecycle_expires_protected_tag(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    options = ctx.options
    details_of = _SharedDetails()
    for source, variant, reason in _not_served_by_cache(model):
        if variant is None:
            yield undecided(source.obj, reason, source.document, source.pointer(""))
            continue
        outcome = protected_tags(
            variant.data, tuple(options.protected_tags), options.lifecycle_budget, options.lifecycle_histories
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
                _rule_value(variant.document, rule),
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


# -- ECR403 ------------------------------------------------------------------------------
def lifecycle_rule_never_applies(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    details_of = _SharedDetails()
    for source, variant, reason in _analysable(model):
        if variant is None:
            yield undecided(source.obj, reason, source.document, source.pointer(""))
            continue
        outcome = never_applies(variant.data, ctx.options.lifecycle_budget)
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
            selection = _rule_value(variant.document, rule)
            selection = selection.get("selection") or selection
            yield match(
                source.obj,
                message + variant.suffix(),
                selection,
                pointer=source.pointer(f"{rule.pointer}.selection"),
                details=details,
            )


# -- ECR404 ------------------------------------------------------------------------------
def lifecycle_can_empty_repository(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]:
    details_of = _SharedDetails()
    for source, variant, reason in _not_served_by_cache(model):
        if variant is None:
            yield undecided(source.obj, reason, source.document, source.pointer(""))
            continue
        outcome = can_empty(variant.data, ctx.options.lifecycle_budget, ctx.options.lifecycle_histories)
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
                _rule_value(variant.document, rule),
                pointer=source.pointer(rule.pointer),
                details=details,
            )


def release() -> None:
    """Called by the engine after the last lifecycle rule: forget the outcomes kept for them."""
    from ..cache import current
    from .properties import clear_cache

    clear_cache()
    current().forget("lifecycle")
