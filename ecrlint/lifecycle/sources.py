"""The lifecycle policies in the model, each in the variants its conditional values can take."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..iam.variants import variants
from ..model import LifecyclePolicy, Model, ModelObject, Repository, RepositoryCreationTemplate
from ..values import Value, when
from .policy import Rule
from .report import counterexample_details
from .validate import Violation, evaluation_data, parse_text, validate


@dataclass
class PolicySource:
    obj: ModelObject
    document: Value
    prefix: str  # pointer of the document inside the object ("" when the object is the policy)

    def pointer(self, inner: str) -> str:
        if not self.prefix:
            return inner
        return f"{self.prefix}.{inner}" if inner else self.prefix


@dataclass
class PolicyVariant:
    conditions: tuple[str, ...]  # the branch outcome, e.g. ("condition IsProd is true",); () without branches
    document: Value | None = None  # the parsed policy
    violations: list[Violation] = field(default_factory=list)
    data: dict[str, Any] | None = None  # plain policy, when valid and fully decided
    unresolved: str | None = None  # why it cannot be analysed

    def suffix(self) -> str:
        return when(self.conditions)


def policy_sources(model: Model) -> Iterator[PolicySource]:
    for obj in model.of(LifecyclePolicy):
        if obj.document is not None:
            yield PolicySource(obj, obj.document, "")
    for obj in model.of(Repository):
        if obj.inline_lifecycle_policy is not None:
            yield PolicySource(obj, obj.inline_lifecycle_policy, "lifecycle_policy")
    for obj in model.of(RepositoryCreationTemplate):
        if obj.lifecycle_policy is not None:
            yield PolicySource(obj, obj.lifecycle_policy, "lifecycle_policy")


def variants_of(model: Model, source: PolicySource) -> list[PolicyVariant] | str:
    """`_variants`, computed once per document for the four lifecycle rules and the prefetch."""
    memo = model.derived("lifecycle.variants", lambda _model: {})
    key = id(source.document)
    if key not in memo:
        memo[key] = _variants(source)
    return memo[key]


def _variants(source: PolicySource) -> list[PolicyVariant] | str:
    """The document once per branch outcome, validated; or why it cannot be judged at all."""
    outcomes = variants(source.document)
    if outcomes is None:
        return "the lifecycle policy depends on too many conditions"
    out: list[PolicyVariant] = []
    for conditions, value in outcomes:
        if value is None:
            continue  # the policy is absent in this outcome
        variant = PolicyVariant(conditions)
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


def rule_value(document: Value, rule: Rule) -> Value:
    rules = document.get("rules")
    if rules is not None and rules.is_list and rule.index < len(rules.data):
        return rules.data[rule.index]
    return document


def analysable(model: Model) -> Iterator[tuple[PolicySource, PolicyVariant | None, str | None]]:
    """(source, variant, None) for each policy outcome ECR402-404 can analyse; (source, None, reason) otherwise."""
    for source in policy_sources(model):
        found = variants_of(model, source)
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


class SharedDetails:
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


def not_served_by_cache(model: Model) -> Iterator[tuple[PolicySource, PolicyVariant | None, str | None]]:
    """`analysable`, less the policies of repositories a pull through cache serves (an expired image
    is fetched again on the next pull); where that cannot be decided, the reason instead."""
    from .pull_through import served_by_cache

    for source, variant, reason in analysable(model):
        served, unknown = served_by_cache(model, source.obj)
        if served:
            continue
        if unknown is not None:
            yield source, None, unknown
            continue
        yield source, variant, reason
