"""Suppressions written for other scanners, honoured for the ecrlint rule that checks the same thing.

Teams that ran tfsec, Trivy, KICS, Checkov or cfn_nag have already accepted some risks in their own
syntax. Each table below maps one tool's check ids to ecrlint rules; only ids checked against the
tool's own sources are listed. Such a suppression belongs to the other tool: when it matches
nothing it is not reported (no ECR901), and ids without an ecrlint equivalent are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Checkov checks (`#checkov:skip=ID`, CloudFormation `Metadata.checkov.skip`).
CHECKOV = {
    "CKV_AWS_51": "ECR101",  # Ensure ECR Image Tags are immutable
    "CKV_AWS_163": "ECR102",  # Ensure ECR image scanning on push is enabled
    "CKV_AWS_136": "ECR104",  # Ensure that ECR repositories are encrypted using KMS
    "CKV_AWS_32": "ECR201",  # Ensure ECR policy is not set to public
}

# tfsec and Trivy read the same comments, with either prefix, and accept the AVD id, the newer
# AWS-00nn id and the long id (trivy-checks `checks/cloud/aws/ecr/*.rego`). Compared lower case.
TRIVY = {
    "avd-aws-0030": "ECR102",
    "aws-0030": "ECR102",
    "aws-ecr-enable-image-scans": "ECR102",
    "avd-aws-0031": "ECR101",
    "aws-0031": "ECR101",
    "aws-ecr-enforce-immutable-repository": "ECR101",
    "avd-aws-0032": "ECR201",
    "aws-0032": "ECR201",
    "aws-ecr-no-public-access": "ECR201",
    "avd-aws-0033": "ECR104",
    "aws-0033": "ECR104",
    "aws-ecr-repository-customer-key": "ECR104",
}

# KICS query ids (`assets/queries/{terraform,cloudFormation}/aws/*/metadata.json`, docs.kics.io).
KICS = {
    "d1846b12-20c5-4d45-8798-fc35b79268eb": "ECR101",  # ECR Image Tag Not Immutable (Terraform)
    "33f41d31-86b1-46a4-81f7-9c9a671f59ac": "ECR101",  # ECR Image Tag Not Immutable (CloudFormation)
    "9630336b-3fed-4096-8173-b9afdfe346a7": "ECR102",  # Unscanned ECR Image (Terraform)
    "9025b2b3-e554-4842-ba87-db7aeec36d35": "ECR102",  # Unscanned ECR Image (CloudFormation)
    "0e32d561-4b5a-4664-a6e3-a3fa85649157": "ECR104",  # ECR Repository Not Encrypted [with a CMK] (Terraform)
    "77a92b0e-b578-4a2e-bb0d-3c53ec4cfb7e": "ECR104",  # ECR Repository Not Encrypted With CMK (CloudFormation)
    "e86e26fc-489e-44f0-9bcd-97305e4ba69a": "ECR201",  # ECR Repository Is Publicly Accessible (Terraform)
    "75be209d-1948-41f6-a8c8-e22dd0121134": "ECR201",  # ECR Repository Is Publicly Accessible (CloudFormation)
}

# cfn_nag rule ids (`lib/cfn-nag/custom_rules/*.rb`) in resource `Metadata.cfn_nag.rules_to_suppress`.
CFN_NAG = {
    "W79": "ECR102",  # ECRRepositoryScanOnPushRule: ECR Repository should have scanOnPush enabled
}

TABLES = {"checkov": CHECKOV, "tfsec": TRIVY, "trivy": TRIVY, "kics": KICS, "cfn-nag": CFN_NAG}
ALL = "*"  # a blanket suppression: every rule the tool has an equivalent for


def equivalents(origin: str, name: str) -> list[str]:
    """The ecrlint rules a foreign suppression of `name` stands for (none: not ours to judge)."""
    table = TABLES.get(origin, {})
    if name == ALL:
        return sorted(set(table.values()))
    key = name if origin in ("checkov", "cfn-nag") else name.lower()
    return [table[key]] if key in table else []


@dataclass(frozen=True)
class ForeignComment:
    origin: str  # tfsec | trivy | kics
    names: tuple[str, ...]  # the tool's ids as written, or ("*",) for a blanket form
    column: int  # 1-based column of the comment
    target: str  # "same-line" (after code), "next" (the line or block below), "next-line", "file"
    text: str = ""  # the comment's command as written, kept as the suppression's justification
    expires: str = ""  # yyyy-mm-dd from `:exp:`; past it, the suppression is off
    inactive: str = ""  # why it suppresses nothing in ecrlint, though the other tool may honour it


_TRIVY_PART = re.compile(r"(?P<tool>tfsec|trivy):(?P<rest>\S+)")
_KICS = re.compile(r"(?:#|//)\s*kics-scan\s+(?P<command>\S+)\s*$", re.I)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _trivy_sections(rest: str) -> dict[str, str] | None:
    """`ignore:ID[:exp:DATE][:ws:NAME]` as Trivy splits it: key:value pairs separated by colons."""
    segments = rest.split(":")
    sections = {segments[i]: segments[i + 1] for i in range(0, len(segments) - 1, 2)}
    return sections if sections.get("ignore") else None


def _trivy_comments(line: str, comment_at: int, code_before: bool) -> list[ForeignComment]:
    found = []
    for part in _TRIVY_PART.finditer(line, comment_at):
        sections = _trivy_sections(part.group("rest"))
        if sections is None:
            continue
        name = sections["ignore"]
        inactive = ""
        if "[" in name:
            # Trivy narrows these to instances whose attributes match; ecrlint does not guess which.
            name, inactive = name.split("[", 1)[0], "attribute conditions are not evaluated"
        workspace = sections.get("ws")
        if workspace is not None and workspace not in ("default", "*"):
            inactive = f"applies to workspace {workspace} only; ecrlint reads the default workspace"
        expires = sections.get("exp", "")
        if "exp" in sections and not _DATE.match(expires):
            expires = "0000-00-00"  # Trivy treats an unreadable date as expired
        found.append(
            ForeignComment(
                part.group("tool"),
                (name,),
                comment_at + 1,
                "same-line" if code_before else "next",
                part.group(0),
                expires,
                inactive,
            )
        )
    return found


def _comment_start(line: str) -> int | None:
    """Where a `#` or `//` comment starts, outside double-quoted strings; None without one."""
    in_string = False
    escaped = False
    for index, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "#" or line.startswith("//", index):
            return index
    return None


def read_comments(lines: list[str]) -> list[tuple[int, ForeignComment]]:
    """(line number, comment) for every tfsec, Trivy and KICS suppression in a file's lines."""
    found: list[tuple[int, ForeignComment]] = []
    header = True  # KICS file-wide commands belong to the leading comment block
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        start = _comment_start(line) if ("tfsec:" in line or "trivy:" in line or "kics-scan" in line) else None
        if start is not None:
            code_before = bool(line[:start].strip())
            for comment in _trivy_comments(line, start, code_before):
                found.append((number, comment))
            kics = _KICS.match(line, start) if not code_before else None
            if kics:
                comment = _kics_comment(kics.group("command").lower(), start + 1, header)
                if comment is not None:
                    found.append((number, comment))
        if stripped and not stripped.startswith(("#", "//", "---")):
            header = False
    return found


