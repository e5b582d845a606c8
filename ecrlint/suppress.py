"""Suppressions: inline comments, resource metadata, config per-path ignores, baselines.

Every suppression names rule ids (or names). A suppressed finding is kept, marked with why, so
JSON and SARIF can list it; one that suppresses nothing is itself a finding (ECR901), and one
that names a rule that does not exist is ECR902.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace

from .catalog import Rule
from .discover import excluded
from .findings import Finding, Suppression
from .source import SourceFile, Span
from .suppress_foreign import CFN_NAG, TABLES, equivalents, extent, read_comments
from .suppress_foreign import CHECKOV as CHECKOV_EQUIVALENTS

# Words whose presence in a file means it may hold suppressions: files without any are skipped fast.
_MARKERS = ("ecrlint", "checkov:skip", "tfsec:", "trivy:", "kics-scan")

_DIRECTIVE = re.compile(
    r"(?:#|//)\s*ecrlint\s*:\s*(?P<kind>ignore-file|ignore)\b(?P<ids>[^\n]*?)(?:\s--\s*(?P<reason>[^\n]*))?\s*$"
)
_CHECKOV = re.compile(r"(?:#|//)\s*checkov:skip=(?P<id>[A-Z0-9_]+)(?::(?P<reason>[^\n]*))?")
_ID_SPLIT = re.compile(r"[\s,]+")


@dataclass
class Directive:
    kind: str  # inline | metadata | config | baseline
    span: Span  # where the suppression is written
    names: tuple[str, ...]  # as written
    reason: str = ""
    file_wide: bool = False
    lines: tuple[int, int] | None = None  # inclusive line range in span.path it covers
    address: str | None = None  # covers findings on this resource (metadata)
    path_glob: str | None = None  # config per-path-ignores
    config_dir: str = ""
    origin: str = "ecrlint"  # ecrlint | cdk-nag, or another tool's: checkov | tfsec | trivy | kics | cfn-nag
    misplaced: bool = False  # an ignore-file below the top of the file
    expires: str = ""  # yyyy-mm-dd (tfsec/Trivy `:exp:`): off after that day
    module: str | None = None  # tfsec/Trivy comment on a module call: also covers that module's resources
    inactive: str = ""  # why this suppression silences nothing here
    used: set[str] = field(default_factory=set)

    @property
    def foreign(self) -> bool:
        """Written for another tool: honoured where it maps, never reported when it matches nothing."""
        return self.origin in TABLES

    def covers(self, finding: Finding, cwd: str) -> bool:
        if self.misplaced or self.inactive:
            return False
        if self.path_glob is not None:
            rel = os.path.relpath(os.path.join(cwd, finding.span.path), self.config_dir).replace(os.sep, "/")
            return excluded(rel, (self.path_glob,))
        if self.module and (finding.address or "").startswith((f"module.{self.module}.", f"module.{self.module}[")):
            return True
        if self.address is not None:
            return finding.address == self.address or (
                finding.address is not None and finding.address.startswith(self.address + ".")
            )
        if finding.span.path != self.span.path:
            return False
        if self.file_wide:
            return True
        start, end = self.lines
        return start <= finding.span.start_line <= end


# -- reading directives from source text -------------------------------------------------------


def _yaml_resource_ranges(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges (1-based, inclusive) of each entry under a top-level `Resources:` key."""
    ranges: list[tuple[int, int]] = []
    in_resources = False
    child_indent = None
    current = None
    last = 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent == 0:
            if current:
                ranges.append((current, last))
                current = None
            in_resources = stripped.startswith("Resources:")
            child_indent = None
            last = number
            continue
        if in_resources:
            if child_indent is None:
                child_indent = indent
            if indent == child_indent:
                if current:
                    ranges.append((current, last))
                current = number
        last = number
    if current:
        ranges.append((current, last))
    return ranges


def _block_ranges(source: SourceFile, text: str) -> list[tuple[int, int]]:
    if source.kind in ("terraform", "tfvars"):
        from .parse.hcl_blocks import scan_blocks

        return [(b.start_line, b.end_line) for b in scan_blocks(text)]
    return _yaml_resource_ranges(text.splitlines())


