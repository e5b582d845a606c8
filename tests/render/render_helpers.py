"""Hand-built findings, rules and contexts for the renderer tests (no pipeline involved)."""

from __future__ import annotations

import os

from ecrlint.catalog import Rule
from ecrlint.findings import Finding, Suppression
from ecrlint.render import RenderContext
from ecrlint.source import Span

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_DIR = os.path.join(REPO_ROOT, "ecrlint", "schemas")
SARIF_SCHEMA = os.path.join(os.path.dirname(REPO_ROOT), "shared", "schemas", "sarif-schema-2.1.0.json")

TF_SOURCE = (
    'resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "MUTABLE"\n}\n'
)


def make_rule(rule_id: str = "ECR101", name: str = "mutable-image-tags", severity: str = "high", **overrides) -> Rule:
    fields = {
        "id": rule_id,
        "name": name,
        "title": "Repository allows image tags to be overwritten",
        "severity": severity,
        "category": "supply-chain",
        "inputs": ("terraform", "cloudformation"),
        "rationale": "With mutable tags, anyone allowed to push can replace the image behind a tag.",
        "remediation": {"terraform": 'Set image_tag_mutability = "IMMUTABLE".', "cloudformation": "Set IMMUTABLE."},
        "help_uri": "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        "since": "0.1.0",
        "folder": "",
    }
    fields.update(overrides)
    return Rule(**fields)


RULES = [
    make_rule(),
    make_rule(
        "ECR104",
        "no-customer-managed-key",
        "medium",
        title="Repository is not encrypted with a CMK",
        category="data-protection",
        remediation={"all": "Use a customer managed KMS key."},
        tags=("kms",),
    ),
    make_rule(
        "ECR201", "public-repository-policy", "critical", title="Repository policy allows everyone", category="access"
    ),
    make_rule("ECR107", "no-lifecycle-policy", "low", title="Repository has no lifecycle policy", category="lifecycle"),
    make_rule(
        "ECR701",
        "detective-control-only",
        "info",
        title="Only detective controls check ECR settings",
        category="governance",
    ),
    make_rule(
        "ECR900",
        "unparsable-input",
        "high",
        title="Input file cannot be parsed",
        category="ecrlint",
        remediation={"all": "Fix the syntax error."},
    ),
    make_rule("ECR102", "scan-on-push-disabled", "medium", title="Scan on push is disabled"),
]


def finding(
    rule_id: str = "ECR101",
    path: str = "infra/ecr.tf",
    line: int = 3,
    col: int = 26,
    end_line=None,
    end_col: int = 35,
    severity=None,
    message=None,
    **extra,
) -> Finding:
    rule = next(r for r in RULES if r.id == rule_id)
    return Finding(
        rule_id=rule_id,
        rule_name=rule.name,
        severity=severity or rule.severity,
        message=message if message is not None else f"{rule.name} at {path}:{line}",
        span=Span(path, line, col, line if end_line is None else end_line, end_col),
        **extra,
    )


def sample_findings() -> list[Finding]:
    """A mix of everything renderers have to handle."""
    return [
        finding(
            address="aws_ecr_repository.app",
            pointer="image_tag_mutability",
            message="aws_ecr_repository.app allows image tags to be overwritten (MUTABLE)",
        ),
        finding(
            "ECR104",
            line=1,
            col=1,
            end_line=4,
            end_col=2,
            address="aws_ecr_repository.app",
            message="aws_ecr_repository.app is encrypted with AES256",
        ),
        finding(
            "ECR201",
            path="policies/repo.policy.json",
            line=4,
            col=20,
            end_col=23,
            message='Statement[0] allows "*": everyone, with no condition',
            pointer="Statement[0]",
            details={"statement": 0, "actions": ("ecr:BatchGetImage",), "principals": frozenset({"*", "b"})},
        ),
        finding(
            "ECR900",
            path="broken, dir/bad:file.json",
            line=2,
            col=5,
            end_col=5,
            message="unexpected character '}'\nexpected a value",
        ),
        finding(
            "ECR107",
            path="cdk.out/App.template.json",
            line=10,
            col=7,
            end_col=40,
            address="Repo1234",
            construct_path="App/Repo/Resource",
            message="Repo1234 has no lifecycle policy",
        ),
        finding("ECR701", path="infra/config.tf", line=1, col=1, end_col=10, message="detective only"),
        finding(
            "ECR101",
            path="infra/legacy.tf",
            line=5,
            col=3,
            end_col=30,
            address="aws_ecr_repository.old",
            suppressions=(Suppression("inline", "tags are promoted, never overwritten"),),
        ),
        finding(
            "ECR102",
            path="infra/legacy.tf",
            line=1,
            col=1,
            end_col=4,
            address="aws_ecr_repository.old",
            suppressions=(Suppression("baseline", ""), Suppression("config", "legacy/** ignored")),
        ),
    ]


def make_context(**overrides) -> RenderContext:
    fields = {"version": "0.1.0", "rules": list(RULES), "files_scanned": 5}
    fields.update(overrides)
    return RenderContext(**fields)


def lines_reader(files: dict[str, str]):
    def read_lines(path: str):
        text = files.get(path)
        return None if text is None else text.splitlines(keepends=True)

    return read_lines
