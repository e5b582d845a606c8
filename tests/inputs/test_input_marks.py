"""Which JSON and YAML files are inputs: ECR900 only for inputs; the others are skipped and counted.

Also the files left out on purpose (CDK integ-runner test snapshots, Terraform templates) and how the
summary counts them in the text and JSON outputs.
"""

from __future__ import annotations

import contextlib
import io
import json
import os

import pytest

from ecrlint.cli import main
from ecrlint.model.adapters.docload import looks_like_ours

from .helpers import write

CFN = 'AWSTemplateFormatVersion: "2010-09-09"\n'
MUTABLE_REPO_TEMPLATE = json.dumps(
    {"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": {"ImageTagMutability": "MUTABLE"}}}}
)
GOOD_TF = 'resource "aws_ecr_repository" "kept" {\n  name = "kept"\n  image_tag_mutability = "MUTABLE"\n}\n'

# Broken files written for other tools: each would fail to parse, and none is an ecrlint input.
NOT_INPUTS = {
    "chart/templates/role.yaml": (  # a Helm template naming ECR actions
        "apiVersion: iam.services.k8s.aws/v1alpha1\nkind: Policy\nspec:\n"
        '  policyDocument: {{ toJson .Values.policy }}\n  "Action": ["ecr:GetAuthorizationToken"]\n  bad: [\n'
    ),
    "k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n   bad: indent\n",
    ".github/workflows/ci.yml": "on:\n  push:\njobs:\n  build:\n    steps:\n      - run: echo AWS::ECR::Repository\n    x: [\n",
    "compose.yaml": 'services:\n  app:\n    image: "ecr:latest\n',
    "notes/todo.yaml": "- remember: the ECR repository\n  : broken\n",
    "package.json": '{"name": "app", "scripts": {',
}
# Broken files that are inputs: each is ECR900 at the parser's line and column.
BROKEN_INPUTS = {
    "cfn/stack.yaml": (
        CFN + "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n  Repo:\n    Type: AWS::S3::Bucket\n",
        5,
    ),
    # No AWSTemplateFormatVersion, and a dynamic reference that looks like a Helm template.
    "cfn/params.yaml": (
        "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n"
        "    Properties:\n      RepositoryName: '{{resolve:ssm:/app/name}}'\n      Tags: [\n",
        7,
    ),
    "policies/lifecycle.json": ('{"rules": [{"rulePriority": 1,, }]}', 1),
    "buildspec.yml": ("version: 0.2\nphases:\n  build:\n    commands:\n      - docker build .\n   bad: indent\n", 6),
}


