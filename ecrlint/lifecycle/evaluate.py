"""The exact lifecycle evaluator: which rule expires or archives which image, and why.

It follows the evaluation rules of "How lifecycle policies work" (ecr-reference.md §2.3) through the
simulation model of §2.4, which is *derived* from those rules and agrees with every AWS worked example
in §2.5 (the tests replay each of them):

* owner(image) is the highest-priority rule whose tag selection (tagStatus, tagPrefixList or
  tagPatternList, storageClass) matches the image. Rule 4: "An image that matches the tagging
  requirements of a rule cannot be expired or archived by a rule with a lower priority."
* Every rule marks images over *all* images its selection matches, including those owned by
  higher-priority rules. Rule 5: lower rules "can still identify them as if they haven't been
  expired or archived"; rule 2: all rules are evaluated at the same time.
* An image is acted on by its owner rule only, when that rule marked it. Rule 3: "An image is
  expired or archived by exactly one or zero rules."

Time comparisons: "older than N days" is strict. AWS example B of "Filtering on multiple rules"
(§2.5 E10) keeps an untagged image pushed exactly one day ago under a one-day rule. Ties in push
time are broken by digest so the result never depends on the order images are listed in. ECR does
not document how it orders images pushed at the same instant.

Not modelled: rule 1 (reference artifacts follow their subject image) and rule 8 (an image referenced
by a manifest list is kept until the list goes). `describe-images` output does not show these links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from .policy import (
    ARCHIVE,
    COUNT_MORE_THAN,
    SINCE_PULLED,
    SINCE_PUSHED,
    SINCE_TRANSITIONED,
    STANDARD,
    CompiledPolicy,
    Rule,
    compile_policy,
)

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)  # slots: a large counterexample holds hundreds of them
class Image:
    digest: str
    tags: tuple[str, ...] = ()
    pushed_at: datetime = datetime(1970, 1, 1, tzinfo=timezone.utc)
    last_pulled_at: datetime | None = None  # lastRecordedPullTime
    storage_class: str = STANDARD  # standard | archive
    last_archived_at: datetime | None = None
    last_activated_at: datetime | None = None  # set when an archived image was restored

    @property
    def effective_pushed_at(self) -> datetime:
        """Rule 9: after a restore from archive, `last_activated_at` stands in for the push time."""
        return self.last_activated_at or self.pushed_at

    def pull_reference(self) -> tuple[datetime, str]:
        """Rule 17: last pull; else the restore time if restored and not pulled since; else the push time."""
        if self.last_activated_at is not None and (
            self.last_pulled_at is None or self.last_pulled_at < self.last_activated_at
        ):
            return self.last_activated_at, "restored"
        if self.last_pulled_at is not None:
            return self.last_pulled_at, "last pulled"
        return self.pushed_at, "never pulled; pushed"


@dataclass(frozen=True, slots=True)
class Decision:
    """What the policy does to one image."""

    digest: str
    action: str | None  # expire | transition | None (the image stays)
    rule: Rule | None  # the rule that acts on it, when it is acted on
    owner: Rule | None  # the highest-priority rule whose tag selection matches it
    reason: str

    @property
    def acted(self) -> bool:
        return self.action is not None


@dataclass
class Evaluation:
    decisions: dict[str, Decision]  # by digest, in the order the images were given
    marks: dict[int, dict[str, str]] = field(default_factory=dict)  # rule index -> digest -> why it marked it
    selected: dict[int, list[str]] = field(default_factory=dict)  # rule index -> digests it selects

    def acted(self) -> list[Decision]:
        return [d for d in self.decisions.values() if d.acted]

    def expired(self) -> set[str]:
        return {d.digest for d in self.decisions.values() if d.action == "expire"}

    def transitioned(self) -> set[str]:
        return {d.digest for d in self.decisions.values() if d.action == "transition"}

    def by_rule(self, rule_index: int) -> list[Decision]:
        return [d for d in self.decisions.values() if d.rule is not None and d.rule.index == rule_index]


def format_age(delta: timedelta) -> str:
    """`31d`, `2d 4h`, `5h`, `12m`, `0d`: compact and exact to the minute."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days and hours:
        return f"{sign}{days}d {hours}h"
    if days:
        return f"{sign}{days}d"
    if hours:
        return f"{sign}{hours}h"
    if minutes:
        return f"{sign}{minutes}m"
    return "0d"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _youngest_first(images: Iterable[Image]) -> list[Image]:
    """Rule 15: sorted from youngest to oldest by push time (restore time after a restore); ties by digest."""
    return sorted(images, key=lambda i: (-i.effective_pushed_at.timestamp(), i.digest))