def _scope(number: int, lines: list[str], ranges: list[tuple[int, int]]) -> tuple[int, int]:
    """The block a comment on line `number` belongs to: the one it is in, or the next one."""
    for start, end in ranges:
        if start <= number <= end:
            return start, end
    following = number + 1
    while following <= len(lines) and (not lines[following - 1].strip() or lines[following - 1].lstrip()[:1] in "#/"):
        following += 1
    for start, end in ranges:
        if start == following:
            return start, end
    return following, following


def _below(number: int, lines: list[str]) -> int:
    """The first line under a comment (or a stack of comments) that is not itself a comment."""
    following = number + 1
    while following <= len(lines) and lines[following - 1].lstrip()[:1] in ("#", "/") and lines[following - 1].strip():
        following += 1
    return following


def _foreign_directives(source: SourceFile, lines: list[str]) -> list[Directive]:
    """tfsec, Trivy and KICS comments, covering what those tools would cover."""
    found = []
    yaml = source.kind == "yaml"
    for number, comment in read_comments(lines):
        span = Span(source.path, number, comment.column, number, len(lines[number - 1]) + 1)
        common = {"origin": comment.origin, "reason": comment.text}
        common.update(expires=comment.expires, inactive=comment.inactive)
        if comment.target == "file":
            found.append(Directive("inline", span, comment.names, file_wide=True, **common))
            continue
        if comment.target == "next-line":  # KICS ignore-line: exactly the line below the comment
            covered = (number + 1, number + 1)
        else:
            covered = extent(lines, number if comment.target == "same-line" else _below(number, lines), yaml)
        tfsec_like = comment.origin in ("tfsec", "trivy") and covered[0] <= len(lines)
        call = _MODULE_CALL.match(lines[covered[0] - 1]) if tfsec_like else None
        if call:
            common["module"] = call.group(1)
        found.append(Directive("inline", span, comment.names, lines=covered, **common))
    return found


_MODULE_CALL = re.compile(r'\s*module\s+"([^"]+)"\s*\{')


def read_inline_directives(source: SourceFile, text: str) -> list[Directive]:
    if not any(marker in text for marker in _MARKERS):
        return []
    lines = text.splitlines()
    ranges = None
    found: list[Directive] = []
    header = True  # still in the leading comment block, where ignore-file belongs
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        is_comment = stripped.startswith(("#", "//"))
        m = _DIRECTIVE.search(line) if "ecrlint" in line else None
        c = _CHECKOV.search(line) if m is None and "checkov:skip" in line else None
        if m or c:
            ranges = ranges if ranges is not None else _block_ranges(source, text)
            col = (m or c).start() + 1
            span = Span(source.path, number, col, number, len(line) + 1)
            if m:
                names = tuple(n for n in _ID_SPLIT.split(m.group("ids").strip()) if n)
                reason = (m.group("reason") or "").strip()
                if m.group("kind") == "ignore-file":
                    # Only the leading comment block may hold file-wide ignores; elsewhere they do nothing.
                    found.append(Directive("inline", span, names, reason, file_wide=header, misplaced=not header))
                    continue
                found.append(Directive("inline", span, names, reason, lines=_scope(number, lines, ranges)))
            else:
                checkov_id = c.group("id")
                found.append(
                    Directive(
                        "inline",
                        span,
                        (checkov_id,),
                        (c.group("reason") or "").strip(),
                        lines=_scope(number, lines, ranges),
                        origin="checkov",
                    )
                )
        if stripped and not is_comment:
            header = False
    if "tfsec:" in text or "trivy:" in text or "kics-scan" in text:
        found.extend(_foreign_directives(source, lines))
    return found


