"""ECR701: AWS Config rules that detect ECR settings nobody prevents.

A Config rule reports a repository with mutable tags (or no scanning, no lifecycle policy, no
customer managed key) after it exists. A preventive control stops it from being made: a service
control policy, or an IAM policy, that denies the ECR actions which set or change the setting.
This check looks for such a `Deny` statement anywhere in the analysed set. A Deny with
conditions (for example "except the platform role") still counts: it is how such guardrails are
written. Denies written with `NotAction`, or with no `ecr:` pattern (region guardrails,
`"Action": "*"`), are not about the setting and do not count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ecrlint.findings import Match, Undecided
from ecrlint.iam import actions as act
from ecrlint.iam.accounts import registry_key
from ecrlint.iam.sources import analysis_of
from ecrlint.iam.statements import ALLOW
from ecrlint.model import Model, ModelObject
from ecrlint.model.objects import ConfigRule, IamPolicy, IamRole, OrganizationsPolicy
from ecrlint.model.policy import PolicyDocument
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Unknown, Value

SCP = "SERVICE_CONTROL_POLICY"

Result = Match | Undecided


@dataclass(frozen=True)
class Setting:
    detects: str  # what the Config rule reports
    actions: tuple[str, ...]  # a Deny on any of these prevents it


_CREATE = "ecr:CreateRepository"

SETTINGS: dict[str, Setting] = {
    "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED": Setting(
        "repositories with mutable image tags", ("ecr:PutImageTagMutability", _CREATE)
    ),
    "ECR_PRIVATE_IMAGE_SCANNING_ENABLED": Setting(
        "repositories without image scanning",
        ("ecr:PutImageScanningConfiguration", "ecr:PutRegistryScanningConfiguration", _CREATE),
    ),
    "ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED": Setting(
        "repositories without a lifecycle policy", ("ecr:DeleteLifecyclePolicy", _CREATE)
    ),
    "ECR_REPOSITORY_CMK_ENCRYPTION_ENABLED": Setting(
        "repositories not encrypted with a customer managed KMS key", (_CREATE,)
    ),
}

#: a Config rule on ECR whose setting is not known (a custom rule scoped to ECR resource types)
GENERIC = Setting(
    "non-compliant ECR resources",
    tuple(sorted(a for a in act.expand("ecr:*") if act.access_level(a) in act.WRITE_LEVELS)),
)


def _text(value: Value | None) -> str | None:
    if value is not None and value.is_known and isinstance(value.data, str):
        return value.data
    return None


def setting_of(rule: ConfigRule) -> tuple[Setting | None, Value | None, str | None]:
    """(the setting the rule checks, the value that says so, None) or (None, value, reason undecided)."""
    identifier = rule.source_identifier
    text = _text(identifier)
    if text is not None:
        upper = text.upper()
        if upper in SETTINGS:
            return SETTINGS[upper], identifier, None
        if upper.startswith("ECR_"):
            return GENERIC, identifier, None
    types = rule.resource_types
    if types is not None and types.is_known:
        for item in types.elements():
            kind = _text(item)
            if kind is not None and kind.startswith("AWS::ECR::"):
                return GENERIC, item, None
    if identifier is not None and isinstance(identifier.data, Unknown):
        symbolic = identifier.data.symbolic or ""
        if "ecr" in symbolic.lower():
            return None, identifier, f"the source identifier is not known ({identifier.data.reason})"
    return None, None, None


@dataclass(frozen=True)
class Control:
    """A document that can carry a preventive Deny; `unsure` says why it may not apply (an undecided type)."""

    obj: ModelObject
    document: PolicyDocument
    unsure: str | None = None


def _controls(model: Model) -> list[Control]:
    found: list[Control] = []
    for policy in model.of(OrganizationsPolicy):
        if policy.document is None:
            continue
        kind = policy.policy_type
        if kind is None or kind.data is None or _text(kind) == SCP:  # absent: Terraform's default type
            found.append(Control(policy, policy.document))
        elif not kind.is_known:
            reason = f"the type of {policy.address} is not known ({kind.unknown_reason()})"
            found.append(Control(policy, policy.document, reason))
    for policy in model.of(IamPolicy):
        if policy.document is not None:
            found.append(Control(policy, policy.document))
    for role in model.of(IamRole):
        for document in role.inline_policies:
            found.append(Control(role, document))
    return found


def _ecr_patterns(patterns: tuple[str, ...]) -> bool:
    return any(p.lower().startswith(("ecr:", "${")) for p in patterns)


def _denies(model: Model, controls: list[Control], actions: tuple[str, ...]) -> tuple[Control | None, str | None]:
    """The first control whose Deny covers one of `actions`, else (None, why undecided or None)."""
    wanted = frozenset(actions)
    reason = None
    for control in controls:
        analysis = analysis_of(model, control.document)
        if analysis.undecided:
            reason = reason or f"{control.obj.address} could not be read ({analysis.undecided[0]})"
            continue
        for view in analysis.views:
            if view.effect == ALLOW or view.actions.negated or not _ecr_patterns(view.actions.patterns):
                continue
            if view.effect is None:
                if view.actions.possible & wanted:
                    reason = reason or f"the effect of {view.label()} in {control.obj.address} is not known"
                continue
            if view.actions.definite & wanted and not view.branched:
                if control.unsure is None:
                    return control, None
                reason = reason or f"{view.label()} denies {_listing(actions, 'or')}, but {control.unsure}"
                continue
            if view.actions.possible & wanted:
                reason = reason or f"{view.label()} in {control.obj.address} may deny {', '.join(actions)}"
    return None, reason


def _listing(actions: tuple[str, ...], word: str) -> str:
    if len(actions) == 1:
        return actions[0]
    return f"{', '.join(actions[:-1])} {word} {actions[-1]}"


def check_detective_control_only(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR701: an AWS Config rule on ECR settings without an SCP or IAM Deny on the same setting."""
    rules = model.of(ConfigRule)
    if not rules:
        return
    controls = _controls(model)
    for rule in rules:
        setting, where, reason = setting_of(rule)
        if setting is None:
            if reason is not None:
                yield undecided(rule, reason, where, "source_identifier")
            continue
        control, why = _denies(model, controls, setting.actions)
        if control is not None:
            continue
        if why is not None:
            yield undecided(rule, f"a preventive control may exist: {why}", where, "source_identifier")
            continue
        name = _text(rule.name) or rule.address
        identifier = _text(rule.source_identifier) or "custom rule on ECR resources"
        if setting is GENERIC:
            either = both = "the ECR write actions"
        else:
            either, both = _listing(setting.actions, "or"), _listing(setting.actions, "and")
        yield match(
            rule,
            f"AWS Config rule {name} ({identifier}) detects {setting.detects} after they exist, and no SCP or IAM "
            f"policy in the analysed files denies {either}: nothing prevents them. Add a service control policy "
            f"that denies {both} to everyone but the role that manages repositories",
            where,
            pointer="source_identifier",
            # One fact per registry and setting: the same Config rule in several roots or templates of
            # one account and Region is reported once, listing them.
            details={"fact": (identifier, *registry_key(rule))},
        )
