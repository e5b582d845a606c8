"""Rule documentation pages, generated from the rule folders so they cannot drift."""

from __future__ import annotations

import os

from .catalog import Rule

_LANG = {".tf": "hcl", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MAX_EXAMPLE_BYTES = 5000


def _examples(rule: Rule, prefix: str) -> list[tuple[str, str, str]]:
    out = []
    for path in rule.fixtures():
        name = os.path.basename(path)
        if not name.startswith(prefix) or not os.path.isfile(path) or os.path.getsize(path) > MAX_EXAMPLE_BYTES:
            continue
        with open(path, encoding="utf-8") as handle:
            text = handle.read().rstrip()
        lines = [line for line in text.splitlines() if "expect:" not in line]
        out.append((name, _LANG.get(os.path.splitext(name)[1], ""), "\n".join(lines)))
    return out[:3]


def _selection(rule: Rule) -> list[str]:
    """Whether the rule runs by default, and why; and why its severity, where the rule says."""
    if rule.default:
        lines = [f"On by default. {rule.default_reason}".rstrip()]
    else:
        lines = [f"Opt-in: enable with `--extend-select {rule.id}`. {rule.default_reason}".rstrip()]
    if rule.severity_reason:
        lines += ["", f"Why {rule.severity}: {rule.severity_reason}"]
    return [*lines, ""]


def rule_page(rule: Rule) -> str:
    parts = [
        f"# {rule.id} {rule.name}",
        "",
        f"**{rule.title}**",
        "",
        f"Severity: {rule.severity} · Category: {rule.category} · Inputs: {', '.join(rule.inputs)} · Since: {rule.since}",
        "",
        *_selection(rule),
        "## Why is this a problem?",
        "",
        rule.rationale,
        "",
        "## How to fix it",
        "",
    ]
    for fmt, text in rule.remediation.items():
        parts += [text if fmt == "all" else f"**{fmt}**: {text}", ""]
    for title, prefix in (("Flagged", "bad_"), ("Accepted", "good_")):
        examples = _examples(rule, prefix)
        if examples:
            parts += [f"## {title}", ""]
            for name, lang, text in examples:
                parts += [f"`{name}`", "", f"```{lang}", text, "```", ""]
    parts += ["## Suppressing it", "", f"`# ecrlint:ignore {rule.id} -- reason` above the resource.", ""]
    parts += ["## References", "", f"- {rule.help_uri}", ""]
    return "\n".join(parts)


def index_page(rules: list[Rule]) -> str:
    rows = ["# ecrlint rules", "", "| id | name | severity | default | title |", "|---|---|---|---|---|"]
    rows += [
        f"| [{r.id}]({r.id}.md) | `{r.name}` | {r.severity} | {'on' if r.default else 'opt-in'} | {r.title} |"
        for r in rules
    ]
    return "\n".join(rows) + "\n"


def pages(rules: list[Rule]) -> dict[str, str]:
    """File name -> content for the docs/rules folder."""
    out = {f"{rule.id}.md": rule_page(rule) for rule in rules}
    out["README.md"] = index_page(rules)
    return out


def write_pages(rules: list[Rule], directory: str) -> list[str]:
    os.makedirs(directory, exist_ok=True)
    written = []
    for name, text in sorted(pages(rules).items()):
        path = os.path.join(directory, name)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    return written
