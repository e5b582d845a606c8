"""The three questions of ECR402-404, decided for one validated policy.

Each question is decided exactly where `analysis` can (always, unless the tag patterns exceed the
automaton bounds). When the exact witness is as small as any counterexample can be (its *floor*: the
fewest images, tags and days the question allows), it is reported as it is. Otherwise the property
search looks for the simplest counterexample, and the smaller of the search's shrunk state and the
exact witness is reported; where the analysis cannot decide, the search alone answers. When the
exact analysis proves that no counterexample exists, no search runs. ECR403 needs both: the selections prove the shadowing and the
search finds no state in which the rule acts.

Answers are kept per run by the policy's content (`Answers`, on the model), so the checks share
one analysis per policy; `questions(model, options)` lists every question of a run, so that
`--jobs` can answer them ahead in other processes (`parallel.start_prefetch`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
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

        return encode(self, _answer_classes())

    @classmethod
    def from_json(cls, data: Any) -> Outcome | None:
        """The outcome `to_json` gave `data` for; None for data of any other shape."""
        from .codec import DecodeError, decode

        try:
            value = decode(data, _answer_classes())
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


# What an `Answers` keeps. Each rule asks its own kind of question, one rule after the other, so an
# answer is asked for again only while its rule runs (repositories sharing a policy); compiled
# policies and tag spaces serve the three questions about one policy.
KEPT_ANSWERS = 256
KEPT_SHARED = 64


@cache
def _answer_classes() -> dict[str, type]:
    """The classes a lifecycle answer is made of: the only ones its decoding builds."""
    import sys

    from . import analysis, evaluate, policy, tags
    from .codec import classes_of

    return classes_of(analysis, evaluate, policy, tags, sys.modules[__name__])


class Answers:
    """The lifecycle answers of one run, kept with its model (`answers(model)`): each question is
    answered once per policy, and questions about one policy share its compiled form and tag space."""

    def __init__(self) -> None:
        self.outcomes: dict[str, Outcome] = {}
        self._compiled: dict[str, CompiledPolicy] = {}
        self._spaces: dict[tuple, tuple] = {}

    def compiled(self, key: str) -> CompiledPolicy:
        return _kept(self._compiled, key, lambda: compile_policy(json.loads(key)), KEPT_SHARED)

    def space(self, policy: CompiledPolicy, protected: tuple[Entry, ...] = ()):
        """The tag space of a policy, shared by the questions asked of it (ECR403 and ECR404 ask the same)."""

        def build():
            try:
                return tag_space(policy, protected), None
            except Undecidable as err:
                return None, str(err)

        return _kept(self._spaces, (policy, protected), build, KEPT_SHARED)


def _kept(store: dict, key, build, limit: int):
    """`store[key]`, built when missing; the oldest entry goes once `limit` are kept."""
    if key not in store:
        if len(store) >= limit:
            del store[next(iter(store))]
        store[key] = build()
    return store[key]


def answers(model) -> Answers:
    """The run's answers, kept with its model."""
    return model.derived("lifecycle.answers", lambda _model: Answers())


@dataclass(frozen=True)
class Question:
    """One question of ECR402-404 about one policy. `parts` is everything the answer depends on, as
    text (its key in the cache); `args` the same as the computation takes it."""

    kind: str  # "402" | "403" | "404"
    parts: tuple[str, ...]
    args: tuple

    @property
    def key(self) -> str:
        from ..cache import content_key

        return content_key(self.kind, *self.parts)

    def answer(self, memo: Answers | None = None) -> Outcome:
        """The outcome, computed now (the exact analysis, and the search where it needs one)."""
        compute = {"402": _protected_tags, "403": _never_applies, "404": _can_empty}[self.kind]
        return compute(*self.args, memo or Answers())


def _protected_question(key: str, protected: tuple[str, ...], budget: int, histories: str) -> Question:
    return Question("402", (key, *protected, str(budget), histories), (key, protected, budget, histories))


def _never_question(key: str, budget: int) -> Question:
    return Question("403", (key, str(budget)), (key, budget))


def _empty_question(key: str, budget: int, histories: str) -> Question:
    return Question("404", (key, str(budget), histories), (key, budget, histories))


def questions(model, options) -> list[Question]:
    """Every question the lifecycle rules will ask of the model's policies, once each, in a fixed order."""
    from .sources import analysable

    protected = tuple(options.protected_tags)
    budget, histories = options.lifecycle_budget, options.lifecycle_histories
    found: dict[tuple[str, str], Question] = {}
    for _source, variant, _reason in analysable(model):
        if variant is None:
            continue
        key = _key(variant.data)
        for question in (
            _protected_question(key, protected, budget, histories),
            _never_question(key, budget),
            _empty_question(key, budget, histories),
        ):
            found[(question.kind, question.key)] = question
    return [found[k] for k in sorted(found)]


def _ask(question: Question, memo: Answers | None) -> Outcome:
    """The answer to `question`: from this run's answers, the run's cache, or computed now."""
    memo = memo if memo is not None else Answers()
    return _kept(memo.outcomes, question.key, lambda: _persisted(question, memo), KEPT_ANSWERS)


def _persisted(question: Question, memo: Answers) -> Outcome:
    """An answer remembered across runs, keyed by the policy's content and the question's settings
    (the analysis and the search are deterministic, so it depends on those only). Reading one back
    costs far less than the exact analysis, let alone the search."""
    from ..cache import MISSING, current

    cache = current()
    stored = cache.get_json("lifecycle", question.key)
    value = Outcome.from_json(stored) if stored is not MISSING else None
    if value is None:
        value = question.answer(memo)
        # In memory the run's `Answers` keep the answers; the cache keeps them for later runs.
        cache.put_json("lifecycle", question.key, value.to_json(), remember=False)
    return value


def _smaller(a: Counterexample | None, b: Counterexample | None) -> Counterexample | None:
    if a is None or b is None:
        return a or b
    return a if a.size <= b.size else b


# -- ECR402 ------------------------------------------------------------------------------
def protected_tags(
    policy: dict[str, Any],
    protected: tuple[str, ...],
    budget: int,
    histories: str = REALISTIC,
    memo: Answers | None = None,
) -> Outcome:
    return _ask(_protected_question(_key(policy), tuple(protected), budget, histories), memo)


def _protected_tags(key: str, protected: tuple[str, ...], budget: int, histories: str, memo: Answers) -> Outcome:
    from .search import SearchSpace, find_state

    outcome = Outcome()
    if not protected:
        return outcome
    realistic = histories == REALISTIC
    compiled = memo.compiled(key)
    globs = tuple(glob_entry(g) for g in protected)
    space, reason = memo.space(compiled, globs)
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
def never_applies(policy: dict[str, Any], budget: int, memo: Answers | None = None) -> Outcome:
    return _ask(_never_question(_key(policy), budget), memo)


def _never_applies(key: str, budget: int, memo: Answers) -> Outcome:
    from .search import SearchSpace, find_state

    outcome = Outcome()
    compiled = memo.compiled(key)
    space, reason = memo.space(compiled)
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
def can_empty(policy: dict[str, Any], budget: int, histories: str = REALISTIC, memo: Answers | None = None) -> Outcome:
    return _ask(_empty_question(_key(policy), budget, histories), memo)


def _can_empty(key: str, budget: int, histories: str, memo: Answers) -> Outcome:
    from .search import SearchSpace, find_state

    outcome = Outcome()
    realistic = histories == REALISTIC
    compiled = memo.compiled(key)
    space, reason = memo.space(compiled)
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

    search_space = SearchSpace(compiled, (), space)
    found = find_state(search_space, emptied, budget)
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
