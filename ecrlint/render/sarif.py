"""SARIF 2.1.0 output, shaped for GitHub code scanning.

- One run. `tool.driver.rules` describes every rule that ran (plus any other rule with a
  result), sorted by id, so code scanning can tell "fixed" from "not checked"; `ruleIndex`
  points into it. A severity set in the configuration is the rule's `defaultConfiguration`
  and `security-severity`. ECR900 (unparsable input) and the other ECR9xx rules are
  ordinary results of the same run. `automationDetails.id` names the category (`ecrlint/`).
- Locations are URIs relative to the project root (the configuration file's folder, else the
  top of the git work tree, else the first path analysed) with `uriBaseId: %SRCROOT%`,
  declared in `originalUriBaseIds`. Columns count Unicode code points (`columnKind`),
  `endColumn` is the column after the last character.
- `logicalLocations`: the resource address as kind `resource`; a CDK construct path as
  kind `object` (a construct is an object in the app's construct tree; `module` would read
  as a Terraform module, which addresses already name).
- Suppressed findings are left out unless `show_suppressed` (GitHub does not honour SARIF
  suppressions and would open alerts for them). When included they carry
  `suppressions` (`inSource` for inline comments and resource metadata, `external` for
  config and baseline); every other result carries `suppressions: []`, as SARIF requires
  the property on all results of a run or on none.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from ..catalog import SEVERITY_SCORES, Rule
from ..findings import Finding
from . import RenderContext, jsonable, ordered, split_suppressed

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/ecrlint/ecrlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "ecrlint/v1"
PRECISION = "high"
MAX_DESCRIPTION = 1024  # GitHub's limit for shortDescription / fullDescription
MAX_NAME = 255
MAX_TAGS = 20

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SUPPRESSION_KINDS = {"inline": "inSource", "metadata": "inSource", "config": "external", "baseline": "external"}
FORMAT_LABELS = {
    "terraform": "Terraform",
    "terraform-json": "Terraform JSON",
    "tfplan": "Terraform plan",
    "cloudformation": "CloudFormation",
    "cdk": "CDK",
    "json": "JSON policy",
    "buildspec": "buildspec",
    "dockerfile": "Dockerfile",
    "any": "Any input",
}


def level(severity: str) -> str:
    return LEVELS.get(severity, "warning")


def render(findings: list[Finding], ctx: RenderContext) -> str:
    return "".join(render_chunks(findings, ctx))


def render_chunks(findings: list[Finding], ctx: RenderContext) -> Iterator[str]:
    """The output in pieces, so a large report is written without holding its whole text."""
    yield from json.JSONEncoder(indent=2, sort_keys=True).iterencode(build(findings, ctx))
    yield "\n"


def build(findings: list[Finding], ctx: RenderContext) -> dict[str, Any]:
    kept, suppressed = split_suppressed(findings)
    results_for = ordered(kept + suppressed) if ctx.show_suppressed else kept
    rule_ids = sorted(set(ctx.selected) | {f.rule_id for f in results_for})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    by_id = {f.rule_id: f for f in reversed(results_for)}  # first finding of each rule, for fallbacks
    driver = {
        "name": "ecrlint",
        "version": ctx.version,
        "semanticVersion": ctx.version,
        "informationUri": INFORMATION_URI,
        "rules": [_descriptor(ctx, rule_id, by_id.get(rule_id)) for rule_id in rule_ids],
    }
    to_uri = _uri_maker(ctx)
    run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": ctx.automation_id},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {SRCROOT: {"description": {"text": ROOT_DESCRIPTION}}},
        "results": [_result(f, index[f.rule_id], to_uri) for f in results_for],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


ROOT_DESCRIPTION = (
    "The project root: the folder of the configuration file, else the top of the git work tree, "
    "else the first path analysed. Result paths are relative to it."
)


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _descriptor(ctx: RenderContext, rule_id: str, sample: Finding | None) -> dict[str, Any]:
    rule = ctx.rule(rule_id)
    if rule is None:  # not in the catalogue (should not happen): describe it from the finding
        text = f"{sample.rule_id} {sample.rule_name}"
        severity = sample.severity
        return {
            "id": sample.rule_id,
            "name": _clip(sample.rule_name, MAX_NAME),
            "shortDescription": {"text": text},
            "fullDescription": {"text": text},
            "help": {"text": f"Run `ecrlint explain {sample.rule_id}` for details."},
            "defaultConfiguration": {"level": level(severity)},
            "properties": {
                "precision": PRECISION,
                "security-severity": SEVERITY_SCORES.get(severity, "0.0"),
                "tags": ["security"],
            },
        }
    severity = ctx.severity_of(rule)
    tags: list[str] = []
    for tag in ("security", rule.category, *rule.tags):
        if tag and tag not in tags:
            tags.append(tag)
    return {
        "id": rule.id,
        "name": _clip(rule.name, MAX_NAME),
        "shortDescription": {"text": _clip(rule.title, MAX_DESCRIPTION)},
        "fullDescription": {"text": _clip(rule.rationale, MAX_DESCRIPTION)},
        "help": {"text": rule.remediation_text(), "markdown": _help_markdown(rule)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            "precision": PRECISION,
            "security-severity": SEVERITY_SCORES.get(severity, rule.security_severity),
            "tags": tags[:MAX_TAGS],
        },
    }


def _help_markdown(rule: Rule) -> str:
    if set(rule.remediation) == {"all"}:
        parts = [rule.remediation["all"].strip()]
    else:
        parts = [f"**{FORMAT_LABELS.get(fmt, fmt)}:** {text.strip()}" for fmt, text in rule.remediation.items()]
    if rule.help_uri:
        parts.append(f"Reference: <{rule.help_uri}>")
    return "\n\n".join(parts)


_WINDOWS_ABS = re.compile(r"^[A-Za-z]:/")


def _artifact_location(path: str) -> dict[str, str]:
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    if _WINDOWS_ABS.match(path):
        return {"uri": "file:///" + path[:2] + quote(path[2:], safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _uri_maker(ctx: RenderContext) -> Callable[[str], dict[str, str]]:
    """Finding paths are relative to the working directory; SARIF's are relative to the project root."""
    if ctx.project_root is None or ctx.cwd is None:
        return _artifact_location
    root = ctx.project_root.replace(os.sep, "/")
    cwd = ctx.cwd.replace(os.sep, "/")

    def location(path: str) -> dict[str, str]:
        if path.startswith("/") or _WINDOWS_ABS.match(path):
            return _artifact_location(path)
        absolute = posixpath.normpath(posixpath.join(cwd, path))
        rebased = posixpath.relpath(absolute, root)
        if rebased == ".." or rebased.startswith("../"):  # outside the project: an absolute URI
            return _artifact_location(absolute)
        return _artifact_location(rebased)

    return location


