"""ECR501 replication-used-for-governance: replication to many accounts used where a shared registry would govern."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.model import Model
from ecrlint.model.objects import ReplicationConfiguration
from ecrlint.replication.destinations import replication_rules, source_account
from ecrlint.rule_api import CheckContext, match, undecided

Result = Match | Undecided


def _accounts(accounts: list[str]) -> str:
    return ", ".join(accounts)


def check_replication_used_for_governance(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR501: one configuration copies images to `replication_account_threshold` or more other accounts."""
    threshold = max(1, ctx.options.replication_account_threshold)
    for config in model.of(ReplicationConfiguration):
        rules, why = replication_rules(config)
        if why:
            yield undecided(config, f"replication rules are not known: {why}", config.rules)
            continue
        source = source_account(config, ctx.options.account_id)
        named: set[str] = set()
        unresolved = 0
        for rule in rules:
            for destination in rule.destinations:
                if destination.account is None:
                    unresolved += 1
                else:
                    named.add(destination.account)
        others = sorted(a for a in named if a != source)
        certain = len(others) if source is not None else len(others) - 1
        if certain >= threshold:
            if source is not None:
                reach = f"{len(others)} other accounts ({_accounts(others)})"
            else:
                reach = f"{len(others)} accounts ({_accounts(others)}), at least {certain} of them not its own"
            message = (
                f"replication copies images to {reach}: every account holds its own copy and needs its own "
                "repository policies, lifecycle policies, scanning and tag immutability, which replication does not "
                "carry over, so enforcement is scattered and drifts; keep one central registry and let the accounts "
                "pull from it through repository policies that allow ecr:BatchGetImage and "
                "ecr:GetDownloadUrlForLayer with an aws:PrincipalOrgID condition, and replicate only where a Region "
                "needs a copy"
            )
            yield match(config, message, pointer="rules")
        elif len(others) + unresolved >= threshold:
            yield undecided(
                config,
                f"replication reaches {len(others)} known other accounts and {unresolved} destination(s) "
                "whose account is not known",
                config.rules,
            )
