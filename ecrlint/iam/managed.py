"""AWS managed policies that matter for ECR, as documents the statement engine can read.

Contents follow `ecr-reference.md` §3.5. `complete=False` marks a policy whose published text
may hold more than listed here: what is listed is granted, what is not listed is not known to be
absent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from ..model.policy import PolicyDocument, parse_policy_document
from ..parse.json import parse_json_value

_READ_ONLY = [
    "ecr:GetAuthorizationToken",
    "ecr:BatchCheckLayerAvailability",
    "ecr:GetDownloadUrlForLayer",
    "ecr:GetRepositoryPolicy",
    "ecr:DescribeRepositories",
    "ecr:ListImages",
    "ecr:DescribeImages",
    "ecr:BatchGetImage",
    "ecr:GetLifecyclePolicy",
    "ecr:GetLifecyclePolicyPreview",
    "ecr:ListTagsForResource",
    "ecr:DescribeImageScanFindings",
]

_POLICIES: dict[str, tuple[list[str], bool]] = {
    "AmazonECSTaskExecutionRolePolicy": (
        [
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        ],
        True,
    ),
    "AmazonEC2ContainerRegistryReadOnly": (_READ_ONLY, False),
    "AmazonEC2ContainerRegistryPullOnly": (
        ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        False,
    ),
    "AmazonEC2ContainerRegistryPowerUser": (
        [*_READ_ONLY, "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
        False,
    ),
    "AmazonEC2ContainerRegistryFullAccess": (["ecr:*", "cloudtrail:LookupEvents"], False),
    "AdministratorAccess": (["*"], True),
}

#: managed policies whose purpose is pulling images (their ECR actions are reads)
PULL_POLICIES = frozenset(
    {
        "AmazonECSTaskExecutionRolePolicy",
        "AmazonEC2ContainerRegistryReadOnly",
        "AmazonEC2ContainerRegistryPullOnly",
    }
)

_ARN = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:[A-Za-z0-9+=,.@_-]+/)*([A-Za-z0-9+=,.@_-]+)$")


@dataclass(frozen=True)
class ManagedPolicy:
    name: str
    document: PolicyDocument
    complete: bool


def managed_policy_name(arn: str) -> str | None:
    """`AmazonEC2ContainerRegistryReadOnly` for its ARN (any partition, any path); None for other ARNs."""
    m = _ARN.match(arn)
    return m.group(1) if m else None


@cache
def managed_policy(arn_or_name: str) -> ManagedPolicy | None:
    """The AWS managed policy behind an ARN or name, when ecrlint knows its contents."""
    name = managed_policy_name(arn_or_name) or arn_or_name
    entry = _POLICIES.get(name)
    if entry is None:
        return None
    actions, complete = entry
    text = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}, indent=1
    )
    document = parse_policy_document(parse_json_value(text, f"<aws-managed-policy {name}>"))
    assert document is not None
    return ManagedPolicy(name, document, complete)


def is_aws_managed(arn: str) -> bool:
    return managed_policy_name(arn) is not None
