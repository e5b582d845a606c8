"""Terraform plan JSON into model objects."""

from __future__ import annotations

import json

from ecrlint.model.objects import (
    CodeBuildProject,
    ConfigRule,
    EcsTaskDefinition,
    EksNodeGroup,
    IamPolicy,
    IamRole,
    LambdaFunction,
    LifecyclePolicy,
    OrganizationsPolicy,
    PublicRepository,
    PublicRepositoryPolicy,
    PullThroughCacheRule,
    RegistryPolicy,
    RegistryScanningConfiguration,
    ReplicationConfiguration,
    Repository,
    RepositoryCreationTemplate,
    RepositoryPolicy,
    RouteTable,
    Vpc,
    VpcEndpoint,
)
from ecrlint.values import Unknown

from .helpers import by_address, run, span_text

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]})
LIFECYCLE = json.dumps(
    {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any"}, "action": {"type": "expire"}}]}
)

RESOURCES = [
    (
        "aws_ecr_repository",
        "app",
        {
            "name": "app",
            "image_tag_mutability": "MUTABLE",
            "force_delete": True,
            "image_tag_mutability_exclusion_filter": [{"filter": "latest", "filter_type": "WILDCARD"}],
            "image_scanning_configuration": [{"scan_on_push": False}],
            "encryption_configuration": [{"encryption_type": "KMS", "kms_key": ""}],
            "arn": "arn:aws:ecr:eu-west-1:111122223333:repository/app",
            "registry_id": "111122223333",
        },
    ),
    ("aws_ecr_repository_policy", "app", {"repository": "app", "policy": POLICY}),
    ("aws_ecr_lifecycle_policy", "app", {"repository": "app", "policy": LIFECYCLE}),
    ("aws_ecr_registry_policy", "this", {"policy": POLICY}),
    (
        "aws_ecr_replication_configuration",
        "this",
        {
            "replication_configuration": [
                {
                    "rule": [
                        {
                            "destination": [{"region": "us-west-2", "registry_id": "222233334444"}],
                            "repository_filter": [{"filter": "prod", "filter_type": "PREFIX_MATCH"}],
                        }
                    ]
                }
            ]
        },
    ),
    (
        "aws_ecr_registry_scanning_configuration",
        "this",
        {
            "scan_type": "BASIC",
            "rule": [
                {"scan_frequency": "SCAN_ON_PUSH", "repository_filter": [{"filter": "*", "filter_type": "WILDCARD"}]}
            ],
        },
    ),
    (
        "aws_ecr_pull_through_cache_rule",
        "hub",
        {
            "ecr_repository_prefix": "hub",
            "upstream_registry_url": "registry-1.docker.io",
            "credential_arn": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/x",
        },
    ),
    (
        "aws_ecr_repository_creation_template",
        "t",
        {
            "prefix": "prod",
            "applied_for": ["REPLICATION"],
            "image_tag_mutability": "IMMUTABLE",
            "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
            "lifecycle_policy": LIFECYCLE,
            "repository_policy": POLICY,
        },
    ),
    (
        "aws_ecrpublic_repository",
        "pub",
        {"repository_name": "tools", "catalog_data": [{"description": "d", "about_text": "a", "usage_text": "u"}]},
    ),
    ("aws_ecrpublic_repository_policy", "pub", {"repository_name": "tools", "policy": POLICY}),
    ("aws_vpc", "main", {"cidr_block": "10.0.0.0/16", "id": "vpc-0abc"}),
    (
        "aws_vpc_endpoint",
        "dkr",
        {
            "vpc_id": "vpc-0abc",
            "service_name": "com.amazonaws.eu-west-1.ecr.dkr",
            "vpc_endpoint_type": "Interface",
            "private_dns_enabled": True,
            "subnet_ids": ["subnet-1"],
            "route_table_ids": [],
        },
    ),
    ("aws_route_table", "private", {"vpc_id": "vpc-0abc"}),
    (
        "aws_lambda_function",
        "fn",
        {
            "function_name": "fn",
            "package_type": "Image",
            "image_uri": "x.dkr.ecr.eu-west-1.amazonaws.com/a:1",
            "role": "arn:aws:iam::111122223333:role/r",
        },
    ),
    (
        "aws_ecs_task_definition",
        "web",
        {
            "family": "web",
            "container_definitions": json.dumps([{"name": "web", "image": "nginx"}]),
            "execution_role_arn": "arn:aws:iam::111122223333:role/exec",
            "requires_compatibilities": ["FARGATE"],
        },
    ),
    ("aws_eks_node_group", "nodes", {"node_role_arn": "arn:aws:iam::111122223333:role/nodes"}),
    (
        "aws_codebuild_project",
        "build",
        {
            "name": "build",
            "service_role": "arn:aws:iam::111122223333:role/cb",
            "build_timeout": 60,
            "environment": [{"image": "aws/codebuild/standard:7.0"}],
            "source": [{"buildspec": "version: 0.2"}],
        },
    ),
    (
        "aws_iam_role",
        "r",
        {
            "name": "r",
            "assume_role_policy": json.dumps(
                {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ]
                }
            ),
            "inline_policy": [
                {
                    "name": "p",
                    "policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}),
                }
            ],
            "managed_policy_arns": ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"],
        },
    ),
    (
        "aws_iam_policy",
        "p",
        {
            "name": "p",
            "policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*"}]}),
        },
    ),
    (
        "aws_iam_role_policy",
        "rp",
        {
            "name": "rp",
            "role": "r",
            "policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]}),
        },
    ),
    (
        "aws_config_config_rule",
        "c",
        {
            "name": "c",
            "source": [{"owner": "AWS", "source_identifier": "ECR_PRIVATE_IMAGE_SCANNING_ENABLED"}],
            "scope": [{"compliance_resource_types": ["AWS::ECR::Repository"]}],
        },
    ),
    (
        "aws_organizations_policy",
        "scp",
        {
            "name": "scp",
            "type": "SERVICE_CONTROL_POLICY",
            "content": json.dumps({"Statement": [{"Effect": "Deny", "Action": "ecr:*", "Resource": "*"}]}),
        },
    ),
]


