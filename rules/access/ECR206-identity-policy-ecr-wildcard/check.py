"""ECR206 identity-policy-ecr-wildcard: an identity policy grants ECR write or policy actions on every repository."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ecrlint.iam import actions as act
from ecrlint.iam.arns import scalar_text
from ecrlint.iam.managed import managed_policy
from ecrlint.iam.report import (
    Reporter,
    Result,
    actions_text,
    capitalized,
)
from ecrlint.iam.sources import (
    analysis_of,
)
from ecrlint.iam.statements import StatementView
from ecrlint.model import Model, ModelObject
from ecrlint.model.objects import (
    IamPolicy,
    IamPolicyAttachment,
    IamRole,
)
from ecrlint.model.policy import PolicyDocument
from ecrlint.relations import unit_of
from ecrlint.rule_api import CheckContext, match
from ecrlint.values import Value

_WILDCARD_MANAGED = {"AmazonEC2ContainerRegistryFullAccess", "AmazonEC2ContainerRegistryPowerUser"}


def _names_policy(value: Value, policy: IamPolicy) -> bool:
    """`value` (an ARN or a reference) is `policy`: by reference, or by ARN ending in its known name."""
    if value.ref is not None and (value.ref == policy.address or value.ref.startswith(policy.address + ".")):
        return True
    text, exact = scalar_text(value)
    name = policy.name.data if policy.name is not None and policy.name.is_known else None
    return bool(exact and text and isinstance(name, str) and text.endswith(":policy/" + name))


def _boundary_only(policy: IamPolicy, roles: list[IamRole], attachments: list[IamPolicyAttachment]) -> bool:
    """The policy is some role's permissions boundary and attached to nothing: a boundary only limits
    what other policies grant, so its `ecr:*` grants nothing by itself."""
    if policy.attached_to is not None:
        return False
    mine = [r for r in roles if unit_of(r) == unit_of(policy)]
    if not any(r.permissions_boundary is not None and _names_policy(r.permissions_boundary, policy) for r in mine):
        return False
    for role in roles:
        arns = role.managed_policy_arns
        if arns is not None and any(
            _names_policy(e, policy) or e.ref is None and not e.is_known for e in arns.elements()
        ):
            return False  # attached too, or an attachment that cannot be read may be this policy
    # An attachment to a role outside the analysed set still attaches it.
    return not any(a.policy_arn is not None and _names_policy(a.policy_arn, policy) for a in attachments)


def _identity_documents(model: Model) -> list[tuple[ModelObject, PolicyDocument, str, str]]:
    """(object, document, what, pointer prefix) for every identity policy, each document once."""
    found: list[tuple[ModelObject, PolicyDocument, str, str]] = []
    seen: set[int] = set()
    roles, attachments = model.of(IamRole), model.of(IamPolicyAttachment)
    for policy in model.of(IamPolicy):
        if policy.document is not None and _boundary_only(policy, roles, attachments):
            continue
        if policy.document is not None and id(policy.document) not in seen:
            seen.add(id(policy.document))
            found.append((policy, policy.document, "identity policy", ""))
    for role in model.of(IamRole):
        for index, document in enumerate(role.inline_policies):
            if document is not None and id(document) not in seen:
                seen.add(id(document))
                found.append((role, document, f"inline policy #{index + 1} of role", f"inline_policies[{index}]."))
    return found


def _resource_tag_scoped(view: StatementView) -> bool | None:
    for test in view.conditions.tests:
        key = test.key_lower
        if test.positive and (key.startswith("aws:resourcetag/") or key.startswith("ecr:resourcetag/")):
            if not test.if_exists:
                return True
    return None if view.conditions.unknown else False


def _scopable(actions: Iterable[str]) -> frozenset[str]:
    """Actions that support resource-level permissions: scoping them to repositories was possible."""
    return frozenset(a for a in actions if (info := act.action_info(a)) is not None and info.supports_resources)


def check_identity_policy_ecr_wildcard(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR206: an identity policy allows `ecr:*` or ECR write actions on `Resource: "*"`."""
    reporter = Reporter()
    every_ecr = act.all_actions(act.PRIVATE)
    every_public = act.all_actions(act.PUBLIC)
    for obj, document, what, prefix in _identity_documents(model):
        analysis = analysis_of(model, document)
        reporter.saw(analysis.views)
        for reason in analysis.undecided:
            reporter.unsure(obj, f"{what} could not be read: {reason}", document.value)
        for grant in analysis.grants:
            if grant.principal is not None:
                continue
            view = grant.view
            pointer = f"{prefix}{view.pointer}"
            writes = _scopable(act.write_actions(grant.actions))
            full = [
                ns for ns, every in (("ecr:*", every_ecr), ("ecr-public:*", every_public)) if every <= grant.actions
            ]
            maybe = _scopable(act.write_actions(grant.maybe))
            if not writes and not full and not maybe:
                continue
            anywhere = view.resources.every_repository()
            scoped = _resource_tag_scoped(view)
            if anywhere is False or scoped is True:
                continue
            if anywhere is None or scoped is None:
                reporter.unsure(
                    obj,
                    f"{view.label()} allows ECR write actions; its resources or conditions are undecided",
                    view.value,
                    pointer,
                )
                continue
            if not writes and not full:
                reporter.unsure(obj, f"{view.label()} may allow {act.summarize(maybe)} on all resources", view.value)
                continue
            wildcard = view.resources.wildcard_value()
            if view.resources.negated:
                resource_text = f"every resource but {view.resources.describe()}"
            else:
                resource_text = f'Resource "{scalar_text(wildcard)[0] if wildcard is not None else "*"}"'

            if full:
                granted = " and ".join(full) + " (every ECR action)"
                via = view.actions.via(frozenset().union(*(every_ecr if f == "ecr:*" else every_public for f in full)))
                if via and via.strip('"') not in full:
                    granted += f" via {via}"
            else:
                granted = actions_text(writes, view)
            owner_name = obj.address
            reporter.fire(
                obj,
                view,
                ("identity",),
                lambda label, what=what, owner_name=owner_name, granted=granted, resource_text=resource_text: (
                    f"{capitalized(what)} {owner_name}: {label} allows {granted} on {resource_text}; "
                    "scope it to the repositories the identity needs"
                ),
                pointer,
            )
    for role in model.of(IamRole):
        if role.managed_policy_arns is None:
            continue
        for index, element in enumerate(role.managed_policy_arns.elements()):
            text, exact = scalar_text(element)
            known = managed_policy(text) if exact and text else None
            if known is not None and known.name in _WILDCARD_MANAGED:
                granted = "ecr:*" if known.name.endswith("FullAccess") else "ECR push actions"
                yield match(
                    role,
                    f"Role {role.display_name()} attaches AWS managed policy {known.name}, which allows {granted} "
                    'on Resource "*"; a policy scoped to the repositories the role needs is narrower',
                    element,
                    pointer=f"managed_policy_arns[{index}]",
                )
    yield from reporter.results()