def _tfjson_directives(source: SourceFile, text: str) -> list[Directive]:
    from .parse.json import JsonError, parse_json_value

    if "ecrlint" not in text:
        return []
    try:
        root = parse_json_value(text, source.path)
    except JsonError:
        return []
    comment = root.get("//") if root.is_map else None
    found = []
    for item in comment.elements() if comment is not None else []:
        if isinstance(item.data, str):
            m = _DIRECTIVE.search("# " + item.data.strip())
            if m and m.group("kind") == "ignore-file":
                names = tuple(n for n in _ID_SPLIT.split(m.group("ids").strip()) if n)
                found.append(Directive("inline", item.span, names, (m.group("reason") or "").strip(), file_wide=True))
    return found


def _metadata_entries(metadata) -> list[tuple[str, str, str]]:
    """(id, reason, origin) entries from a resource's or template's Metadata (plain data)."""
    entries = []
    if not isinstance(metadata, dict):
        return entries
    own = metadata.get("ecrlint")
    if isinstance(own, dict):
        for item in own.get("ignore", []) or []:
            if isinstance(item, str):
                entries.append((item, "", "ecrlint"))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                entries.append((item["id"], str(item.get("reason", "")), "ecrlint"))
    nag = metadata.get("cdk_nag")
    if isinstance(nag, dict):
        for item in nag.get("rules_to_suppress", []) or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].startswith("ECR"):
                entries.append((item["id"], str(item.get("reason", "")), "cdk-nag"))
    checkov = metadata.get("checkov")
    if isinstance(checkov, dict):
        for item in checkov.get("skip", []) or []:
            if isinstance(item, dict) and item.get("id") in CHECKOV_EQUIVALENTS:
                entries.append((item["id"], str(item.get("comment", "")), "checkov"))
    cfn_nag = metadata.get("cfn_nag")
    if isinstance(cfn_nag, dict):
        for item in cfn_nag.get("rules_to_suppress", []) or []:
            if isinstance(item, dict) and item.get("id") in CFN_NAG:
                entries.append((item["id"], str(item.get("reason", "")), "cfn-nag"))
    return entries


def _plain(metadata):
    to_plain = getattr(metadata, "plain", None)
    return to_plain() if callable(to_plain) else metadata


def object_metadata_directives(model) -> list[Directive]:
    """Suppressions written in resources' metadata (CloudFormation `Metadata`, CDK nag rules)."""
    found = []
    for obj in model.objects:
        metadata = obj.extra.get("metadata")
        if metadata is None:
            continue
        span = getattr(metadata, "span", obj.span)
        for rule_id, reason, origin in _metadata_entries(_plain(metadata)):
            found.append(Directive("metadata", span, (rule_id,), reason, address=obj.address, origin=origin))
    return found


def file_metadata_directives(file_facts: dict[str, dict]) -> list[Directive]:
    """Suppressions written for a whole template (its top-level `Metadata`)."""
    found = []
    for path, facts in sorted(file_facts.items()):
        metadata = facts.get("metadata")
        if metadata is None:
            continue
        span = getattr(metadata, "span", Span(path, 1, 1, 1, 1))
        for rule_id, reason, origin in _metadata_entries(_plain(metadata)):
            found.append(Directive("metadata", span, (rule_id,), reason, file_wide=True, origin=origin))
    return found


def config_directives(per_path: dict[str, list[str]], config_path: str) -> list[Directive]:
    span = Span(config_path, 1, 1, 1, 1)
    directory = os.path.dirname(os.path.abspath(config_path))
    return [
        Directive("config", span, tuple(ids), f"per-path-ignores {glob}", path_glob=glob, config_dir=directory)
        for glob, ids in sorted(per_path.items())
    ]


def collect_directives(files: list[SourceFile], read) -> list[Directive]:
    found: list[Directive] = []
    for source in files:
        if source.kind not in ("terraform", "tfvars", "yaml", "terraform-json"):
            continue
        try:
            text = read(source)
        except (OSError, UnicodeDecodeError):
            continue
        if source.kind == "terraform-json":
            found.extend(_tfjson_directives(source, text))
        else:
            found.extend(read_inline_directives(source, text))
    return found


# -- applying them -----------------------------------------------------------------------------


