"""CDK cloud assemblies read through manifest.json."""

from __future__ import annotations

import json

from ecrlint.model.objects import Repository
from ecrlint.values import Unknown

from .helpers import by_address, run


def manifest(artifacts: dict) -> str:
    return json.dumps({"version": "36.0.0", "artifacts": artifacts}, indent=1)


def stack(template: str, environment: str = "aws://111122223333/eu-west-1", **extra) -> dict:
    artifact = {
        "type": "aws:cloudformation:stack",
        "environment": environment,
        "properties": {"templateFile": template, "validateOnSynth": False},
    }
    artifact.update(extra)
    return artifact


REPO_TEMPLATE = json.dumps(
    {
        "Resources": {
            "Repo02AC86CF": {
                "Type": "AWS::ECR::Repository",
                "Properties": {"RepositoryName": {"Fn::Sub": "${AWS::StackName}-${AWS::Region}-${AWS::AccountId}"}},
            },
            "Fn1": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "PackageType": "Image",
                    "Code": {
                        "ImageUri": {
                            "Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}:abc"
                        }
                    },
                },
                "Metadata": {"aws:cdk:path": "Stack/Fn/Resource"},
            },
        }
    },
    indent=1,
)


def test_environment_construct_paths_and_no_second_read(tmp_path):
    metadata = {"/AppStack/Repo/Resource": [{"type": "aws:cdk:logicalId", "data": "Repo02AC86CF"}]}
    files = {
        "cdk.out/manifest.json": manifest({"AppStack": stack("AppStack.template.json", metadata=metadata)}),
        "cdk.out/AppStack.template.json": REPO_TEMPLATE,
    }
    result = run(tmp_path, files)
    assert not result.diagnostics
    objects = by_address(result)
    assert sorted(objects) == ["Resources.Fn1", "Resources.Repo02AC86CF"]  # the template is read once
    repo = objects["Resources.Repo02AC86CF"]
    assert repo.source_format == "cdk"
    assert repo.construct_path == "AppStack/Repo/Resource"  # from the manifest metadata
    assert repo.name.data == "AppStack-eu-west-1-111122223333"
    assert repo.account_id.data == "111122223333" and repo.account_id.span.path == "cdk.out/manifest.json"
    assert repo.region.data == "eu-west-1"
    assert repo.extra["stack"] == "AppStack"
    fn = objects["Resources.Fn1"]
    assert fn.construct_path == "Stack/Fn/Resource"  # aws:cdk:path wins
    assert fn.image_uri.data.startswith("111122223333.dkr.ecr.eu-west-1.amazonaws.com/cdk-hnb659fds-container-assets-")
    assert result.file_facts["cdk.out/manifest.json"]["format"] == "cdk"


def test_unknown_environment_and_stack_name(tmp_path):
    files = {
        "out/manifest.json": manifest(
            {
                "S": stack(
                    "S.template.json",
                    "aws://unknown-account/unknown-region",
                    properties={"templateFile": "S.template.json", "stackName": "orders-prod"},
                )
            }
        ),
        "out/S.template.json": REPO_TEMPLATE,
    }
    repo = by_address(run(tmp_path, files), Repository)["Resources.Repo02AC86CF"]
    assert isinstance(repo.name.data, Unknown)
    assert repo.name.data.symbolic == "orders-prod-${AWS::Region}-${AWS::AccountId}"
    assert isinstance(repo.account_id.data, Unknown)


def test_account_option_fills_unknown_account(tmp_path):
    files = {
        "out/manifest.json": manifest({"S": stack("S.template.json", "aws://unknown-account/us-east-1")}),
        "out/S.template.json": REPO_TEMPLATE,
    }
    repo = by_address(run(tmp_path, files, account_id="999988887777"), Repository)["Resources.Repo02AC86CF"]
    assert repo.name.data == "S-us-east-1-999988887777"


def test_nested_assembly(tmp_path):
    files = {
        "out/manifest.json": manifest(
            {
                "Prod": {
                    "type": "cdk:cloud-assembly",
                    "properties": {"directoryName": "assembly-Prod", "displayName": "Prod"},
                }
            }
        ),
        "out/assembly-Prod/manifest.json": manifest({"ProdApp": stack("ProdApp.template.json")}),
        "out/assembly-Prod/ProdApp.template.json": REPO_TEMPLATE,
    }
    result = run(tmp_path, files)
    repos = [o for o in result.objects if isinstance(o, Repository)]
    assert len(repos) == 1
    assert repos[0].span.path == "out/assembly-Prod/ProdApp.template.json"
    assert repos[0].name.data == "ProdApp-eu-west-1-111122223333"


def test_missing_template_is_quiet_and_broken_template_reported(tmp_path):
    files = {
        "out/manifest.json": manifest({"A": stack("A.template.json"), "B": stack("B.template.json")}),
        "out/B.template.json": '{"Resources": {"R": {"Type": "AWS::ECR::Repository",}}}',
    }
    result = run(tmp_path, files)
    assert not result.objects
    assert len(result.diagnostics) == 1
    diagnostic = result.diagnostics[0]
    assert diagnostic.span.path == "out/B.template.json"
    assert (diagnostic.span.start_line, diagnostic.span.start_col) == (1, 53)
    assert result.file_facts["out/manifest.json"]["missing_artifacts"] == ["A"]


def test_bootstrap_repository_by_name(tmp_path):
    template = json.dumps(
        {
            "Resources": {
                "Assets": {
                    "Type": "AWS::ECR::Repository",
                    "Properties": {"RepositoryName": "cdk-custom1-container-assets-111122223333-eu-west-1"},
                }
            }
        }
    )
    files = {"out/manifest.json": manifest({"S": stack("S.template.json")}), "out/S.template.json": template}
    repo = by_address(run(tmp_path, files), Repository)["Resources.Assets"]
    assert repo.is_cdk_bootstrap
