"""ECR503 replication-without-filter: a replication rule without a repository filter replicates every repository."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.model import Model
from ecrlint.model.objects import ReplicationConfiguration
from ecrlint.replication.destinations import replication_rules
from ecrlint.rule_api import CheckContext, match, undecided

Result = Match | Undecided


def check_replication_without_filter(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR503: a replication rule without repository filters replicates every repository."""
    for config in model.of(ReplicationConfiguration):
        rules, why = replication_rules(config)
        if why:
            yield undecided(config, f"replication rules are not known: {why}", config.rules)
            continue
        for rule in rules:
            if rule.filters is None:
                yield undecided(config, f"repository filters are not known: {rule.filters_reason}", rule.value)
                continue
            if rule.filters:
                continue
            targets = sorted({f"{d.account_text}/{d.region or '?'}" for d in rule.destinations})
            where = f" to {', '.join(targets)}" if targets else ""
            yield match(
                config,
                f"replication rule {rule.index + 1} has no repository filter, so every repository of the registry, "
                f"including ones created later, is replicated{where}; add a PREFIX_MATCH repository filter for the "
                f"repositories that need copies",
                rule.value,
                pointer=f"rules[{rule.index}]",
            )
