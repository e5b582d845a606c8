"""Whose account: the owner of a repository, registry or role, and which accounts are external to it.

The owner comes, in order, from the object's own `account_id`, from an ARN in the model that
names it (a repository bound to the policy, `Resource` ARNs of the policy, the role's ARN), or
from `--account-id` (`ctx.options.account_id`). When none is known, every explicitly named
account counts as external and messages say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Model, ModelObject
from ..model.objects import PublicRepository, PublicRepositoryPolicy, Repository, RepositoryPolicy
from ..model.policy import PolicyDocument
from ..values import Value
from .arns import account_of, is_account_id, parse_arn, scalar_text
from .principals import ACCOUNT, ACCOUNT_WILDCARD, IDENTITY, Principal


@dataclass(frozen=True)
class Owner:
    account: str | None
    source: str  # where the account came from, for messages: "account_id", "a Resource ARN", "--account-id"

    @property
    def known(self) -> bool:
        return self.account is not None

    def describe(self) -> str:
        if self.account is None:
            return "the owner account is not known, so every named account is treated as external"
        return f"owner account {self.account}"


UNKNOWN_OWNER = Owner(None, "")


def _known_account(value: Value | None) -> str | None:
    if value is None:
        return None
    text, exact = scalar_text(value)
    if exact and text and is_account_id(text):
        return text
    return None


def _document_accounts(document: PolicyDocument | None, services: tuple[str, ...]) -> set[str]:
    """Accounts named by the ECR ARNs in a policy's `Resource` elements."""
    found: set[str] = set()
    if document is None:
        return found
    for statement in document.statements:
        for value in statement.resource or ():
            text, exact = scalar_text(value)
            arn = parse_arn(text) if exact and text else None
            if arn is not None and arn.service.lower() in services and is_account_id(arn.account):
                found.add(arn.account)
    return found


def _bound_repository(obj: ModelObject, model: Model | None) -> ModelObject | None:
    if model is None or not isinstance(obj, (RepositoryPolicy, PublicRepositoryPolicy)):
        return None
    return model.derived("iam.policy-repositories", _repositories_by_policy).get(id(obj))


def _repositories_by_policy(model: Model) -> dict[int, ModelObject]:
    """The repository each bound policy object belongs to (the first one, in model order)."""
    found: dict[int, ModelObject] = {}
    for repo in model.of(Repository, PublicRepository):
        for policy in repo.policies:
            found.setdefault(id(policy), repo)
    return found


def owner_account(
    obj: ModelObject,
    ctx_account: str | None = None,
    *,
    model: Model | None = None,
    documents: Iterable[PolicyDocument | None] = (),
    arns: Iterable[Value | None] = (),
) -> Owner:
    """The account that owns `obj` (see the module doc for the order of sources)."""
    own = _known_account(obj.account_id)
    if own:
        return Owner(own, "the resource's account")
    repo = _bound_repository(obj, model)
    if repo is not None:
        own = _known_account(repo.account_id)
        if own:
            return Owner(own, f"the account of {repo.address}")
    named: set[str] = set()
    for value in arns:
        if value is None:
            continue
        text, exact = scalar_text(value)
        if exact and text:
            account = account_of(text)
            if account:
                named.add(account)
    if len(named) == 1:
        return Owner(next(iter(named)), "the resource's ARN")
    found: set[str] = set()
    for document in documents:
        found |= _document_accounts(document, ("ecr", "ecr-public"))
    if len(found) == 1:
        return Owner(next(iter(found)), "the policy's Resource ARN")
    if ctx_account and is_account_id(ctx_account):
        return Owner(ctx_account, "--account-id")
    return UNKNOWN_OWNER


def is_external(principal: Principal, owner: Owner) -> bool | None:
    """Whether a principal is outside the owner's account (None: cannot tell).

    An account wildcard is always external. Without a known owner, every explicitly named
    account is external; a principal written as the deploying account (`${AWS::AccountId}`) is
    never external.
    """
    if principal.kind == ACCOUNT_WILDCARD:
        return True
    if principal.kind not in (ACCOUNT, IDENTITY):
        return False
    if principal.own_account:
        return False
    if principal.account is None:
        return None
    if owner.account is None:
        return True
    return principal.account != owner.account


def external_accounts(accounts: Iterable[str], owner: Owner) -> list[str]:
    return sorted(a for a in set(accounts) if owner.account is None or a != owner.account)


def _known_text(value: Value | None) -> str | None:
    return value.data if value is not None and value.is_known and isinstance(value.data, str) else None


def registry_of(obj: ModelObject) -> tuple[str | None, str | None]:
    """(account, Region) of the registry an object belongs to, each None when not known."""
    return _known_text(obj.account_id), _known_text(obj.region)


def registry_key(obj: ModelObject) -> tuple[str, ...]:
    account, region = registry_of(obj)
    # Where the account is not known, every such object may be in one registry: one group per run.
    return ("?",) if account is None else (account, region or "?")
