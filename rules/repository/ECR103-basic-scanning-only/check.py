"""ECR103: registry scanning that stops at basic scanning.

Basic scanning looks at operating system packages only, once per push or on request. Enhanced
scanning (Amazon Inspector) also scans language packages, and with a `CONTINUOUS_SCAN` rule it
re-evaluates images already stored when new vulnerabilities are published. A registry without
any scanning configuration uses basic scanning (the AWS default).
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.iam.accounts import registry_key, registry_of
from ecrlint.model import Model, ModelObject
from ecrlint.model.objects import (
    PullThroughCacheRule,
    RegistryPolicy,
    RegistryScanningConfiguration,
    ReplicationConfiguration,
    Repository,
)
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Unknown, Value, when

BASIC = "BASIC"
ENHANCED = "ENHANCED"
CONTINUOUS = "CONTINUOUS_SCAN"
ABSENT_NOTE = " (attribute absent: AWS default assumed)"

Result = Match | Undecided


def _continuous(rules: Value | None) -> tuple[bool | None, str | None]:
    """Whether some rule scans continuously: (True/False, None) or (None, reason)."""
    if rules is None or rules.data is None:
        return False, None
    if not rules.is_known:
        return None, rules.unknown_reason() or "the scanning rules are not known"
    undecided_reason = None
    for rule in rules.elements():
        frequency = rule.get("scan_frequency") if rule.is_map else None
        if frequency is None:
            if not rule.is_map:
                undecided_reason = undecided_reason or (rule.unknown_reason() or "a scanning rule is not known")
            continue
        for _, outcome in frequency.outcomes() if frequency is not None else [((), None)]:
            if outcome is None or outcome.data is None:
                continue
            if isinstance(outcome.data, Unknown):
                undecided_reason = undecided_reason or outcome.data.reason
            elif isinstance(outcome.data, str) and outcome.data.upper() == CONTINUOUS:
                if frequency.is_known:
                    return True, None
                undecided_reason = undecided_reason or "the scan frequency depends on a condition"
    if undecided_reason:
        return None, undecided_reason
    return False, None


def _check_configuration(config: RegistryScanningConfiguration) -> Iterator[Result]:
    scan_type = config.scan_type
    for conditions, value in scan_type.outcomes() if scan_type is not None else [((), None)]:
        if value is None or value.data is None:
            text, is_default = BASIC, True
        elif isinstance(value.data, Unknown):
            yield undecided(config, f"the scan type is not known: {value.data.reason}", value, "scan_type")
            continue
        else:
            text, is_default = str(value.data).upper(), value.is_default
        note = ABSENT_NOTE if is_default else ""
        where = value if value is not None and value.data is not None else None
        if text == BASIC:
            yield match(
                config,
                f"registry scanning configuration {config.address} uses BASIC scanning{note}{when(conditions)}: "
                "only operating system packages are scanned, on push or on request, and stored images are never "
                "re-evaluated. Use ENHANCED with a CONTINUOUS_SCAN rule",
                where,
                pointer="scan_type",
            )
        elif text == ENHANCED:
            continuous, reason = _continuous(config.rules)
            if continuous is None:
                yield undecided(config, f"whether a rule scans continuously is not known: {reason}", config.rules)
            elif not continuous:
                yield match(
                    config,
                    f"registry scanning configuration {config.address} uses ENHANCED scanning without a "
                    f"CONTINUOUS_SCAN rule{when(conditions)}: images are scanned when pushed only, so "
                    "vulnerabilities published later go unnoticed in images already deployed. Give the "
                    "repositories you deploy from a CONTINUOUS_SCAN rule",
                    where,
                    pointer="rules",
                )


def _text(value: Value | None) -> str | None:
    return value.data if value is not None and value.is_known and isinstance(value.data, str) else None


def _may_cover(config: ModelObject, key: tuple[str, ...]) -> bool:
    account, region = registry_of(config)
    if account is None or key == ("?",):
        return True
    return account == key[0] and (region is None or key[1] == "?" or region == key[1])


def _registry_name(key: tuple[str, ...]) -> str:
    if key == ("?",):
        return "the deploying account's registry"
    account, region = key
    return f"the registry of account {account}" + ("" if region == "?" else f" in {region}")


def _listing(repos: list[Repository]) -> str:
    names = [r.display_name() for r in repos[:SHOWN_REPOSITORIES]]
    more = len(repos) - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


SHOWN_REPOSITORIES = 5


def check_basic_scanning_only(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR103: BASIC scanning, ENHANCED without continuous scanning, or no configuration at all."""
    configs = model.of(RegistryScanningConfiguration)
    for config in configs:
        yield from _check_configuration(config)
    # No configuration is a fact about a registry, not about a template or root: one finding per
    # registry, at a registry-level resource of it when there is one, else at its first repository.
    registries: dict[tuple[str, ...], list[Repository]] = {}
    for repo in model.of(Repository):
        if not repo.is_cdk_bootstrap:
            registries.setdefault(registry_key(repo), []).append(repo)
    anchors = [o for o in model.of(RegistryPolicy, ReplicationConfiguration, PullThroughCacheRule)]
    for key, repos in sorted(registries.items()):
        if any(_may_cover(config, key) for config in configs):
            continue
        repos = sorted(repos, key=lambda r: (r.span.path, r.span.start_line, r.address))
        at = next((o for o in anchors if registry_key(o) == key and key != ("?",)), repos[0])
        count = f"{len(repos)} repositories" if len(repos) > 1 else "1 repository"
        yield match(
            at,
            f"no registry scanning configuration is in the analysed files for {_registry_name(key)}, which holds "
            f"{count} ({_listing(repos)}): the registry uses the default, BASIC scanning. Add a registry "
            "scanning configuration with scan type ENHANCED and a CONTINUOUS_SCAN rule",
            severity="low",
            details={"repositories": [{"address": r.address, "path": r.span.path} for r in repos]},
        )
