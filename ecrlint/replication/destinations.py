"""The rules and destinations of a replication configuration, with what is known of each."""

from __future__ import annotations

from dataclasses import dataclass

from ..iam.arns import is_account_id, scalar_text
from ..model.objects import ReplicationConfiguration
from ..values import Value


@dataclass(frozen=True)
class Rule:
    index: int  # 0-based position in the configuration
    value: Value
    destinations: list[Destination]
    filters: list[str] | None  # prefixes; [] for no filter; None when not known
    filters_reason: str | None = None  # why the filters are not known


@dataclass(frozen=True)
class Destination:
    value: Value  # the destination element
    account: str | None  # 12-digit registry id when known
    region: str | None
    account_text: str  # as written (symbolic when unknown), for messages
    reason: str | None = None  # why the account or region is not known


def _text(value: Value | None) -> tuple[str | None, bool]:
    if value is None:
        return None, False
    return scalar_text(value)


def _destination(value: Value) -> Destination:
    if not value.is_map:
        return Destination(value, None, None, value.text(), value.unknown_reason() or "destination is not an object")
    account, account_exact = _text(value.get("registry_id"))
    region, region_exact = _text(value.get("region"))
    reason = None
    if not (account_exact and account and is_account_id(account)):
        reason = (value.get("registry_id").unknown_reason() if value.get("registry_id") else None) or (
            "the destination registry id is not known"
        )
    elif not (region_exact and region):
        reason = (value.get("region").unknown_reason() if value.get("region") else None) or "region not known"
    return Destination(
        value,
        account if account_exact and account and is_account_id(account) else None,
        region if region_exact and region else None,
        account or "<unknown>",
        reason,
    )


def _filters(rule: Value) -> tuple[list[str] | None, str | None]:
    filters = rule.get("repository_filters")
    if filters is None:
        return [], None
    if not filters.is_list:
        return None, filters.unknown_reason() or "repository filters are not a list"
    prefixes: list[str] = []
    for item in filters.data:
        text, exact = _text(item.get("filter") if item.is_map else None)
        if not exact or text is None:
            return None, item.unknown_reason() or "a repository filter is not known"
        prefixes.append(text)
    return prefixes, None


def replication_rules(config: ReplicationConfiguration) -> tuple[list[Rule], str | None]:
    """The configuration's rules, and why they are not known (None when they are)."""
    rules = config.rules
    if rules is None:
        return [], None
    if not rules.is_list:
        return [], rules.unknown_reason() or "replication rules are not a list"
    result: list[Rule] = []
    for index, rule in enumerate(rules.data):
        if not rule.is_map:
            result.append(Rule(index, rule, [], None, rule.unknown_reason() or "rule is not an object"))
            continue
        raw = rule.get("destinations")
        elements = raw.data if raw is not None and raw.is_list else [raw] if raw is not None else []
        filters, why = _filters(rule)
        result.append(Rule(index, rule, [_destination(d) for d in elements], filters, why))
    return result, None


def source_account(config: ReplicationConfiguration, fallback: str | None = None) -> str | None:
    """The account whose registry replicates: the configuration's own account, else `--account-id`."""
    text, exact = _text(config.account_id)
    if exact and text and is_account_id(text):
        return text
    if fallback and is_account_id(str(fallback)):
        return str(fallback)
    return None
