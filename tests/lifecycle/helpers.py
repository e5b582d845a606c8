"""Shared helpers for the lifecycle tests."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from ecrlint.findings import Match
from ecrlint.lifecycle.evaluate import Image, evaluate
from ecrlint.model import LifecyclePolicy, Model
from ecrlint.options import Options
from ecrlint.parse.json import parse_json_value
from ecrlint.rule_api import CheckContext
from ecrlint.source import Span
from ecrlint.values import Value

from ..rules import rule_check

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)

CHECKS = {rule_id: rule_check(rule_id) for rule_id in ("ECR401", "ECR402", "ECR403", "ECR404")}


def image(digest: str, tags=(), days: float = 0, **kw) -> Image:
    """An image pushed `days` ago; `pulled`/`archived`/`activated` keywords are days ago too."""
    extra = {}
    for key, field in (
        ("pulled", "last_pulled_at"),
        ("archived", "last_archived_at"),
        ("activated", "last_activated_at"),
    ):
        if key in kw:
            extra[field] = NOW - timedelta(days=kw.pop(key))
    return Image(digest, tuple(tags), NOW - timedelta(days=days), **extra, **kw)


def outcome(policy: dict, images: list[Image], now: datetime = NOW) -> dict[str, tuple[str, int] | None]:
    """digest -> (action, rulePriority) for acted images, None for kept ones."""
    result = evaluate(policy, images, now)
    return {d.digest: (d.action, d.rule.priority) if d.acted else None for d in result.decisions.values()}


def acted(policy: dict, images: list[Image], now: datetime = NOW) -> dict[str, tuple[str, int]]:
    return {k: v for k, v in outcome(policy, images, now).items() if v is not None}


def rule(
    priority: int,
    status: str,
    count_type: str,
    number: int,
    *,
    prefixes=None,
    patterns=None,
    action="expire",
    storage=None,
    unit=True,
) -> dict:
    selection: dict = {"tagStatus": status, "countType": count_type, "countNumber": number}
    if prefixes is not None:
        selection["tagPrefixList"] = list(prefixes)
    if patterns is not None:
        selection["tagPatternList"] = list(patterns)
    if storage is not None:
        selection["storageClass"] = storage
    if count_type != "imageCountMoreThan" and unit:
        selection["countUnit"] = "days"
    act = {"type": action}
    if action == "transition":
        act["targetStorageClass"] = "archive"
    return {"rulePriority": priority, "selection": selection, "action": act}


def policy_model(text: str, path: str = "p.json") -> Model:
    doc = parse_json_value(text, path)
    return Model([LifecyclePolicy(address=path, span=doc.span, source_format="json", document=doc)])


def run_check(rule_id: str, model_or_text, **options) -> list:
    model = policy_model(model_or_text) if isinstance(model_or_text, str) else model_or_text
    ctx = CheckContext(Options(**options), rule_id=rule_id)
    return list(CHECKS[rule_id](model, ctx))


def dumps(policy: dict) -> str:
    return json.dumps(policy, indent=2)


SPAN = Span("main.tf", 1, 1, 1, 1)


SINCE_ANY = {"rules": [rule(1, "any", "sinceImagePushed", 30)]}


SAFE = {
    "rules": [
        rule(1, "tagged", "imageCountMoreThan", 1, patterns=["latest"]),
        rule(2, "untagged", "sinceImagePushed", 14),
        rule(3, "tagged", "imageCountMoreThan", 30, patterns=["v*"]),
    ]
}


SHADOWED = {
    "rules": [
        rule(1, "tagged", "imageCountMoreThan", 20, prefixes=["release"]),
        rule(2, "tagged", "sinceImagePushed", 7, prefixes=["release-hotfix"]),
    ]
}


def matches(rule_id: str, policy, **options) -> list[Match]:
    text = policy if isinstance(policy, str) else dumps(policy)
    return [m for m in run_check(rule_id, text, **options) if isinstance(m, Match)]


def check_context(**options):
    from ecrlint.options import Options
    from ecrlint.rule_api import CheckContext

    return CheckContext(Options(**options))


def policy_value(policy) -> Value:
    return parse_json_value(dumps(policy), "main.tf")
