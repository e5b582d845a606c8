"""ECR502 replication-destination-not-permitted: the destination registry's policy does not let the source replicate."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.model import Model
from ecrlint.model.objects import ReplicationConfiguration
from ecrlint.replication.destinations import Destination, Rule, replication_rules, source_account
from ecrlint.replication.registries import CREATE, REPLICATE, Registry, permits, registries
from ecrlint.rule_api import CheckContext, match, undecided

Result = Match | Undecided


def _candidates(destination: Destination, found: list[Registry]) -> tuple[list[Registry], list[Registry]]:
    """(registry policies certainly of the destination's registry, those whose Region is not known)."""
    definite: list[Registry] = []
    possible: list[Registry] = []
    for registry in found:
        if registry.account != destination.account:
            continue
        if registry.region is not None and destination.region is not None:
            if registry.region == destination.region:
                definite.append(registry)
        else:
            possible.append(registry)
    return definite, possible


def _verdict(
    model: Model, candidates: list[Registry], action: str, source: str, region: str | None, prefixes: list[str]
):
    """(prefixes certainly not permitted, whether some answer was undecided)."""
    refused: list[str] = []
    open_question = False
    for prefix in prefixes:
        results = [permits(model, r, action, source, region or r.region, prefix) for r in candidates]
        if any(r is True for r in results):
            continue
        if any(r is None for r in results):
            open_question = True
            continue
        refused.append(prefix)
    return refused, open_question


def _scope(prefixes: list[str]) -> str:
    if prefixes == [""]:
        return ""
    return " for repositories starting with " + ", ".join(f'"{p}"' for p in prefixes)


def _where(destination: Destination) -> str:
    return f"account {destination.account}" + (f" in {destination.region}" if destination.region else "")


def _policy_name(registry: Registry, config: ReplicationConfiguration) -> str:
    policy = registry.policy
    return policy.address if policy.span.path == config.span.path else f"{policy.address} in {policy.span.path}"


def _destination_findings(
    model: Model, config, rule: Rule, destination: Destination, source: str | None, found: list[Registry]
):
    definite, possible = _candidates(destination, found)
    candidates = definite or possible
    if not candidates:
        return
    if source is None:
        yield undecided(
            config,
            f"the source account of the replication is not known, so ecrlint cannot tell whether the registry "
            f"policy of {_where(destination)} allows it",
            destination.value,
        )
        return
    prefixes = rule.filters if rule.filters else [""]
    if rule.filters is None:
        yield undecided(config, f"repository filters are not known: {rule.filters_reason}", rule.value)
        return
    names = ", ".join(_policy_name(r, config) for r in candidates)
    refused, open_question = _verdict(model, candidates, REPLICATE, source, destination.region, prefixes)
    arn = f"arn:aws:ecr:{destination.region or '<region>'}:{destination.account}:repository/{(refused or [''])[0]}*"
    fix = (
        f"add a statement to it allowing principal arn:aws:iam::{source}:root the actions ecr:ReplicateImage "
        f"and ecr:CreateRepository on {arn}"
    )
    if refused and definite:
        yield match(
            config,
            f"replication to {_where(destination)} fails: the destination's registry policy ({names}) does not "
            f"allow ecr:ReplicateImage for the source account {source}{_scope(refused)}; {fix}",
            destination.value,
            pointer=f"rules[{rule.index}].destinations",
        )
        return
    if refused or open_question:
        reason = (
            f"the registry policy {names} may belong to another Region than {destination.region or 'the destination'}"
            if refused
            else f"whether the registry policy {names} lets account {source} replicate is undecided"
        )
        yield undecided(config, reason, destination.value)
        return
    refused, open_question = _verdict(model, candidates, CREATE, source, destination.region, prefixes)
    if refused and definite:
        yield match(
            config,
            f"replication to {_where(destination)} fails for repositories that do not exist there yet: the "
            f"destination's registry policy ({names}) allows ecr:ReplicateImage but not ecr:CreateRepository for "
            f"the source account {source}{_scope(refused)}, so each repository must be created by hand first; "
            f"allow ecr:CreateRepository as well",
            destination.value,
            pointer=f"rules[{rule.index}].destinations",
            severity="low",
        )
    elif refused or open_question:
        yield undecided(
            config, f"whether {names} lets account {source} create repositories is undecided", destination.value
        )


def check_replication_destination_not_permitted(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR502: a cross-account destination's registry policy, in the analysed set, refuses the source."""
    found = registries(model)
    if not found:
        return
    for config in model.of(ReplicationConfiguration):
        rules, why = replication_rules(config)
        if why:
            continue  # ECR501 reports the unknown rules
        source = source_account(config, ctx.options.account_id)
        for rule in rules:
            for destination in rule.destinations:
                if destination.account is None or destination.account == source:
                    continue  # same-account replication needs no registry policy
                yield from _destination_findings(model, config, rule, destination, source, found)
