"""Registry policies as replication destinations: whose registry each governs and what it permits.

A registry policy governs the registry of one account in one Region. The account and Region come
from the policy's own `Resource` ARNs when they name exactly one of each (a registry policy can only
grant on its own registry), else from the resource's account and Region.

`permits(...)` answers "may the source account replicate into this registry": True, False, or
None (undecided). A statement counts when its principal covers the source account, it grants the
action, its conditions do not exclude the source account, and its resources can match a
repository the rule replicates (a name starting with one of the rule's filter prefixes).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..iam.arns import glob_match, is_account_id, parse_arn, policy_variables_as_wildcards, scalar_text
from ..iam.principals import covers, principal_from
from ..iam.sources import analysis_of
from ..iam.statements import Grant, ResourceSet
from ..model import Model
from ..model.objects import RegistryPolicy
from ..values import known

REPLICATE = "ecr:ReplicateImage"
CREATE = "ecr:CreateRepository"


@dataclass(frozen=True)
class Registry:
    policy: RegistryPolicy
    account: str | None
    region: str | None  # None: not known


def _arn_parts(policy: RegistryPolicy) -> tuple[set[str], set[str]]:
    accounts: set[str] = set()
    regions: set[str] = set()
    document = policy.document
    for statement in document.statements if document is not None else []:
        for value in statement.resource or ():
            text, exact = scalar_text(value)
            arn = parse_arn(text) if exact and text else None
            if arn is None or arn.service.lower() != "ecr":
                continue
            if is_account_id(arn.account):
                accounts.add(arn.account)
            if arn.region and "*" not in arn.region and "?" not in arn.region and "${" not in arn.region:
                regions.add(arn.region)
    return accounts, regions


def registry_of(policy: RegistryPolicy) -> Registry:
    accounts, regions = _arn_parts(policy)
    account = next(iter(accounts)) if len(accounts) == 1 else None
    region = next(iter(regions)) if len(regions) == 1 else None
    if account is None and policy.account_id is not None:
        text, exact = scalar_text(policy.account_id)
        account = text if exact and text and is_account_id(text) else None
    if region is None and policy.region is not None:
        text, exact = scalar_text(policy.region)
        region = text if exact and text else None
    return Registry(policy, account, region)


def registries(model: Model) -> list[Registry]:
    return [registry_of(p) for p in model.of(RegistryPolicy) if p.document is not None]


def could_start_with(pattern: str, prefix: str) -> bool:
    """Whether the glob `pattern` (`*`, `?`) matches some text that starts with `prefix`."""

    def close(states: set[int]) -> set[int]:
        out = set(states)
        for i in states:
            while i < len(pattern) and pattern[i] == "*":
                i += 1
                out.add(i)
        return out

    states = close({0})
    for ch in prefix:
        nxt: set[int] = set()
        for i in states:
            if i >= len(pattern):
                continue
            p = pattern[i]
            if p == "*":
                nxt.add(i)
            elif p == "?" or p == ch:
                nxt.add(i + 1)
        states = close(nxt)
        if not states:
            return False
    return True


def _pattern_covers(pattern: str, account: str, region: str | None, prefix: str) -> bool | None:
    text = policy_variables_as_wildcards(pattern)
    if text == "*":
        return True
    arn = parse_arn(text)
    if arn is None:
        return None
    if not glob_match(arn.service, "ecr", case_sensitive=False) or not glob_match(arn.account, account):
        return False
    if not could_start_with(arn.resource, "repository/" + prefix):
        return False
    if region is None:
        return True if arn.region.strip("*") == "" else None
    return glob_match(arn.region, region)


def _resources_cover(resources: ResourceSet, account: str, region: str | None, prefix: str) -> bool | None:
    if not resources.present:
        return True
    if resources.negated:
        return None
    results = [_pattern_covers(p, account, region, prefix) for p in resources.patterns]
    if any(r is True for r in results):
        return True
    if resources.unknown or any(r is None for r in results):
        return None
    return False


def _grant_permits(grant: Grant, action: str, source: str, account: str, region: str | None, prefix: str):
    if grant.principal is None:
        return False
    principal = principal_from("AWS", known(f"arn:aws:iam::{source}:root", grant.view.value.span))
    who = covers(grant.principal, principal)
    what = True if action in grant.actions else None if action in grant.maybe else False
    restriction = grant.restriction
    if restriction.unrestricted:
        condition: bool | None = True
    elif restriction.restricted and restriction.accounts is not None and not restriction.accounts_unknown:
        condition = source in restriction.accounts
    else:
        condition = None
    where = _resources_cover(grant.view.resources, account, region, prefix)
    parts = (who, what, condition, where)
    if any(p is False for p in parts):
        return False
    return True if all(p is True for p in parts) else None


def permits(model: Model, registry: Registry, action: str, source: str, region: str | None, prefix: str) -> bool | None:
    """Whether the registry policy lets `source` run `action` on a repository named `prefix...`."""
    if registry.account is None or registry.policy.document is None:
        return None
    analysis = analysis_of(model, registry.policy.document)
    results = [_grant_permits(g, action, source, registry.account, region, prefix) for g in analysis.grants]
    if any(r is True for r in results):
        return True
    if analysis.undecided or any(r is None for r in results):
        return None
    return False