def _check(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--no-cache", *args])
    assert "internal error" not in err.getvalue(), err.getvalue()
    return code, out.getvalue(), err.getvalue()


def _json(args: list[str]) -> dict:
    _code, out, _err = _check([*args, "--format", "json"])
    return json.loads(out)


def _paths(report: dict, rule: str | None = None) -> set[str]:
    return {f["span"]["path"] for f in report["findings"] if rule is None or f["rule_id"] == rule}


@pytest.mark.parametrize(
    "text",
    [
        'AWSTemplateFormatVersion: "2010-09-09"\nx: {{',
        "Transform: AWS::Serverless-2016-10-31\n",
        "Resources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties: {{resolve:ssm:x}}",
        '{"format_version": "1.2", "planned_values": {',
        '{"version": "36.0.0", "artifacts": {"S": {"type": "aws:cloudformation:stack"',
        '{"Statement": [{"Action": ["s3:GetObject", "ecr:BatchGetImage"]',
        '{"rules": [{"rulePriority": 1',
        '{"repositoryName": "app", "imageTagMutability":',
    ],
)
def test_marks_of_an_input(text):
    assert looks_like_ours(text)


@pytest.mark.parametrize(
    "text",
    [
        'x: {{ .Values.x }}\n"Action": "ecr:*"',
        'apiVersion: v1\nkind: ConfigMap\ndata:\n  p: |\n    "Action": "ecr:*"\n',
        "on: push\njobs:\n  a:\n    steps:\n      - run: echo AWS::ECR::Repository\n",
        'services:\n  app:\n    environment: ["ecr:x"]\n',
        "image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1",
        '{"Statement": [{"Action": "s3:GetObject"}]}',
    ],
)
def test_text_of_other_tools_is_not_an_input(text):
    assert not looks_like_ours(text)


def test_looks_like_ours_is_fast_on_hostile_text():
    # Each mark is a plain search; none backtracks across a megabyte of near-misses.
    for text in (" \n" * 500_000, '"Action": ' * 100_000, "apiVersion: x\n" * 70_000, '"artifacts"' * 90_000):
        assert not looks_like_ours(text)


def test_ecr900_only_for_inputs_and_the_rest_counted(tmp_path, monkeypatch):
    write(tmp_path, {**NOT_INPUTS, **{name: text for name, (text, _line) in BROKEN_INPUTS.items()}})
    write(tmp_path, {"ok/main.tf": GOOD_TF, "ok/settings.json": '{"editor": {"tabs": 2}}'})
    monkeypatch.chdir(tmp_path)
    report = _json(["."])
    reported = {f["span"]["path"]: f for f in report["findings"] if f["rule_id"] == "ECR900"}
    assert set(reported) == set(BROKEN_INPUTS), reported
    for name, (_text, line) in BROKEN_INPUTS.items():
        assert reported[name]["span"]["start_line"] == line, reported[name]
    assert not _paths(report) & set(NOT_INPUTS)
    skipped = report["summary"]["files_skipped"]
    assert skipped == {"not_input": len(NOT_INPUTS) + 1, "template_input": 0, "test_snapshot": 0}
    # Discovered files less those found not to be inputs.
    assert report["summary"]["files_scanned"] == len(BROKEN_INPUTS) + 1
    _code, text, _err = _check(["."])
    assert f"in {len(BROKEN_INPUTS) + 1} files; {len(NOT_INPUTS) + 1} files skipped: not ECR inputs" in text


def test_a_broken_terraform_file_is_always_ecr900(tmp_path, monkeypatch):
    write(tmp_path, {"main.tf": 'resource "aws_ecr_repository" "r" {\n  name = \n'})
    monkeypatch.chdir(tmp_path)
    findings = [f for f in _json(["."])["findings"] if f["rule_id"] == "ECR900"]
    assert [f["span"]["path"] for f in findings] == ["main.tf"]


# -- CDK integ-runner snapshots -----------------------------------------------------------------

SNAPSHOT = "test/integ.repo.js.snapshot"


@pytest.fixture
def cdk_project(tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            f"{SNAPSHOT}/RepoStack.template.json": MUTABLE_REPO_TEMPLATE,
            f"{SNAPSHOT}/manifest.json": '{"version": "36.0.0", "artifacts": {}}',
            f"{SNAPSHOT}/asset.1234/handler.py": "print('not an input kind')\n",
            "infra/main.tf": GOOD_TF,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_test_snapshots_are_skipped_and_counted(cdk_project):
    report = _json(["."])
    assert _paths(report) == {"infra/main.tf"}
    assert report["summary"]["files_skipped"]["test_snapshot"] == 2
    assert report["summary"]["files_scanned"] == 1
    _code, text, _err = _check(["."])
    assert text.rstrip().endswith("in 1 file; 2 files skipped as test snapshots")


def test_include_test_snapshots_flag(cdk_project):
    report = _json([".", "--include-test-snapshots"])
    assert f"{SNAPSHOT}/RepoStack.template.json" in _paths(report, "ECR101")
    assert report["summary"]["files_skipped"]["test_snapshot"] == 0


def test_include_test_snapshots_config_key(cdk_project):
    (cdk_project / ".ecrlint.yaml").write_text("include-test-snapshots: true\n")
    assert f"{SNAPSHOT}/RepoStack.template.json" in _paths(_json(["."]), "ECR101")


def test_a_snapshot_folder_named_on_the_command_line_is_read(cdk_project):
    assert f"{SNAPSHOT}/RepoStack.template.json" in _paths(_json([SNAPSHOT]), "ECR101")


# -- templates read by Terraform ------------------------------------------------------------------

TEMPLATE_LIFECYCLE = '{\n  "rules": [{\n    "rulePriority": 1,\n    "countNumber": ${count}\n  }]\n}\n'


@pytest.mark.parametrize(
    "reader",
    [
        'data "template_file" "lc" {\n  template = file("${path.module}/policies/lifecycle.json")\n'
        "  vars = { count = 10 }\n}\n",
        'locals {\n  lc = templatefile("policies/lifecycle.json", { count = 10 })\n}\n',
    ],
)
def test_a_template_read_by_terraform_is_not_ecr900(tmp_path, monkeypatch, reader):
    write(tmp_path, {"mod/main.tf": reader, "mod/policies/lifecycle.json": TEMPLATE_LIFECYCLE})
    # The same text, not read by any Terraform file, is a broken input.
    write(tmp_path, {"loose/lifecycle.json": TEMPLATE_LIFECYCLE})
    monkeypatch.chdir(tmp_path)
    report = _json(["."])
    assert _paths(report, "ECR900") == {"loose/lifecycle.json"}
    assert report["summary"]["files_skipped"]["template_input"] == 1
    _code, text, _err = _check(["mod"])
    assert "1 file skipped as read by Terraform file() or templatefile()" in text


def test_a_template_that_parses_is_checked_where_terraform_uses_it_and_once(tmp_path, monkeypatch):
    policy = '{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan"}}]}'
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_ecr_repository" "r" {\n  name = "app"\n}\n'
            'resource "aws_ecr_lifecycle_policy" "p" {\n  repository = aws_ecr_repository.r.name\n'
            '  policy = file("${path.module}/lc.json")\n}\n',
            "lc.json": policy,
        },
    )
    monkeypatch.chdir(tmp_path)
    report = _json(["."])
    assert report["summary"]["files_skipped"] == {"not_input": 0, "template_input": 1, "test_snapshot": 0}
    invalid = [f for f in report["findings"] if f["rule_id"] == "ECR401"]
    # no action and no countNumber: each reported once, in the file, as the resource reads it
    assert {(f["span"]["path"], f["address"]) for f in invalid} == {("lc.json", "aws_ecr_lifecycle_policy.p")}
    assert len(invalid) == len({f["message"] for f in invalid}) == 2


