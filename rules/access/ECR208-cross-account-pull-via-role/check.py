"""ECR208 cross-account-pull-via-role: another account can assume a role that pulls images."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.iam import actions as act
from ecrlint.iam.accounts import is_external, owner_account
from ecrlint.iam.managed import PULL_POLICIES
from ecrlint.iam.principals import EVERYONE, UNKNOWN, Principal
from ecrlint.iam.report import (
    Reporter,
    Result,
    join_words,
    outside_owner,
    owner_note,
)
from ecrlint.iam.roles import role_policies
from ecrlint.iam.sources import (
    analysis_of,
)
from ecrlint.iam.statements import ALLOW, StatementView, analyze_policy
from ecrlint.model import Model
from ecrlint.model.objects import (
    IamRole,
)
from ecrlint.rule_api import CheckContext


def _allows_assume(view: StatementView) -> bool | None:
    if view.actions.negated:
        return None
    if any(act.matches(p, "sts:AssumeRole") for p in view.actions.patterns if not p.startswith("${")):
        return True
    return None if view.actions.unknown else False


def _role_purpose(role: IamRole, model: Model) -> tuple[str, frozenset[str], str]:
    """("pull", reads, "") when the role's permissions are ECR reads only; ("other"|"unknown", ..., reason)."""
    policies = role_policies(role, model)
    reads: set[str] = set()
    for _, managed in policies.managed:
        if managed.name not in PULL_POLICIES:
            return "other", frozenset(), ""
        reads |= act.read_actions(analyze_policy(managed.document).grants[0].actions)
    unknown = [u for u in policies.unknown if "may hold more" not in u]
    if unknown:
        return "unknown", frozenset(), "; ".join(unknown)
    for _, document in policies.documents:
        analysis = analysis_of(model, document)
        if analysis.undecided:
            return "unknown", frozenset(), "; ".join(analysis.undecided)
        for view in analysis.views:
            if view.effect != ALLOW:
                continue
            if view.actions.unknown or view.problems:
                return "unknown", frozenset(), "; ".join(view.problems or view.actions.unknown)
            others = [p for p in view.actions.patterns if act.may_name_other_actions(p)]
            if any(p.lower() != "sts:getservicebearertoken" for p in others) or view.actions.negated:
                return "other", frozenset(), ""
            if act.write_actions(view.actions.definite) or act.with_levels(view.actions.definite, [act.TAGGING]):
                return "other", frozenset(), ""
            reads |= view.actions.definite
    if not reads & (act.PULL_ACTIONS | {"ecr-public:BatchCheckLayerAvailability"}):
        return "other", frozenset(), ""
    return "pull", frozenset(reads), ""


def check_cross_account_pull_via_role(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR208: a role trusted by other accounts whose permissions are ECR read actions only."""
    reporter = Reporter()
    for role in model.of(IamRole):
        if role.assume_role_policy is None:
            continue
        trust = analysis_of(model, role.assume_role_policy)
        reporter.saw(trust.views)
        documents = [d for _, d in role_policies(role, model).documents]
        owner = owner_account(role, ctx.options.account_id, model=model, documents=documents)
        purpose: tuple[str, frozenset[str], str] | None = None
        if trust.undecided:
            purpose = _role_purpose(role, model)
            if purpose[0] != "other":  # a pull-only role (or one that may be) whose trust cannot be read
                reason = f"its trust policy could not be read: {trust.undecided[0]}"
                reporter.unsure(role, reason, role.assume_role_policy.value, "assume_role_policy")
        for view in trust.views:
            if view.effect != ALLOW or not view.principals:
                continue
            assume = _allows_assume(view)
            if assume is False:
                continue
            outsiders: list[Principal] = []
            unsure: list[Principal] = []
            for principal in view.principals:
                if principal.kind == EVERYONE:
                    outsiders.append(principal)
                    continue
                external = is_external(principal, owner)
                if external is True:
                    outsiders.append(principal)
                elif external is None or principal.kind == UNKNOWN:
                    unsure.append(principal)
            if not outsiders and not unsure:
                continue
            if purpose is None:
                purpose = _role_purpose(role, model)
            kind, reads, reason = purpose
            if kind == "other":
                break
            pointer = f"assume_role_policy.{view.pointer}"
            if kind == "unknown" or assume is None or not outsiders:
                why = reason or (
                    "the trusted action is undecided"
                    if assume is None
                    else "the account of " + ", ".join(p.text for p in unsure) + " is not known"
                )
                reporter.unsure(role, f"{view.label()} of the trust policy: {why}", view.value, pointer)
                continue
            who = join_words([p.describe() for p in outsiders])
            where, note = outside_owner(owner), owner_note(owner)
            text = act.summarize(reads)
            name = role.display_name()
            reporter.fire(
                role,
                view,
                ("trust",),
                lambda label, who=who, where=where, text=text, name=name, note=note: (
                    f"Role {name}: {label} of its trust policy lets {who}{where} assume a role whose permissions "
                    f"are only ECR reads ({text}); a repository policy granting them pull keeps the grant on the "
                    f"repository and avoids the role{note}"
                ),
                pointer,
            )
    yield from reporter.results()
