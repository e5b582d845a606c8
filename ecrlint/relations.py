"""Bind relations between model objects: policies to repositories, scanning coverage, roles.

A relation is made from a reference (`aws_ecr_repository.app.name`, `!Ref AppRepo`) when there
is one, else from equal known names. A policy whose repository cannot be decided makes every
repository without a policy of that kind "unknown" for rules that need it, never "absent".
"""

from __future__ import annotations

import fnmatch

from .model import (
    IamPolicy,
    IamPolicyAttachment,
    IamRole,
    LifecyclePolicy,
    Model,
    PublicRepository,
    PublicRepositoryPolicy,
    RegistryScanningConfiguration,
    Repository,
    RepositoryPolicy,
)
from .values import Value, default, unknown


def _name(value: Value | None) -> str | None:
    if value is not None and value.is_known and isinstance(value.data, str):
        return value.data
    return None


def same_deployment(candidates: list, owner) -> list:
    """The candidates a reference made in `owner` can mean: those of its own deployment unit. The same
    address in another root is another object. A template's reference may name the parent's object
    (a value passed into a nested stack), so there, without one of its own, any unit's will do."""
    mine = [c for c in candidates if unit_of(c) == unit_of(owner)]
    if mine or owner.extra.get("unit"):
        return mine
    return candidates


class _Candidates:
    """Candidates indexed by address and by name, so that each link is looked up, not searched for."""

    def __init__(self, candidates: list, name_of) -> None:
        self.by_address: dict[str, list] = {}
        self.by_name: dict[str, list[tuple[int, object]]] = {}
        for n, candidate in enumerate(candidates):
            self.by_address.setdefault(candidate.address, []).append(candidate)
            name = name_of(candidate)
            if name is not None:
                self.by_name.setdefault(name, []).append((n, candidate))

    def named(self, *names: str) -> list:
        """The candidates with any of `names`, in their original order."""
        found = {n: c for name in set(names) for n, c in self.by_name.get(name, ())}
        return [found[n] for n in sorted(found)]


def _targets(link: Value | None, candidates: _Candidates, owner) -> list | None:
    """The candidates `link` (an attribute of `owner`) refers to; None when the link cannot be decided."""
    if link is None:
        return None
    if link.ref:
        by_ref = same_deployment(candidates.by_address.get(link.ref, []), owner)
        if by_ref:
            return by_ref
    name = _name(link)
    if name is None:
        return None
    # A repository may be named by ARN or URL as well as by name.
    short = name.rsplit("repository/", 1)[-1]
    return candidates.named(name, short)


def unit_of(obj) -> str:
    """The deployment unit an object belongs to: a Terraform root configuration or a template file."""
    return obj.extra.get("unit") or obj.span.path


def _link(model: Model, repo_type, policy_type, attr: str, relation: str, name_attr: str = "name") -> dict:
    """Bind policies to repositories; returns, per unit, why some policy's target is undecided."""
    repos = _Candidates(model.of(repo_type), lambda r: _name(getattr(r, name_attr)))
    reasons: dict[str, str] = {}
    for policy in model.of(policy_type):
        targets = _targets(policy.repository, repos, policy)
        if targets is None:
            link = policy.repository
            reasons.setdefault(
                unit_of(policy),
                f"{policy.address} applies to a repository that cannot be decided"
                + (f" ({link.unknown_reason()})" if link is not None and link.unknown_reason() else ""),
            )
            continue
        for repo in targets:
            getattr(repo, relation).append(policy)
    return reasons


def _scanning_coverage(repo: Repository, configs: list[RegistryScanningConfiguration]) -> Value:
    if not configs:
        return default(False, repo.span)
    name = _name(repo.name)
    undecided = None
    for config in configs:
        rules = config.rules
        if rules is None or not rules.is_known:
            undecided = undecided or "the registry scanning rules are not known"
            continue
        for rule in rules.elements():
            frequency = rule.get("scan_frequency")
            if frequency is None or not frequency.is_known:
                undecided = undecided or "a scan frequency is not known"
                continue
            if frequency.data not in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN"):
                continue
            filters = rule.get("repository_filters")
            for item in filters.elements() if filters is not None and filters.is_list else []:
                pattern = _name(item.get("filter"))
                if pattern is None:
                    undecided = undecided or "a scanning filter is not known"
                    continue
                if name is None:
                    if pattern.strip("*") == "":
                        return default(True, config.span)
                    undecided = undecided or "the repository name is not known"
                    continue
                if fnmatch.fnmatchcase(name, pattern):
                    return default(True, config.span)
    if undecided:
        return unknown(undecided, repo.span)
    return default(False, repo.span)


def _lifecycle_status(repo: Repository, undecided: dict[str, str]) -> Value:
    if repo.lifecycle_policies or repo.inline_lifecycle_policy is not None:
        return default(True, repo.span)
    if unit_of(repo) in undecided:
        return unknown(undecided[unit_of(repo)], repo.span)
    return default(False, repo.span)


def _attach_role_policies(model: Model) -> None:
    roles = _Candidates(model.of(IamRole), lambda r: _name(r.name))
    for policy in model.of(IamPolicy):
        targets = _targets(policy.attached_to, roles, policy)
        for role in targets or []:
            role.attached_policies.append(policy)
    # aws_iam_role_policy_attachment: the ARN joins the role's managed policy list.
    for attachment in model.of(IamPolicyAttachment):
        targets = _targets(attachment.role, roles, attachment)
        for role in targets or []:
            if attachment.policy_arn is None:
                continue
            current = role.managed_policy_arns
            items = current.elements() if current is not None and current.is_list else []
            if current is not None and not current.is_list:
                items = [current]
            role.managed_policy_arns = Value([*items, attachment.policy_arn], role.span)


def bind(model: Model) -> Model:
    """Fill AWS defaults and bind relations, in place; returns the model for chaining."""
    for obj in model.objects:
        obj.fill_defaults()
    policy_reasons = _link(model, Repository, RepositoryPolicy, "repository", "policies")
    lifecycle_reasons = _link(model, Repository, LifecyclePolicy, "repository", "lifecycle_policies")
    _link(model, PublicRepository, PublicRepositoryPolicy, "repository", "policies")
    configs = model.of(RegistryScanningConfiguration)
    for repo in model.of(Repository):
        repo.scanning = _scanning_coverage(repo, configs)
        repo.has_lifecycle_policy = _lifecycle_status(repo, lifecycle_reasons)
        if not repo.policies and repo.inline_policy is None and unit_of(repo) in policy_reasons:
            repo.unlinked_policy_reason = policy_reasons[unit_of(repo)]
    _attach_role_policies(model)
    model.sort()
    return model
