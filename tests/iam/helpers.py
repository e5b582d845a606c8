"""Build model objects by hand for the access-analysis tests."""

from __future__ import annotations

import json
from typing import Any

from ecrlint.model import Model
from ecrlint.model.objects import (
    IamPolicy,
    IamRole,
    PublicRepository,
    PublicRepositoryPolicy,
    RegistryPolicy,
    RepositoryPolicy,
)
from ecrlint.model.policy import PolicyDocument, parse_policy_document
from ecrlint.options import Options
from ecrlint.parse.json import parse_json_value
from ecrlint.rule_api import CheckContext
from ecrlint.source import Span
from ecrlint.values import Value, known

SPAN = Span("p.json", 1, 1, 1, 1)


def text_of(policy: Any) -> str:
    return policy if isinstance(policy, str) else json.dumps(policy, indent=1)


def document(policy: Any, path: str = "p.json") -> PolicyDocument:
    doc = parse_policy_document(parse_json_value(text_of(policy), path))
    assert doc is not None
    return doc


def statements(*items: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(items)}


def repository_policy(policy: Any, address: str = "aws_ecr_repository_policy.p", account: str | None = None):
    return RepositoryPolicy(
        address=address,
        span=SPAN,
        source_format="json",
        account_id=known(account, SPAN) if account else None,
        document=document(policy),
    )


def registry_policy(policy: Any, account: str | None = None):
    return RegistryPolicy(
        address="aws_ecr_registry_policy.r",
        span=SPAN,
        source_format="json",
        account_id=known(account, SPAN) if account else None,
        document=document(policy),
    )


def public_repository_policy(policy: Any):
    return PublicRepositoryPolicy(
        address="aws_ecrpublic_repository_policy.p", span=SPAN, source_format="json", document=document(policy)
    )


def identity_policy(policy: Any, address: str = "aws_iam_policy.p"):
    return IamPolicy(address=address, span=SPAN, source_format="json", document=document(policy))


def role(trust: Any, *inline: Any, managed: list[str] | None = None, account: str | None = None, name: str = "r"):
    return IamRole(
        address=f"aws_iam_role.{name}",
        span=SPAN,
        source_format="json",
        name=known(name, SPAN),
        account_id=known(account, SPAN) if account else None,
        assume_role_policy=document(trust),
        inline_policies=[document(p) for p in inline],
        managed_policy_arns=known([known(a, SPAN) for a in managed], SPAN) if managed is not None else None,
    )


def public_repository(name: Any = "tool", **fields: Any) -> PublicRepository:
    def wrap(v):
        return v if isinstance(v, Value) or v is None else known(v, SPAN)

    return PublicRepository(
        address="aws_ecrpublic_repository.r",
        span=SPAN,
        source_format="terraform",
        name=wrap(name),
        **{k: wrap(v) for k, v in fields.items()},
    )


def ctx(account: str | None = None, **kw: Any) -> CheckContext:
    return CheckContext(Options(account_id=account, **kw))


def run(check, *objects, account: str | None = None, **kw):
    """(matches, undecided) of one check over a model of `objects`."""
    from ecrlint.findings import Match

    results = list(check(Model(objects=list(objects)), ctx(account, **kw)))
    return [r for r in results if isinstance(r, Match)], [r for r in results if not isinstance(r, Match)]
