"""Routing by content, and ECR900 only for broken files that look like ours."""

from __future__ import annotations

import json
import os

from ecrlint.model.adapters import AdapterContext
from ecrlint.model.adapters.docload import looks_like_ours
from ecrlint.model.adapters.structured import build
from ecrlint.model.objects import LifecyclePolicy, Repository
from ecrlint.options import Options
from ecrlint.source import SourceFile

from .helpers import run


def test_files_that_are_not_ours_are_quiet(tmp_path):
    files = {
        "package.json": '{"name": "app", "version": "1.0.0"',  # broken, but not ours
        "tsconfig.json": '{"compilerOptions": {"strict": true}}',
        "buildspec.yml": "version: 0.2\nphases:\n  build:\n    commands:\n      - aws ecr get-login-password | docker login\n",
        "k8s.yaml": "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n",
        "broken-values.yaml": "a: [1\n",
        "workflow.yml": "on:\n  push: {}\njobs: {}\n",
        "ansible.yml": "- hosts: all\n  vars:\n    secret: !vault |\n      abc\n",
    }
    result = run(tmp_path, files)
    assert not result.objects and not result.diagnostics


def test_broken_template_is_reported_with_position(tmp_path):
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Repo:\n    Type: AWS::ECR::Repository\n   Properties: {}\n"
    result = run(tmp_path, {"stack.yaml": text, "ok.yaml": "Resources:\n  R:\n    Type: AWS::ECR::Repository\n"})
    assert [type(o) for o in result.objects] == [Repository]  # the run goes on
    (diagnostic,) = result.diagnostics
    assert diagnostic.rule_id == "ECR900"
    assert diagnostic.span.path == "stack.yaml"
    assert (diagnostic.span.start_line, diagnostic.span.start_col) == (5, 4)
    assert diagnostic.message.startswith("cannot parse YAML")


def test_broken_json_policy_and_plan_are_reported(tmp_path):
    files = {
        "policy.json": '{"Statement": [{"Effect": "Allow", "Action": "ecr:*" "Resource": "*"}]}',
        "plan.json": '{"format_version": "1.2", "planned_values": {}, "resource_changes": [}',
        "lifecycle.json": '{"rules": [{"rulePriority": ${count}}]}',
    }
    result = run(tmp_path, files)
    found = {d.span.path: (d.span.start_line, d.span.start_col) for d in result.diagnostics}
    assert found == {"lifecycle.json": (1, 29), "plan.json": (1, 70), "policy.json": (1, 54)}


def test_limits_are_reported(tmp_path):
    laughs = (
        "Resources:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"  {chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8))
        + "  R:\n    Type: AWS::ECR::Repository\n"
    )
    deep = '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ' + "[" * 300 + "]" * 300 + "}"
    result = run(tmp_path, {"laughs.yaml": laughs, "deep.json": deep})
    messages = {d.span.path: d.message for d in result.diagnostics}
    assert "alias expansion limit" in messages["laughs.yaml"]
    assert "nesting deeper than" in messages["deep.json"]


def test_garbage_never_raises(tmp_path):
    (tmp_path / "binary.json").write_bytes(b"\x00\xff\xfe AWS::ECR::Repository \x80")
    (tmp_path / "latin1.yaml").write_bytes("Resources: caf\xe9 AWS::ECR::Repository".encode("latin-1"))
    files = [
        SourceFile("binary.json", str(tmp_path / "binary.json"), "json", str(tmp_path)),
        SourceFile("latin1.yaml", str(tmp_path / "latin1.yaml"), "yaml", str(tmp_path)),
        SourceFile("missing.yaml", str(tmp_path / "missing.yaml"), "yaml", str(tmp_path)),
    ]
    result = build(files, AdapterContext(options=Options(), roots=[str(tmp_path)]))
    assert {d.span.path for d in result.diagnostics} == {"binary.json", "latin1.yaml"}
    assert all("not UTF-8" in d.message for d in result.diagnostics)


def test_routing_by_content_not_name(tmp_path):
    files = {
        "weird-name.yml": "Resources:\n  R:\n    Type: AWS::ECR::Repository\n",
        "plan-output.json": json.dumps({"format_version": "1.2", "resource_changes": []}),
        "stack.template": json.dumps({"Resources": {"R": {"Type": "AWS::ECR::Repository"}}}),
        "rules.json": json.dumps(
            {
                "rules": [
                    {
                        "rulePriority": 1,
                        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1},
                        "action": {"type": "expire"},
                    }
                ]
            }
        ),
    }
    result = run(tmp_path, files)
    formats = {path: facts["format"] for path, facts in result.file_facts.items()}
    assert formats == {
        "weird-name.yml": "cloudformation",
        "plan-output.json": "tfplan",
        "stack.template": "cloudformation",
        "rules.json": "json:lifecycle-policy",
    }
    assert sorted(type(o).__name__ for o in result.objects) == ["LifecyclePolicy", "Repository", "Repository"]
    assert any(isinstance(o, LifecyclePolicy) for o in result.objects)


def test_sniff():
    assert looks_like_ours("Type: AWS::ECR::Repository")
    assert looks_like_ours('{"rulePriority": 1')
    assert looks_like_ours('"Action": "ecr:GetAuthorizationToken"')
    assert not looks_like_ours('{"name": "app", "scripts": {"build": "tsc"}}')
    assert not looks_like_ours("image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1")
    assert not looks_like_ours("- run: aws ecr get-login-password")


def test_display_paths_follow_the_given_paths(tmp_path):
    root = tmp_path / "proj"
    os.makedirs(root / "cdk.out")
    (root / "cdk.out" / "manifest.json").write_text(
        json.dumps(
            {
                "version": "36.0.0",
                "artifacts": {
                    "S": {
                        "type": "aws:cloudformation:stack",
                        "environment": "aws://unknown-account/unknown-region",
                        "properties": {"templateFile": "S.template.json"},
                    }
                },
            }
        )
    )
    (root / "cdk.out" / "S.template.json").write_text(
        json.dumps({"Resources": {"R": {"Type": "AWS::ECR::Repository"}}})
    )
    manifest = SourceFile("proj/cdk.out/manifest.json", str(root / "cdk.out" / "manifest.json"), "json", str(root))
    result = build([manifest], AdapterContext(options=Options(), roots=[str(root)]))
    (repo,) = result.objects
    assert repo.span.path == "proj/cdk.out/S.template.json"


def test_large_files_that_are_not_ours_are_not_parsed(tmp_path):
    big = json.dumps({"name": "app", "packages": {f"node_modules/p{i}": {"version": "1.0.0"} for i in range(20000)}})
    broken_big = big[:-1]
    result = run(tmp_path, {"package-lock.json": big, "other-lock.json": broken_big})
    assert not result.objects and not result.diagnostics


def test_large_template_named_by_a_manifest_is_read(tmp_path):
    resources = {f"Topic{i}": {"Type": "Custom::Thing", "Properties": {"Pad": "x" * 100}} for i in range(3000)}
    resources["Repo"] = {"Type": "AWS::ECR::Repository"}
    files = {
        "out/manifest.json": json.dumps(
            {
                "version": "36.0.0",
                "artifacts": {
                    "S": {
                        "type": "aws:cloudformation:stack",
                        "environment": "aws://unknown-account/unknown-region",
                        "properties": {"templateFile": "S.template.json"},
                    }
                },
            }
        ),
        "out/S.template.json": json.dumps({"Resources": resources}),
    }
    result = run(tmp_path, files)
    assert [o.address for o in result.objects] == ["Resources.Repo"]