@dataclass
class SuppressionResult:
    findings: list[Finding]  # all findings, suppressed ones marked
    hygiene: list[Finding]  # ECR901 / ECR902


def _resolve(name: str, directive: Directive, catalog: list[Rule]) -> list[str] | None:
    """The rule ids a suppressed name stands for; None for an unknown name in ecrlint's own syntax."""
    if directive.foreign:
        return equivalents(directive.origin, name)  # [] when the other tool's check has no equivalent
    if name in CHECKOV_EQUIVALENTS:
        return [CHECKOV_EQUIVALENTS[name]]
    for rule in catalog:
        if name.upper() == rule.id or name == rule.name:
            return [rule.id]
    return None


def apply_suppressions(
    findings: list[Finding],
    directives: list[Directive],
    catalog: list[Rule],
    selected: set[str],
    cwd: str,
    today: str | None = None,
) -> SuppressionResult:
    from datetime import date

    today = today or date.today().isoformat()
    hygiene: list[Finding] = []
    resolved: list[tuple[Directive, str, str]] = []  # (directive, name as written, rule id)
    by_id = {r.id: r for r in catalog}
    unused, unknown = _wording("ECR901"), _wording("ECR902")
    for directive in directives:
        if not directive.names and directive.origin == "ecrlint":  # `# ecrlint:ignore` alone silences nothing
            hygiene.append(_hygiene(by_id, "ECR901", directive.span, unused.no_rule_named()))
        if directive.expires and directive.expires < today:
            continue  # an expired tfsec/Trivy ignore is off in those tools too
        for name in directive.names:
            rule_ids = _resolve(name, directive, catalog)
            if rule_ids is None:
                hygiene.append(_hygiene(by_id, "ECR902", directive.span, unknown.unknown_rule(name)))
                continue
            resolved.extend((directive, name, rule_id) for rule_id in rule_ids)
    out: list[Finding] = []
    for finding in findings:
        marks = []
        if finding.rule_id not in ("ECR901", "ECR902"):
            for directive, _name, rule_id in resolved:
                if rule_id == finding.rule_id and directive.covers(finding, cwd):
                    directive.used.add(rule_id)
                    marks.append(Suppression(directive.kind, directive.reason))
        out.append(replace(finding, suppressions=tuple(dict.fromkeys(marks))) if marks else finding)
    for directive, name, rule_id in resolved:
        if directive.foreign:
            continue  # whether it still matches is the other tool's business
        if directive.misplaced:
            hygiene.append(_hygiene(by_id, "ECR901", directive.span, unused.misplaced_ignore_file()))
            continue
        if rule_id in selected and rule_id not in directive.used:
            hygiene.append(_hygiene(by_id, "ECR901", directive.span, unused.unused(directive.kind, rule_id, name)))
    return SuppressionResult(out, hygiene)


def _wording(rule_id: str):
    """The messages of ECR901 or ECR902, from the rule's folder (`messages.py`)."""
    from .rule_loader import shipped_rule_file

    return shipped_rule_file(rule_id, "messages.py")


def _hygiene(by_id: dict[str, Rule], rule_id: str, span: Span, message: str) -> Finding:
    rule = by_id.get(rule_id)
    name = rule.name if rule else {"ECR901": "unused-suppression", "ECR902": "unknown-rule-in-suppression"}[rule_id]
    severity = rule.severity if rule else {"ECR901": "low", "ECR902": "medium"}[rule_id]
    return Finding(rule_id, name, severity, message, span)


# -- baseline ----------------------------------------------------------------------------------


# `module.app["x"].module.repo.` in front of an address: where the module was called from.
_MODULE_PATH = re.compile(r'^(?:module\.[^.\[]+(?:\["(?:[^"\\]|\\.)*"\]|\[\d+\])?\.)+')


def local_address(address: str | None) -> str:
    """The address inside its own module: the same whether the module is scanned alone (pre-commit
    on one file) or from a root that calls it, once or several times."""
    return _MODULE_PATH.sub("", address or "")


