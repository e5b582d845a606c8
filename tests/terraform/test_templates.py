"""Template files are rendered where the configuration renders them (`templatefile`,
`data "template_file"`), with only the variables given to them."""

from __future__ import annotations

from ..pipeline import run_pipeline
from .test_project import write

POLICY = """{
  "rules": [{
    "rulePriority": 1,
    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": ${count}},
    "action": {"type": "expire"}
  }]
}
"""

REPO = 'resource "aws_ecr_repository" "r" {\n  name = "app"\n}\n'


def _documents(model):
    return [obj.document for obj in model.objects if type(obj).__name__ == "LifecyclePolicy"]


def test_templatefile_is_rendered_with_its_variables(tmp_path):
    write(
        tmp_path,
        {
            "policies/lifecycle.json": POLICY,
            "main.tf": REPO
            + 'resource "aws_ecr_lifecycle_policy" "p" {\n  repository = aws_ecr_repository.r.name\n'
            + '  policy = templatefile("${path.module}/policies/lifecycle.json", { count = 0 })\n}\n',
        },
    )
    findings, _, model = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [document] = _documents(model)
    assert document.is_known
    [rule] = document.get("rules").data
    assert rule.get("selection").get("countNumber").data == 0
    # countNumber 0 is rejected by ECR: the rendered policy is what is checked.
    [invalid] = [f for f in findings if f.rule_id == "ECR401"]
    assert (invalid.span.path, invalid.span.start_line) == ("policies/lifecycle.json", 4)  # at the value itself


def test_template_file_data_source_is_rendered(tmp_path):
    write(
        tmp_path,
        {
            "policies/lifecycle.json": POLICY,
            "main.tf": REPO
            + 'data "template_file" "lifecycle" {\n  template = file("${path.module}/policies/lifecycle.json")\n'
            + "  vars = {\n    count = 30\n  }\n}\n"
            + 'resource "aws_ecr_lifecycle_policy" "p" {\n  repository = aws_ecr_repository.r.name\n'
            + "  policy = data.template_file.lifecycle.rendered\n}\n",
        },
    )
    _, _, model = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [document] = _documents(model)
    [rule] = document.get("rules").data
    assert rule.get("selection").get("countNumber").data == 30


def test_a_template_variable_that_is_not_known_leaves_the_policy_undecided(tmp_path):
    write(
        tmp_path,
        {
            "policies/lifecycle.json": POLICY,
            "main.tf": 'variable "keep" {}\n'
            + REPO
            + 'resource "aws_ecr_lifecycle_policy" "p" {\n  repository = aws_ecr_repository.r.name\n'
            + '  policy = templatefile("${path.module}/policies/lifecycle.json", { count = var.keep })\n}\n',
        },
    )
    _, _, model = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [document] = _documents(model)
    assert not document.is_known and "var.keep" in document.unknown_reason()
