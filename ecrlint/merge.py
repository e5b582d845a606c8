"""One finding per fact: findings that several instances of the same code produce become one.

A `for_each`/`count` resource, or a module called from several places, is one source line that
deploys several objects. When a rule reports the same thing about each of them, the reader needs
it once, at that line, with the instances listed. Two findings are the same when they have the
same rule, location, severity and attribute, and the same message once each one's own names (its
address and display name) are set aside. Findings that differ between instances stay separate.

A rule may also name the fact itself (`details["fact"]`, e.g. "this registry has no scanning
configuration"): findings with the same rule and fact become one, wherever they are, placed at the
first of them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .findings import Finding, source_address

SHOWN_INSTANCES = 5  # listed in the message; the JSON and SARIF fields list them all
_PLACEHOLDER = "\x00"


def _names(finding: Finding, names_at: dict[str, set[str]]) -> list[str]:
    """The instance-specific names a message may contain, longest first (so one does not hide another)."""
    if not finding.address:
        return []
    found = {finding.address} | names_at.get(finding.address, set())
    return sorted((n for n in found if n), key=lambda n: (-len(n), n))


def _generic(message: str, names: list[str]) -> str:
    for name in names:
        # Whole names only: `ecr` in `ecr:*` or `app` in `app-b` is not the name.
        message = re.sub(r"(?<![\w./:-])" + re.escape(name) + r"(?![\w/-]|:\S)", _PLACEHOLDER, message)
    return message


def _instance_key(finding: Finding, names: list[str]) -> tuple | None:
    if not finding.address or source_address(finding.address) == finding.address:
        return None  # declared once: no instances to merge
    code = source_address(finding.address)
    # Instances suppressed differently (a comment on one module call) stay apart.
    return (
        finding.rule_id,
        finding.span,
        finding.severity,
        finding.pointer,
        code,
        _generic(finding.message, names),
        finding.suppressions,
    )


def _listing(addresses: list[str]) -> str:
    shown = ", ".join(addresses[:SHOWN_INSTANCES])
    more = len(addresses) - SHOWN_INSTANCES
    return shown + (f" and {more} more" if more > 0 else "")


def _merged(group: list[Finding], generic: str | None) -> Finding:
    first = group[0]
    addresses = sorted({f.address for f in group if f.address} | {a for f in group for a in f.instances})
    first = replace(first, callers=tuple(sorted({c for f in group for c in f.callers})))
    if generic is not None:
        code = source_address(first.address or "")
        message = generic.replace(_PLACEHOLDER, code)
        tail = f" ({len(addresses)} instances: {_listing(addresses)})"
        return replace(first, message=message + tail, address=code, instances=tuple(addresses))
    places = sorted({f"{f.address} ({f.span.path})" if f.address else f.span.path for f in group})
    tail = f" (the same in {len(places)} places: {_listing(places)})"
    return replace(first, message=first.message + tail, instances=tuple(addresses) if len(addresses) > 1 else ())


def merge_findings(findings: list[Finding], names_at: dict[str, set[str]] | None = None) -> list[Finding]:
    """`findings` with each fact reported once; `names_at` maps an address to the display names of the
    objects at it (a repository's name), which messages use in place of the address."""
    names_at = names_at or {}
    facts: dict[tuple, list[Finding]] = {}
    instances: dict[tuple, list[Finding]] = {}
    order: list[tuple[str, tuple]] = []
    generic_of: dict[tuple, str] = {}
    for finding in sorted(findings, key=lambda f: (f.sort_key(), f.address or "")):
        fact = (finding.details or {}).get("fact")
        if fact is not None:
            key = (finding.rule_id, str(fact), finding.suppressions)
            if key not in facts:
                order.append(("fact", key))
            facts.setdefault(key, []).append(finding)
            continue
        names = _names(finding, names_at)
        key = _instance_key(finding, names)
        if key is None:
            order.append(("one", (finding,)))
            continue
        if key not in instances:
            order.append(("instances", key))
            generic_of[key] = key[5]  # the message with its own names set aside
        instances.setdefault(key, []).append(finding)
    out: list[Finding] = []
    for kind, key in order:
        if kind == "fact":
            facts[key] = [_without_fact(f) for f in facts[key]]
        if kind == "one":
            out.append(key[0])
        elif kind == "fact":
            group = facts[key]
            out.append(group[0] if len(group) == 1 else _merged(group, None))
        else:
            group = instances[key]
            out.append(group[0] if len(group) == 1 else _merged(group, generic_of[key]))
    return sorted(out, key=Finding.sort_key)


def _without_fact(finding: Finding) -> Finding:
    """The fact key only groups findings; it is not part of what the output reports."""
    rest = {k: v for k, v in (finding.details or {}).items() if k != "fact"}
    return replace(finding, details=rest or None)


def display_names(model) -> dict[str, set[str]]:
    """Address -> the display names of the model objects at that address."""
    found: dict[str, set[str]] = {}
    for obj in model.objects:
        name = obj.display_name()
        if name and name != obj.address:
            found.setdefault(obj.address, set()).add(name)
    return found