def _baseline_key(finding: Finding, base_dir: str, cwd: str) -> tuple[str, str, str, str, str]:
    """What identifies a finding across edits: rule, file (relative to the baseline), resource, attribute.

    Line numbers are left out on purpose; findings with no resource keep their message to stay distinct.
    """
    from .findings import stable_pointer, without_line_numbers

    path = os.path.relpath(os.path.join(cwd, finding.span.path), base_dir).replace(os.sep, "/")
    message = "" if finding.address else without_line_numbers(finding.message)
    return (finding.rule_id, path, local_address(finding.address), stable_pointer(finding), message)


def _instance_keys(finding: Finding, base_dir: str, cwd: str) -> list[tuple[str, str, str, str, str]]:
    """One key per instance a merged finding stands for, so a baseline does not depend on how many
    instances were merged: each instance is recorded, and matched, as itself."""
    if not finding.instances:
        return [_baseline_key(finding, base_dir, cwd)]
    return [_baseline_key(replace(finding, address=a, instances=()), base_dir, cwd) for a in finding.instances]


def write_baseline(path: str, findings: list[Finding], cwd: str | None = None) -> None:
    cwd = cwd or os.getcwd()
    base_dir = os.path.dirname(os.path.abspath(path))
    keys = sorted({k for f in findings if not f.suppressions for k in _instance_keys(f, base_dir, cwd)})
    entries = [
        {"rule": rule, "path": rel, "address": address, "pointer": pointer, **({"message": msg} if msg else {})}
        for rule, rel, address, pointer, msg in keys
    ]
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        json.dump({"version": 1, "tool": "ecrlint", "findings": entries}, handle, indent=2, sort_keys=True)
        handle.write("\n")


def read_baseline(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("findings"), list):
        raise ValueError("not an ecrlint baseline (version 1)")
    entries = [e for e in data["findings"] if isinstance(e, dict) and isinstance(e.get("rule"), str)]
    return [e for e in entries if isinstance(e.get("path"), str)]


def _entry_key(entry: dict) -> tuple[str, str, str, str, str]:
    address = local_address(entry.get("address", ""))  # entries written with the module path still match
    return (entry["rule"], entry["path"], address, entry.get("pointer", ""), entry.get("message", ""))


def apply_baseline(
    findings: list[Finding],
    entries: list[dict],
    baseline_path: str,
    catalog: list[Rule],
    cwd: str | None = None,
    scanned: set[str] | None = None,
    selected: set[str] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """Mark findings present in the baseline; stale entries become ECR901 findings.

    `scanned` holds the absolute paths of the files this run read. An entry for a file outside it
    (pre-commit passes only the changed files) is not stale: that file was not looked at. Nor is
    an entry for a rule that did not run (`selected`: the ids of the rules that did).
    """
    cwd = cwd or os.getcwd()
    base_dir = os.path.dirname(os.path.abspath(os.path.join(cwd, baseline_path)))
    if scanned is not None:  # files of findings count too: a called module may lie outside the scanned paths
        scanned = scanned | {os.path.normpath(os.path.join(cwd, f.span.path)) for f in findings}
    wanted = {_entry_key(e): e for e in entries}
    used = set()
    out = []
    for finding in findings:
        keys = _instance_keys(finding, base_dir, cwd)
        if not finding.suppressions:
            used.update(k for k in keys if k in wanted)
            # A merged finding is known when every instance is: a new instance makes it new again.
            if all(k in wanted for k in keys):
                finding = replace(finding, suppressions=(Suppression("baseline", "in baseline"),))
        out.append(finding)
    by_id = {r.id: r for r in catalog}
    unused = _wording("ECR901")
    stale = [
        _hygiene(by_id, "ECR901", Span(baseline_path, 1, 1, 1, 1), unused.stale_baseline_entry(e))
        for key, e in sorted(wanted.items())
        if key not in used
        and (selected is None or e["rule"] in selected)
        and (scanned is None or os.path.normpath(os.path.join(base_dir, e["path"])) in scanned)
    ]
    return out, stale