def _marks(rule: Rule, selected: list[Image], now: datetime) -> dict[str, str]:
    """The images `rule` marks among all images its selection matches (whoever owns them)."""
    limit = rule.count_number * DAY
    marks: dict[str, str] = {}
    if rule.count_type == COUNT_MORE_THAN:
        ordered = _youngest_first(selected)
        for rank, image in enumerate(ordered[rule.count_number :], start=rule.count_number + 1):
            marks[image.digest] = f"{_ordinal(rank)} newest of {len(ordered)} selected, keeps {rule.count_number}"
    elif rule.count_type == SINCE_PUSHED:
        for image in selected:
            age = now - image.effective_pushed_at
            if age > limit:
                marks[image.digest] = f"pushed {format_age(age)} ago, more than {rule.count_number} days"
    elif rule.count_type == SINCE_PULLED:
        for image in selected:
            when, what = image.pull_reference()
            age = now - when
            if age > limit:
                marks[image.digest] = f"{what} {format_age(age)} ago, more than {rule.count_number} days"
    elif rule.count_type == SINCE_TRANSITIONED:
        for image in selected:
            # Rule 18 acts on archived images by `last_archived_at`; without that time it cannot decide.
            if image.storage_class == ARCHIVE and image.last_archived_at is not None:
                age = now - image.last_archived_at
                if age > limit:
                    marks[image.digest] = f"archived {format_age(age)} ago, more than {rule.count_number} days"
    return marks


def _kept_reason(owner: Rule | None, image: Image, selected: dict[int, list[str]], now: datetime) -> str:
    if owner is None:
        return "no rule selects it"
    if owner.count_type == COUNT_MORE_THAN:
        return f"{owner.label} keeps it ({owner.count_number} newest of {len(selected[owner.index])} selected)"
    if owner.count_type == SINCE_PUSHED:
        age = format_age(now - image.effective_pushed_at)
        return f"{owner.label} keeps it (pushed {age} ago, limit {owner.count_number} days)"
    if owner.count_type == SINCE_PULLED:
        when, what = image.pull_reference()
        return f"{owner.label} keeps it ({what} {format_age(now - when)} ago, limit {owner.count_number} days)"
    return f"{owner.label} keeps it (limit {owner.count_number} days in archive)"


def evaluate(policy: dict[str, Any] | CompiledPolicy, images: Iterable[Image], now: datetime) -> Evaluation:
    """Evaluate a validated policy against a repository state at time `now`."""
    compiled = compile_policy(policy)
    images = list(images)
    seen: set[str] = set()
    for image in images:
        if image.digest in seen:
            raise ValueError(f"image {image.digest} is listed twice")
        seen.add(image.digest)

    selected: dict[int, list[str]] = {}
    marks: dict[int, dict[str, str]] = {}
    owners: dict[str, Rule | None] = {image.digest: None for image in images}
    for rule in compiled.rules:  # priority order
        chosen = [i for i in images if i.storage_class == rule.storage_class and rule.selects_tags(i.tags)]
        selected[rule.index] = [i.digest for i in chosen]
        for image in chosen:
            if owners[image.digest] is None:
                owners[image.digest] = rule
        marks[rule.index] = _marks(rule, chosen, now)

    decisions: dict[str, Decision] = {}
    for image in images:
        owner = owners[image.digest]
        reason = marks[owner.index].get(image.digest) if owner is not None else None
        if owner is not None and reason is not None:
            decisions[image.digest] = Decision(image.digest, owner.action, owner, owner, reason)
        else:
            decisions[image.digest] = Decision(
                image.digest, None, None, owner, _kept_reason(owner, image, selected, now)
            )
    return Evaluation(decisions, marks, selected)
