"""Run small configurations through the whole pipeline and keep what one rule says."""

from __future__ import annotations

import os
import textwrap

from ecrlint.options import Options

from ..pipeline import run_pipeline


def write(root, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(text).lstrip("\n"))
    return str(root)


def run(root, files: dict[str, str], rule: str, options: Options | None = None):
    """(findings, undecided) of `rule` for `files` written under `root`."""
    write(root, files)
    findings, undecided, _ = run_pipeline(str(root), cwd=str(root), options=options)
    mine = [f for f in findings if f.rule_id == rule]
    unsure = [u for rule_id, u in undecided if rule_id == rule]
    return mine, unsure


def messages(findings) -> list[str]:
    return [f.message for f in findings]


def lines(findings) -> list[int]:
    return sorted(f.span.start_line for f in findings)


PROVIDER = """
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
"""


EXECUTION_ROLE = """
resource "aws_iam_role" "exec" {
  name               = "exec"
  assume_role_policy = "{}"
}
"""


def task(image: str, extra: str = "") -> str:
    return f"""
resource "aws_ecs_task_definition" "t" {{
  family                   = "t"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.exec.arn
  {extra}
  container_definitions = jsonencode([{{ name = "app", image = "{image}" }}])
}}
"""
