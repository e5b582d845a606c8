"""A role's identity policies, gathered from the model, and questions about what the role may do.

Other rules ask here, for example ECR602 ("can the execution role pull?"):

    decision = role_allows(role, "ecr:BatchGetImage", model=model)
    decision.allowed  # True, False, or None (undecided; decision.reasons says why)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Model
from ..model.objects import IamPolicy, IamRole
from ..model.policy import PolicyDocument
from ..relations import same_deployment
from ..values import Value
from .arns import scalar_text
from .managed import ManagedPolicy, is_aws_managed, managed_policy, managed_policy_name
from .statements import Decision, identity_allows


@dataclass
class RolePolicies:
    """Everything known about a role's permissions."""

    documents: list[tuple[str, PolicyDocument]] = field(default_factory=list)  # (where from, document)
    managed: list[tuple[Value, ManagedPolicy]] = field(default_factory=list)  # AWS managed, contents known
    unknown: list[str] = field(default_factory=list)  # attachments whose contents are not in the model

    def all_documents(self) -> list[PolicyDocument]:
        return [doc for _, doc in self.documents] + [m.document for _, m in self.managed]


def _names_address(ref: str | None, address: str) -> bool:
    return ref is not None and (ref == address or ref.startswith(address + "."))


def _refers_to(value: Value | None, role: IamRole, owner) -> bool:
    if value is None:
        return False
    for element in value.elements():
        # A reference means an object of the referring deployment unit, never the same address in another root.
        if _names_address(element.ref, role.address) and same_deployment([role], owner):
            return True
        text, exact = scalar_text(element)
        if exact and text and role.name is not None and role.name.is_known and text == role.name.data:
            return True
    return False


class _AttachmentIndex:
    """The model's standalone policies by the role references and names their attachments mention,
    so finding a role's policies does not scan every policy for every role."""

    def __init__(self, model: Model):
        self.policies = model.of(IamPolicy)
        self.by_key: dict[str, set[int]] = {}
        for n, policy in enumerate(self.policies):
            if policy.attached_to is None:
                continue
            for element in policy.attached_to.elements():
                keys = []
                if element.ref is not None:
                    parts = element.ref.split(".")
                    keys += ["ref:" + ".".join(parts[:k]) for k in range(1, len(parts) + 1)]
                text, exact = scalar_text(element)
                if exact and text:
                    keys.append("name:" + text)
                for key in keys:
                    self.by_key.setdefault(key, set()).add(n)

    def candidates(self, role: IamRole) -> list[IamPolicy]:
        """Policies that may be attached to `role`, in model order (`_refers_to` decides)."""
        found = set(self.by_key.get("ref:" + role.address, ()))
        if role.name is not None and role.name.is_known and isinstance(role.name.data, str):
            found |= self.by_key.get("name:" + role.name.data, set())
        return [self.policies[n] for n in sorted(found)]


def _attachment_index(model: Model) -> _AttachmentIndex:
    return model.derived("iam.attachments", _AttachmentIndex)


def role_policies(role: IamRole, model: Model | None = None) -> RolePolicies:
    result = RolePolicies()
    seen: set[int] = set()
    for index, document in enumerate(role.inline_policies):
        if document is not None and id(document) not in seen:
            seen.add(id(document))
            result.documents.append((f"inline policy #{index + 1}", document))
    attached: list[IamPolicy] = list(role.attached_policies)
    if model is not None:
        for policy in _attachment_index(model).candidates(role):
            if policy not in attached and _refers_to(policy.attached_to, role, policy):
                attached.append(policy)
    for policy in attached:
        if policy.document is not None and id(policy.document) not in seen:
            seen.add(id(policy.document))
            result.documents.append((policy.address, policy.document))
    addresses = {p.address for p in attached}
    if role.managed_policy_arns is not None:
        for element in role.managed_policy_arns.elements():
            text, exact = scalar_text(element)
            if element.ref is not None and (element.ref in addresses or element.ref.split(".arn")[0] in addresses):
                continue
            if exact and text:
                known = managed_policy(text)
                if known is not None:
                    result.managed.append((element, known))
                    if not known.complete:
                        result.unknown.append(f"AWS managed policy {known.name} may hold more than ecrlint lists")
                elif is_aws_managed(text):
                    result.unknown.append(f"contents of AWS managed policy {managed_policy_name(text)} are not known")
                else:
                    result.unknown.append(f"policy {text} is not in the analysed set")
            else:
                result.unknown.append(element.unknown_reason() or "a managed policy ARN could not be resolved")
    return result


def role_for(model: Model, reference: Value | None, owner=None) -> IamRole | None:
    """The role in the model that a role reference (`aws_iam_role.x.arn`, `!GetAtt Role.Arn`, an ARN) names.

    `owner` is the object holding the reference: a reference names a role of its deployment unit.
    None when the reference is absent, undecided, or names a role outside the analysed set.
    """
    if reference is None:
        return None
    roles = model.of(IamRole)
    if reference.ref is not None:
        named = [role for role in roles if _names_address(reference.ref, role.address)]
        if owner is not None:
            named = same_deployment(named, owner)
        if named:
            return named[0]
    text, exact = scalar_text(reference)
    if not exact or not text:
        return None
    name = text.rsplit("/", 1)[-1] if ":role/" in text else text
    matches = [r for r in roles if r.name is not None and r.name.is_known and r.name.data == name]
    return matches[0] if len(matches) == 1 else None


def role_allows(role: IamRole, action: str, resource: str | None = None, *, model: Model | None = None) -> Decision:
    """Whether the role's identity policies allow `action` (on `resource`, or on some resource when None).

    Known AWS managed policies count with their published contents. An attachment whose contents
    are not in the analysed set makes a "not allowed" answer undecided, never "no".
    """
    policies = role_policies(role, model)
    decision = identity_allows(policies.all_documents(), action, resource)
    if decision.allowed is False and not decision.reasons and policies.unknown:
        return Decision(None, (), tuple(policies.unknown))
    return decision