def plan_json(resources=RESOURCES, **top) -> str:
    planned = [
        {
            "address": f"{t}.{n}",
            "mode": "managed",
            "type": t,
            "name": n,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "schema_version": 0,
            "values": v,
            "sensitive_values": {},
        }
        for t, n, v in resources
    ]
    planned.append(
        {
            "address": "data.aws_region.current",
            "mode": "data",
            "type": "aws_region",
            "name": "current",
            "values": {"name": "eu-west-1"},
        }
    )
    doc = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": planned}},
    }
    doc.update(top)
    return json.dumps(doc, indent=2)


def test_types_and_fields(tmp_path):
    result = run(tmp_path, {"plan.json": plan_json()})
    assert not result.diagnostics
    o = by_address(result)
    expected = {
        "aws_ecr_repository.app": Repository,
        "aws_ecr_repository_policy.app": RepositoryPolicy,
        "aws_ecr_lifecycle_policy.app": LifecyclePolicy,
        "aws_ecr_registry_policy.this": RegistryPolicy,
        "aws_ecr_replication_configuration.this": ReplicationConfiguration,
        "aws_ecr_registry_scanning_configuration.this": RegistryScanningConfiguration,
        "aws_ecr_pull_through_cache_rule.hub": PullThroughCacheRule,
        "aws_ecr_repository_creation_template.t": RepositoryCreationTemplate,
        "aws_ecrpublic_repository.pub": PublicRepository,
        "aws_ecrpublic_repository_policy.pub": PublicRepositoryPolicy,
        "aws_vpc.main": Vpc,
        "aws_vpc_endpoint.dkr": VpcEndpoint,
        "aws_route_table.private": RouteTable,
        "aws_lambda_function.fn": LambdaFunction,
        "aws_ecs_task_definition.web": EcsTaskDefinition,
        "aws_eks_node_group.nodes": EksNodeGroup,
        "aws_codebuild_project.build": CodeBuildProject,
        "aws_iam_role.r": IamRole,
        "aws_iam_policy.p": IamPolicy,
        "aws_iam_role_policy.rp": IamPolicy,
        "aws_config_config_rule.c": ConfigRule,
        "aws_organizations_policy.scp": OrganizationsPolicy,
    }
    assert {a: type(x) for a, x in o.items()} == expected
    repo = o["aws_ecr_repository.app"]
    assert repo.source_format == "tfplan"
    assert (repo.name.data, repo.image_tag_mutability.data, repo.scan_on_push.data, repo.force_delete.data) == (
        "app",
        "MUTABLE",
        False,
        True,
    )
    assert repo.image_tag_mutability_exclusion_filters.plain() == ["latest"]
    assert repo.encryption_type.data == "KMS" and repo.kms_key is None  # "" means not set
    assert repo.account_id.data == "111122223333" and repo.region.data == "eu-west-1"
    assert o["aws_ecr_repository_policy.app"].document.statements[0].principal["*"][0].data == "*"
    assert o["aws_ecr_lifecycle_policy.app"].document.plain()["rules"][0]["rulePriority"] == 1
    assert o["aws_ecr_replication_configuration.this"].rules.plain()[0]["destinations"] == [
        {"region": "us-west-2", "registry_id": "222233334444"}
    ]
    scanning = o["aws_ecr_registry_scanning_configuration.this"]
    assert scanning.rules.plain() == [
        {"scan_frequency": "SCAN_ON_PUSH", "repository_filters": [{"filter": "*", "filter_type": "WILDCARD"}]}
    ]
    template = o["aws_ecr_repository_creation_template.t"]
    assert template.lifecycle_policy.is_map and template.repository_policy.statements
    assert o["aws_ecrpublic_repository.pub"].description.data == "d"
    assert o["aws_vpc.main"].vpc_id.data == "vpc-0abc"
    endpoint = o["aws_vpc_endpoint.dkr"]
    assert endpoint.private_dns_enabled.data is True and endpoint.route_table_ids.plain() == []
    assert o["aws_ecs_task_definition.web"].container_definitions.plain() == [{"name": "web", "image": "nginx"}]
    build = o["aws_codebuild_project.build"]
    assert (build.image.data, build.buildspec.data, build.timeout_minutes.data) == (
        "aws/codebuild/standard:7.0",
        "version: 0.2",
        60,
    )
    role = o["aws_iam_role.r"]
    assert role.inline_policies[0].statements[0].action[0].data == "ecr:*"
    assert role.assume_role_policy.statements[0].principal["Service"][0].data == "ecs-tasks.amazonaws.com"
    assert o["aws_iam_role_policy.rp"].attached_to.plain() == ["r"]
    assert o["aws_config_config_rule.c"].resource_types.plain() == ["AWS::ECR::Repository"]
    assert o["aws_organizations_policy.scp"].document.statements[0].effect.data == "Deny"