def _kics_comment(command: str, column: int, header: bool) -> ForeignComment | None:
    text = f"kics-scan {command}"
    if command == "ignore-line":
        return ForeignComment("kics", (ALL,), column, "next-line", text)
    if command == "ignore-block":
        return ForeignComment("kics", (ALL,), column, "next", text)
    if command == "ignore" and header:
        return ForeignComment("kics", (ALL,), column, "file", text)
    if command.startswith("disable=") and header:
        ids = tuple(i for i in command[len("disable=") :].split(",") if i)
        return ForeignComment("kics", ids, column, "file", text) if ids else None
    return None  # `enable=` and commands below the leading comments: nothing ecrlint can honour


def extent(lines: list[str], start: int, yaml: bool) -> tuple[int, int]:
    """Lines (1-based, inclusive) of what starts on line `start`: a block with everything in it.

    HCL: up to the bracket that closes the ones opened on that line. YAML: the line and the lines
    indented deeper below it.
    """
    if start > len(lines):
        return start, start
    if yaml:
        indent = len(lines[start - 1]) - len(lines[start - 1].lstrip())
        end = start
        for number in range(start + 1, len(lines) + 1):
            text = lines[number - 1]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            if len(text) - len(text.lstrip()) <= indent:
                break
            end = number
        return start, end
    depth = 0
    for number in range(start, len(lines) + 1):
        depth += _bracket_balance(lines[number - 1])
        if depth <= 0:
            return start, number
    return start, len(lines)


def _bracket_balance(line: str) -> int:
    start = _comment_start(line)
    code = line if start is None else line[:start]
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', code)
    return sum(code.count(c) for c in "{[(") - sum(code.count(c) for c in "}])")
