"""Run small configurations through the whole pipeline for the network tests."""

from __future__ import annotations

import os
import textwrap

from ecrlint.options import Options
from ecrlint.rule_api import CheckContext

from ..pipeline import run_pipeline

CTX = CheckContext(Options())


def analyse(tmp_path, files: dict[str, str]):
    """(findings, undecided, model) of `files` (relative path -> text) written under tmp_path/src."""
    root = tmp_path / "src"
    for name, text in files.items():
        path = root / name
        os.makedirs(path.parent, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return run_pipeline(str(root), cwd=str(tmp_path))


def of_rule(findings, rule_id: str):
    return [f for f in findings if f.rule_id == rule_id]


def undecided_of(undecided, rule_id: str):
    return [u for rid, u in undecided if rid == rule_id]


ENDPOINTS = """
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_route_table" "a" { vpc_id = aws_vpc.main.id }
resource "aws_route_table" "b" { vpc_id = aws_vpc.main.id }
resource "aws_vpc_endpoint" "ecr" {
  for_each            = toset(["ecr.api", "ecr.dkr"])
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
"""