def test_child_modules_unknowns_and_changes(tmp_path):
    address = 'module.ecr["x"].module.inner.aws_ecr_repository.this[0]'
    values = {"name": "x", "encryption_configuration": [{"encryption_type": "KMS"}]}
    doc = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "child_modules": [
                    {
                        "address": 'module.ecr["x"]',
                        "child_modules": [
                            {
                                "address": 'module.ecr["x"].module.inner',
                                "resources": [
                                    {
                                        "address": address,
                                        "mode": "managed",
                                        "type": "aws_ecr_repository",
                                        "name": "this",
                                        "index": 0,
                                        "values": values,
                                    }
                                ],
                            }
                        ],
                    }
                ]
            }
        },
        "resource_changes": [
            {
                "address": address,
                "type": "aws_ecr_repository",
                "mode": "managed",
                "change": {
                    "actions": ["delete", "create"],
                    "before": {"name": "x"},
                    "after": values,
                    "after_unknown": {"encryption_configuration": [{"kms_key": True}], "arn": True},
                    "replace_paths": [["encryption_configuration"]],
                },
                "action_reason": "replace_because_cannot_update",
            }
        ],
        "configuration": {
            "root_module": {
                "module_calls": {
                    "ecr": {
                        "module": {
                            "module_calls": {
                                "inner": {
                                    "module": {
                                        "resources": [
                                            {
                                                "address": "aws_ecr_repository.this",
                                                "expressions": {
                                                    "encryption_configuration": [{}],
                                                    "name": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]},
                                                },
                                            }
                                        ]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
        "prior_state": {
            "values": {
                "root_module": {
                    "resources": [
                        {
                            "address": "data.aws_caller_identity.me",
                            "mode": "data",
                            "type": "aws_caller_identity",
                            "values": {"account_id": "555566667777"},
                        }
                    ]
                }
            }
        },
    }
    text = json.dumps(doc, indent=2)
    result = run(tmp_path, {"p.tfplan.json": text})
    repo = by_address(result)[address]
    assert isinstance(repo.kms_key.data, Unknown) and repo.kms_key.data.reason == "known after apply"
    assert repo.kms_key.span == repo.span
    assert span_text(text, repo.span).startswith("{") and '"address": "' in span_text(text, repo.span)
    change = repo.extra["change"]
    assert change["actions"] == ["delete", "create"]
    assert change["replace_paths"].plain() == [["encryption_configuration"]]
    assert change["action_reason"].data == "replace_because_cannot_update"
    assert repo.account_id.data == "555566667777"  # data.aws_caller_identity
    assert repo.name.ref == "module.ecr.module.inner.aws_kms_key.k"  # configuration reference, made absolute


def test_provider_region_from_variable_and_plan_without_planned_values(tmp_path):
    doc = {
        "format_version": "1.0",
        "variables": {"region": {"value": "ap-southeast-2"}},
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}}}
        },
        "resource_changes": [
            {
                "address": "aws_ecr_repository.a",
                "mode": "managed",
                "type": "aws_ecr_repository",
                "name": "a",
                "change": {"actions": ["create"], "before": None, "after": {"name": "a"}, "after_unknown": {}},
            },
            {
                "address": "aws_ecr_repository.gone",
                "mode": "managed",
                "type": "aws_ecr_repository",
                "name": "gone",
                "change": {"actions": ["delete"], "before": {"name": "gone"}, "after": None, "after_unknown": {}},
            },
        ],
    }
    result = run(tmp_path, {"plan.json": json.dumps(doc)})
    repos = by_address(result)
    assert list(repos) == ["aws_ecr_repository.a"]
    assert repos["aws_ecr_repository.a"].region.data == "ap-southeast-2"
    assert isinstance(repos["aws_ecr_repository.a"].account_id.data, Unknown)


def test_state_json_and_unknown_formats_are_skipped(tmp_path):
    state = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {}}}
    result = run(tmp_path, {"state.json": json.dumps(state)})
    assert not result.objects and not result.diagnostics


def test_unsupported_major_version_is_reported(tmp_path):
    text = json.dumps({"format_version": "2.0", "planned_values": {"root_module": {}}}, indent=2)
    result = run(tmp_path, {"plan.json": text})
    assert not result.objects
    (diagnostic,) = result.diagnostics
    assert "format_version 2.0" in diagnostic.message and span_text(text, diagnostic.span) == '"2.0"'
