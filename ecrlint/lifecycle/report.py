"""Counterexamples in words (one compact line) and as data (the finding's `details`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .analysis import SEARCH_NOW, Counterexample
from .evaluate import Decision, Evaluation, Image, format_age
from .policy import ARCHIVE, Rule

MAX_LISTED = 4  # images written out in a message before the rest is summarised
MAX_DETAILED = 12  # images listed in details before the middle is left out
KEPT_AT_EACH_END = 5  # oldest and newest images listed when the middle is left out (besides the focus)


def image_text(image: Image, now: datetime = SEARCH_NOW) -> str:
    """`A[latest,v1] 31d`, `B(untagged) 2d`, `C[x] 400d archived 366d`, `D[x] 40d pulled 35d`."""
    tags = f"[{','.join(image.tags)}]" if image.tags else "(untagged)"
    text = f"{image.digest}{tags} {format_age(now - image.pushed_at)}"
    if image.storage_class == ARCHIVE and image.last_archived_at is not None:
        text += f" archived {format_age(now - image.last_archived_at)}"
    if image.last_pulled_at is not None:
        text += f" pulled {format_age(now - image.last_pulled_at)}"
    return text


def state_text(images: tuple[Image, ...], focus: tuple[str, ...], now: datetime = SEARCH_NOW) -> str:
    """The images of a state, oldest first; past a few, the rest as a range."""
    if len(images) <= MAX_LISTED + 1:
        return ", ".join(image_text(i, now) for i in images)
    shown = [i for i in images if i.digest in focus][:MAX_LISTED]
    others = [i for i in images if i not in shown]
    if len(shown) < MAX_LISTED:
        extra = others[: MAX_LISTED - len(shown)]
        shown += extra
        others = [i for i in others if i not in extra]
    shown.sort(key=lambda i: images.index(i))
    parts = [image_text(i, now) for i in shown]
    untagged = sum(1 for i in others if not i.tags)
    kind = "untagged " if untagged == len(others) else ""
    ages = sorted(now - i.pushed_at for i in others)
    parts.append(
        f"{len(others)} more {kind}images {others[0].digest}..{others[-1].digest} "
        f"pushed {format_age(ages[-1])}..{format_age(ages[0])} ago"
    )
    return ", ".join(parts)


def actions_text(result: Evaluation, digests: tuple[str, ...]) -> str:
    """`rule 2 expires A (why); rule 1 expires B, C, D (B: why)`: what happens to `digests`, by rule."""
    by_rule: dict[int, list[Decision]] = {}
    order: list[Rule] = []
    for digest in digests:
        decision = result.decisions[digest]
        if not decision.acted:
            continue
        if decision.rule.index not in by_rule:
            by_rule[decision.rule.index] = []
            order.append(decision.rule)
        by_rule[decision.rule.index].append(decision)
    parts = []
    for rule in order:
        decisions = by_rule[rule.index]
        verb = "archives" if rule.action == "transition" else "expires"
        first = decisions[0]
        if len(decisions) == 1:
            parts.append(f"{rule.label} {verb} {first.digest} ({first.reason})")
        elif len(decisions) <= 3:
            names = ", ".join(d.digest for d in decisions)
            parts.append(f"{rule.label} {verb} {names} ({first.digest}: {first.reason})")
        else:
            names = f"{first.digest}..{decisions[-1].digest}"
            parts.append(f"{rule.label} {verb} {names} ({len(decisions)} images; {first.digest}: {first.reason})")
    return "; ".join(parts)


def _days(delta) -> float | int:
    days = delta.total_seconds() / 86400
    return int(days) if days == int(days) else round(days, 4)


def image_details(image: Image, decision: Decision, now: datetime = SEARCH_NOW) -> dict[str, Any]:
    return {
        "image": image.digest,
        "tags": list(image.tags),
        "pushed_days_ago": _days(now - image.pushed_at),
        "last_pulled_days_ago": None if image.last_pulled_at is None else _days(now - image.last_pulled_at),
        "storage_class": image.storage_class,
        "archived_days_ago": None if image.last_archived_at is None else _days(now - image.last_archived_at),
        "result": decision.action or "keep",
        "rule": decision.rule.pointer if decision.rule is not None else None,
        "rule_priority": decision.rule.priority if decision.rule is not None else None,
        "claimed_by": decision.owner.pointer if decision.owner is not None else None,
        "reason": decision.reason,
    }


def rule_details(rule: Rule) -> dict[str, Any]:
    return {"rule": rule.pointer, "rule_priority": rule.priority, "summary": rule.summary()}


def counterexample_details(example: Counterexample, now: datetime = SEARCH_NOW) -> dict[str, Any]:
    images = list(example.images)
    details: dict[str, Any] = {"image_count": len(images)}
    listed = images
    if len(images) > MAX_DETAILED:
        ends = images[:KEPT_AT_EACH_END] + images[-KEPT_AT_EACH_END:]
        keep = {i.digest for i in ends} | set(example.focus)
        listed = [i for i in images if i.digest in keep]
        details["images_left_out"] = len(images) - len(listed)
    details["images"] = [image_details(i, example.evaluation.decisions[i.digest], now) for i in listed]
    details["focus"] = list(example.focus)
    return details