def test_the_summary_keys_are_in_the_schema():
    from ecrlint.render import json as render_json

    path = os.path.join(os.path.dirname(render_json.__file__), "..", "schemas", "findings.schema.json")
    with open(path, encoding="utf-8") as handle:
        summary = json.load(handle)["properties"]["summary"]
    assert "files_skipped" in summary["required"]
    assert set(summary["properties"]["files_skipped"]["required"]) == {"not_input", "template_input", "test_snapshot"}


def test_counts_stay_right_on_a_cached_run(cdk_project, tmp_path_factory):
    cache = str(tmp_path_factory.mktemp("cache"))
    write(cdk_project, {"k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n"})
    args = [".", "--format", "json", "--cache-dir", cache]
    out, err = io.StringIO(), io.StringIO()

    def summary() -> dict:
        out.seek(0)
        out.truncate()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(["check", *args])
        return json.loads(out.getvalue())["summary"]

    first = summary()
    assert first["files_skipped"] == {"not_input": 1, "template_input": 0, "test_snapshot": 2}
    assert summary() == first  # from the unit cache
    # A new file in a snapshot folder is never read, so no unit's key holds it: counted afresh.
    write(cdk_project, {f"{SNAPSHOT}/Other.template.json": MUTABLE_REPO_TEMPLATE})
    again = summary()
    assert again["files_skipped"]["test_snapshot"] == 3
    assert again["files_scanned"] == first["files_scanned"] == 1
