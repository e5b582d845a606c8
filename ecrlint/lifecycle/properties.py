"""The three questions of ECR402-404, decided for one validated policy.

Each question is decided exactly where `analysis` can (always, unless the tag patterns exceed the
automaton bounds). When the exact witness is as small as any counterexample can be (its *floor*: the
fewest images, tags and days the question allows), it is reported as it is. Otherwise the property
search looks for the simplest counterexample, and the smaller of the search's shrunk state and the
exact witness is reported; where the analysis cannot decide, the search alone answers. When the
exact analysis proves that no counterexample exists, no search runs. ECR403 needs both: the selections prove the shadowing and the
search finds no state in which the rule acts.

Results are cached by the policy's content, so the four checks share one analysis per policy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .analysis import (
    Counterexample,
    can_mark,
    emptying_counterexample,
    emptying_floor,
    is_shadowed,
    later_pushes_counterexample,
    protected_floor,
    protected_tag_counterexample,
    shadow_illustration,
    tag_space,
)
from .evaluate import Evaluation, Image
from .histories import REALISTIC, emptied_history, protected_image_history
from .languages import Undecidable
from .policy import COUNT_MORE_THAN, CompiledPolicy, Rule, compile_policy
from .tags import Entry, glob_entry


@dataclass(frozen=True)
class ProtectedTagExpired:
    rule: Rule
    example: Counterexample
    tag: str  # the protected tag on the expired image


@dataclass(frozen=True)
class RuleNeverApplies:
    rule: Rule
    claimed_by: tuple[Rule, ...]  # higher rules that each claim every image the rule selects (may be empty)
    example: Counterexample | None  # the rule marks an image there, but a higher rule owns it


@dataclass(frozen=True)
class RepositoryEmptied:
    rule: Rule  # expires the newest image
    example: Counterexample


@dataclass
class Outcome:
    results: list[Any] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)

    def to_json(self) -> Any:
        from .codec import encode

        return encode(self)

    @classmethod
    def from_json(cls, data: Any) -> Outcome | None:
        """The outcome `to_json` gave `data` for; None for data of any other shape."""
        from .codec import DecodeError, decode

        try:
            value = decode(data)
        except (DecodeError, RecursionError):
            return None
        results = (ProtectedTagExpired, RuleNeverApplies, RepositoryEmptied)
        if type(value) is not cls or not all(type(r) in results for r in value.results):
            return None
        if not all(type(u) is str for u in value.undecided):
            return None
        return value


def _key(policy: dict[str, Any]) -> str:
    # Undecided text (an unresolved description) is keyed by its symbolic form; it never decides anything.
    return json.dumps(policy, sort_keys=True, separators=(",", ":"), default=str)


def _persisted(question: str, parts: tuple[str, ...], compute) -> Outcome:
    """An answer remembered across runs, keyed by the policy's content and the question's settings
    (the analysis and the search are deterministic, so it depends on those only). Reading one back
    costs far less than the exact analysis, let alone the search."""
    from ..cache import MISSING, content_key, current

    cache = current()
    key = content_key(question, *parts)
    stored = cache.get_json("lifecycle", key)
    value = Outcome.from_json(stored) if stored is not MISSING else None
    if value is None:
        value = compute()
        # In memory the functions' own bounded caches keep recent answers; the run's cache keeps only
        # what `--jobs` computed ahead.
        cache.put_json("lifecycle", key, value.to_json(), remember=False)
    return value


def _smaller(a: Counterexample | None, b: Counterexample | None) -> Counterexample | None:
    if a is None or b is None:
        return a or b
    return a if a.size <= b.size else b


@lru_cache(maxsize=64)
def _space(policy: CompiledPolicy, protected: tuple[Entry, ...] = ()):
    """The tag space of a policy, shared by the questions asked of it (ECR403 and ECR404 ask the same)."""
    try:
        return tag_space(policy, protected), None
    except Undecidable as err:
        return None, str(err)


@lru_cache(maxsize=64)
def _compiled(key: str) -> CompiledPolicy:
    return compile_policy(json.loads(key))


# -- ECR402 ------------------------------------------------------------------------------
def protected_tags(
    policy: dict[str, Any], protected: tuple[str, ...], budget: int, histories: str = REALISTIC
) -> Outcome:
    key = _key(policy)
    return _persisted(
        "402",
        (key, *protected, str(budget), histories),
        lambda: _protected_tags(key, tuple(protected), budget, histories),
    )


@lru_cache(maxsize=256)
def _protected_tags(key: str, protected: tuple[str, ...], budget: int, histories: str = REALISTIC) -> Outcome:
    from .search import SearchSpace, find_state

    outcome = Outcome()
    if not protected:
        return outcome
    realistic = histories == REALISTIC
    compiled = _compiled(key)
    globs = tuple(glob_entry(g) for g in protected)
    space, reason = _space(compiled, globs)
    search_space = SearchSpace(compiled, globs, space)
    kinds = (*(e for r in compiled.rules for e in r.entries), *globs)  # what a tag's kind is made of

    def protected_tag(image: Image) -> str | None:
        return next((t for t in image.tags if any(g.matches(t) for g in globs)), None)

    for rule in compiled.rules:
        if rule.action != "expire" or not can_mark(rule):
            continue
        exact: Counterexample | None = None
        decided = space is not None
        if space is not None:
            try:
                if realistic and rule.count_type == COUNT_MORE_THAN:
                    exact = later_pushes_counterexample(compiled, rule, globs, space)
                else:  # a `since*` rule's witness is the protected image alone: a realistic history
                    exact = protected_tag_counterexample(compiled, rule, globs, space)
            except Undecidable as err:
                decided, reason = False, str(err)
        if decided and exact is None:
            continue  # proven: this rule never expires a protected image (in the histories asked for)
        if exact is not None and exact.size <= protected_floor(rule, globs, space, tagged_later=realistic):
            outcome.results.append(_protected_result(rule, exact, protected_tag))
            continue  # proven minimal: no search can find a smaller state

        def hits(images: tuple[Image, ...], result: Evaluation, rule: Rule = rule) -> tuple[str, ...]:
            """Images carrying a protected tag that `rule` expires (in a history of the kind asked for)."""
            out = []
            for image in images:
                d = result.decisions[image.digest]
                if d.action == "expire" and d.rule.index == rule.index and protected_tag(image) is not None:
                    if not realistic or protected_image_history(images, image.digest, globs, kinds):
                        out.append(image.digest)
            return tuple(out)

        found = None
        if search_space.reaches(rule):
            found = find_state(
                search_space,
                lambda images, result: bool(hits(images, result)),
                budget,
                focus=rule,
                focus_tags=search_space.protected,
                tagged_after=realistic,
            )
        searched = None
        if found is not None:
            images, result = found
            searched = Counterexample(images, result, rule, hits(images, result))
        example = _smaller(searched, exact)
        if example is None:
            outcome.undecided.append(f"{rule.label}: {reason}")
            continue
        outcome.results.append(_protected_result(rule, example, protected_tag))
    return outcome


def _protected_result(rule: Rule, example: Counterexample, protected_tag) -> ProtectedTagExpired:
    image = next(i for i in example.images if i.digest == example.focus[0])
    return ProtectedTagExpired(rule, example, protected_tag(image) or "")


# -- ECR403 ------------------------------------------------------------------------------
def never_applies(policy: dict[str, Any], budget: int) -> Outcome:
    key = _key(policy)
    return _persisted("403", (key, str(budget)), lambda: _never_applies(key, budget))


@lru_cache(maxsize=256)
def _never_applies(key: str, budget: int) -> Outcome:
    from .search import SearchSpace, find_state

    outcome = Outcome()
    compiled = _compiled(key)
    space, reason = _space(compiled)
    if space is None:
        outcome.undecided.append(reason or "undecidable")
        return outcome
    shadowed: list[Rule] = []
    for rule in compiled.rules:
        try:
            if is_shadowed(compiled, rule, space):
                shadowed.append(rule)
        except Undecidable as err:
            outcome.undecided.append(f"{rule.label}: {err}")
    if not shadowed:
        return outcome
    # The search must not find a state in which a rule the analysis calls shadowed acts.
    search_space = SearchSpace(compiled, (), space)
    confirmed = []
    for rule in shadowed:

        def acts(images: tuple[Image, ...], result: Evaluation, rule: Rule = rule) -> bool:
            return any(d.rule is not None and d.rule.index == rule.index for d in result.decisions.values())

        if not search_space.reaches(rule) or find_state(search_space, acts, budget, focus=rule) is None:
            confirmed.append(rule)
        else:  # the analysis and the evaluator disagree: report nothing, but say so
            outcome.undecided.append(f"{rule.label}: the search found a state in which it acts")
    for rule in confirmed:
        claimers = tuple(h for h in compiled.higher(rule) if _claims_all(h, rule, space))
        example = shadow_illustration(compiled, rule) if can_mark(rule) else None
        outcome.results.append(RuleNeverApplies(rule, claimers, example))
    return outcome


def _claims_all(higher: Rule, rule: Rule, space) -> bool:
    """Whether `higher` alone claims every image `rule` selects."""
    try:
        return is_shadowed(CompiledPolicy((higher, rule)), rule, space)
    except Undecidable:
        return False


# -- ECR404 ------------------------------------------------------------------------------
def can_empty(policy: dict[str, Any], budget: int, histories: str = REALISTIC) -> Outcome:
    key = _key(policy)
    return _persisted("404", (key, str(budget), histories), lambda: _can_empty(key, budget, histories))


@lru_cache(maxsize=256)
def _can_empty(key: str, budget: int, histories: str = REALISTIC) -> Outcome:
    from .search import SearchSpace, find_state

    outcome = Outcome()
    realistic = histories == REALISTIC
    compiled = _compiled(key)
    space, reason = _space(compiled)
    exact: Counterexample | None = None
    decided = space is not None
    if space is not None:
        try:
            exact = emptying_counterexample(compiled, space, tagged=realistic)
        except Undecidable as err:
            decided, reason = False, str(err)
    if decided and exact is None:
        return outcome
    if exact is not None and exact.size <= emptying_floor(compiled, space, tagged=realistic):
        outcome.results.append(RepositoryEmptied(exact.rule, exact))
        return outcome  # proven minimal: no search can find a smaller state

    def emptied(images: tuple[Image, ...], result: Evaluation) -> bool:
        # Realistic histories: the newest image is tagged (states list oldest first).
        return bool(images) and (not realistic or emptied_history(images)) and len(result.expired()) == len(images)

    found = find_state(SearchSpace(compiled, (), space), emptied, budget)
    searched = None
    if found is not None:
        images, result = found
        rule = result.decisions[images[-1].digest].rule
        searched = Counterexample(images, result, rule, tuple(i.digest for i in images))
    example = _smaller(searched, exact)
    if example is None:
        outcome.undecided.append(reason or "undecidable")
        return outcome
    outcome.results.append(RepositoryEmptied(example.rule, example))
    return outcome


def clear_cache() -> None:
    """Forget cached analyses (benchmarks time the analysis, not the cache)."""
    _protected_tags.cache_clear()
    _never_applies.cache_clear()
    _can_empty.cache_clear()
    _space.cache_clear()
    _compiled.cache_clear()
