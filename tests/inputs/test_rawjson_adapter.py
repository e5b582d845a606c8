"""Standalone JSON documents recognised by shape."""

from __future__ import annotations

import json

import pytest

from ecrlint.model.objects import (
    IamPolicy,
    LifecyclePolicy,
    PublicRepositoryPolicy,
    RegistryPolicy,
    RegistryScanningConfiguration,
    ReplicationConfiguration,
    Repository,
    RepositoryPolicy,
)

from .helpers import run, span_text

PULL = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Pull",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::222233334444:root"},
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        }
    ],
}
REPLICATE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::222233334444:root"},
            "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
            "Resource": "arn:aws:ecr:eu-west-1:111122223333:repository/*",
        }
    ],
}
IDENTITY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}
LIFECYCLE = {
    "rules": [
        {
            "rulePriority": 1,
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": 7,
            },
            "action": {"type": "expire"},
        }
    ]
}
REPLICATION = {
    "rules": [
        {
            "destinations": [{"region": "us-west-2", "registryId": "222233334444"}],
            "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}],
        }
    ]
}
SCANNING = {
    "scanType": "ENHANCED",
    "rules": [{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}],
}
DESCRIBE = {
    "repositories": [
        {
            "repositoryArn": "arn:aws:ecr:eu-west-1:111122223333:repository/app",
            "registryId": "111122223333",
            "repositoryName": "app",
            "repositoryUri": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app",
            "createdAt": "2024-01-01T00:00:00+00:00",
            "imageTagMutability": "MUTABLE",
            "imageScanningConfiguration": {"scanOnPush": False},
            "encryptionConfiguration": {"encryptionType": "AES256"},
        }
    ]
}


@pytest.mark.parametrize(
    "name,document,cls",
    [
        ("pull.json", PULL, RepositoryPolicy),
        ("replication-access.json", REPLICATE, RegistryPolicy),
        ("pull-registry.json", PULL, RegistryPolicy),  # the file name settles it
        ("ci.json", IDENTITY, IamPolicy),
        ("lifecycle.json", LIFECYCLE, LifecyclePolicy),
        ("replication.json", REPLICATION, ReplicationConfiguration),
        ("scanning.json", SCANNING, RegistryScanningConfiguration),
        ("describe.json", DESCRIBE, Repository),
        (
            "get-repo-policy.json",
            {"registryId": "111122223333", "repositoryName": "app", "policyText": json.dumps(PULL)},
            RepositoryPolicy,
        ),
        (
            "get-lifecycle.json",
            {"registryId": "111122223333", "repositoryName": "app", "lifecyclePolicyText": json.dumps(LIFECYCLE)},
            LifecyclePolicy,
        ),
        (
            "get-registry-policy.json",
            {"registryId": "111122223333", "policyText": json.dumps(REPLICATE)},
            RegistryPolicy,
        ),
        (
            "describe-registry.json",
            {"registryId": "111122223333", "replicationConfiguration": REPLICATION},
            ReplicationConfiguration,
        ),
        (
            "get-scanning.json",
            {"registryId": "111122223333", "scanningConfiguration": SCANNING},
            RegistryScanningConfiguration,
        ),
        (
            "public.json",
            {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr-public:BatchCheckLayerAvailability"}]},
            PublicRepositoryPolicy,
        ),
    ],
)
def test_kinds(tmp_path, name, document, cls):
    result = run(tmp_path, {name: json.dumps(document, indent=2)})
    assert not result.diagnostics
    assert [type(o) for o in result.objects] == [cls]
    obj = result.objects[0]
    assert obj.source_format == "json" and obj.span.path == name


def test_cli_outputs_carry_names_and_accounts(tmp_path):
    result = run(tmp_path, {"describe.json": json.dumps(DESCRIBE, indent=2)})
    repo = result.objects[0]
    assert repo.address == "repositories['app']"
    assert (repo.name.data, repo.image_tag_mutability.data, repo.scan_on_push.data, repo.encryption_type.data) == (
        "app",
        "MUTABLE",
        False,
        "AES256",
    )
    assert repo.account_id.data == "111122223333" and repo.region.data == "eu-west-1"
    text = json.dumps({"registryId": "111122223333", "repositoryName": "app", "policyText": json.dumps(PULL)}, indent=2)
    policy = run(tmp_path / "b", {"p.json": text}).objects[0]
    assert policy.repository.data == "app" and policy.account_id.data == "111122223333"
    assert policy.document.statements[0].sid.data == "Pull"


def test_not_ours_is_skipped(tmp_path):
    files = {
        "package.json": json.dumps({"name": "x", "version": "1.0.0", "dependencies": {}}),
        "bucket-policy.json": json.dumps(
            {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
        ),
        "trust.json": json.dumps(
            {
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ]
            }
        ),
        "event.json": json.dumps({"source": ["aws.ecr"], "detail-type": ["ECR Image Action"]}),
        "list.json": "[1, 2, 3]",
        "empty-rules.json": json.dumps({"rules": []}),
    }
    result = run(tmp_path, files)
    assert not result.objects and not result.diagnostics


def test_schema_violation_is_located(tmp_path):
    broken = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"},
            {"Effect": "Permit", "Principal": "*", "Action": "ecr:PutImage"},
        ],
    }
    text = json.dumps(broken, indent=2)
    result = run(tmp_path, {"repo-policy.json": text})
    assert not result.objects
    (diagnostic,) = result.diagnostics
    assert diagnostic.rule_id == "ECR900"
    assert "ECR repository policy" in diagnostic.message and "Permit" in diagnostic.message
    assert span_text(text, diagnostic.span) == '"Permit"'


def test_broken_lifecycle_policy_still_enters_the_model(tmp_path):
    broken = {
        "rules": [
            {
                "rulePriority": 0,
                "selection": {"tagStatus": "sometimes", "countType": "imageCountMoreThan", "countNumber": 1},
                "action": {"type": "expire"},
            }
        ]
    }
    result = run(tmp_path, {"lifecycle.json": json.dumps(broken)})
    assert not result.diagnostics
    (policy,) = result.objects
    assert isinstance(policy, LifecyclePolicy) and policy.repository is None
    assert policy.document.plain() == broken
    assert policy.extra["schema_errors"]