def _result(finding: Finding, rule_index: int, to_uri: Callable[[str], dict[str, str]]) -> dict[str, Any]:
    span = finding.span
    region = {
        "startLine": span.start_line,
        "startColumn": span.start_col,
        "endLine": span.end_line,
        "endColumn": span.end_col,
    }
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": to_uri(span.path), "region": region}}
    logical = []
    if finding.address:
        logical.append({"fullyQualifiedName": finding.address, "kind": "resource"})
    if finding.construct_path:
        logical.append({"fullyQualifiedName": finding.construct_path, "kind": "object"})
    if logical:
        location["logicalLocations"] = logical
    properties: dict[str, Any] = {"severity": finding.severity}
    if finding.pointer:
        properties["pointer"] = finding.pointer
    if finding.details is not None:
        properties["details"] = jsonable(finding.details)
    if finding.callers:
        properties["calledFrom"] = list(finding.callers)  # the root configurations that call the module
    if finding.instances:
        properties["instances"] = list(finding.instances)  # one result for every instance and caller of the line
        location["logicalLocations"] = [
            *logical,
            *({"fullyQualifiedName": a, "kind": "resource"} for a in finding.instances),
        ]
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": finding.message or finding.rule_name},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "suppressions": [_suppression(s.kind, s.justification) for s in finding.suppressions],
        "properties": properties,
    }


def _suppression(kind: str, justification: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": SUPPRESSION_KINDS.get(kind, "external"),
        "status": "accepted",
        "properties": {"ecrlintKind": kind},
    }
    if justification.strip():
        entry["justification"] = justification.strip()
    return entry
