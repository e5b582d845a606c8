"""ECR901 unused-suppression: what the suppression stage says of a suppression that does nothing.

ECR901 has no check: the suppression stage (`ecrlint/suppress.py`, `engine: suppressions` in
rule.yaml) finds these, since only it knows which directives matched a finding. The wording is
the rule's own and lives here; the stage loads this file by path, as a check is loaded.
"""

from __future__ import annotations

KINDS = {"inline": "inline suppression", "metadata": "metadata suppression", "config": "config ignore"}


def no_rule_named() -> str:
    return "suppression names no rule: add the rule id"


def misplaced_ignore_file() -> str:
    return "ignore-file has no effect below the top of the file"


def unused(kind: str, rule_id: str, name: str) -> str:
    """A directive of `kind` that names `rule_id` (written as `name`) and matches no finding."""
    written = f" ({name})" if name != rule_id else ""
    return f"unused {KINDS.get(kind, 'suppression')} of {rule_id}{written}: it matches no finding"


def stale_baseline_entry(entry: dict) -> str:
    return (
        f"stale baseline entry: {entry['rule']} on {entry.get('address') or 'the file'} in {entry['path']}"
        " no longer occurs"
    )
