"""The last evaluation of a model, reused while the model is unchanged.

Rules read the model and nothing else, so what they give is a function of the model, the options
and the rules' own code. After the adapters ran (every unchanged unit from the unit cache), the
model is known as the bytes of its pieces before any of them is decoded. A run whose model is
byte-for-byte the one a previous run evaluated, with the same rules and settings, takes that run's
findings, undecided records and the two facts the later stages read from the model (display names
and metadata suppressions), and never decodes the model. That is the common pre-commit case: an
edit to a comment, to a resource that is not about ECR, or to a file of another kind.

Suppressions, the baseline and severity overrides are applied after this, on every run. A
selected custom Python rule turns reuse off: its code may import what no key here covers.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from .catalog import Rule, builtin_rules_dir
from .findings import Finding, Scenario, Suppression, Undecided
from .suppress import Directive

NAMESPACE = "evaluation"
# Evaluations kept: each is a whole run's findings (megabytes on a large tree), and one is reused
# only while its model is recent (the last commit, or a few branches switched between).
KEPT = 8
_CLASSES = (Finding, Undecided, Scenario, Suppression, Directive)


@dataclass
class Evaluation:
    findings: list[Finding]
    undecided: list[tuple[str, Undecided]]
    display_names: dict[str, set[str]]  # address -> display names (`merge.display_names`)
    directives: list[Directive]  # suppressions in resources' metadata (`suppress.object_metadata_directives`)


def key(settings: str, model_digest: str, rules: list[Rule]) -> str | None:
    """The key of the evaluation of `rules` over the model with `model_digest`, under the unit
    cache's `settings` (ecrlint's code, libraries, options, scanned roots); None when a rule's code
    cannot be fingerprinted."""
    from .cache import content_key

    parts = []
    for rule in rules:
        code = _rule_code(rule)
        if code is None:
            return None
        parts.append(repr(rule) + "\0" + code)
    return content_key(NAMESPACE, settings, model_digest, *parts)


def _rule_code(rule: Rule) -> str | None:
    """A hash of the Python files in a shipped rule's folder (its check and what sits beside it);
    None for a custom Python rule."""
    if rule.check is None:
        return ""  # a query, or a pipeline stage's rule: the rule itself says it all
    builtin = builtin_rules_dir()
    try:
        shipped = os.path.commonpath([os.path.abspath(rule.folder), builtin]) == builtin
    except ValueError:  # another drive
        shipped = False
    if not shipped:
        return None
    from .model.units import file_digest

    digest = hashlib.sha256()
    for name in sorted(os.listdir(rule.folder)):
        if name.endswith(".py"):
            digest.update(name.encode() + b"\0" + (file_digest(os.path.join(rule.folder, name)) or "-").encode())
    return digest.hexdigest()


def lookup(evaluation_key: str) -> Evaluation | None:
    """The evaluation stored under the key, or None (also for an entry of any other shape)."""
    from .cache import current
    from .model.codec import DecodeError, loads

    data = current().get(NAMESPACE, evaluation_key)
    if data is None:
        return None
    try:
        plain = loads(data, _CLASSES)
    except DecodeError:
        return None
    if not _well_formed(plain):
        return None
    return Evaluation(plain["findings"], plain["undecided"], plain["display_names"], plain["directives"])


def _well_formed(plain) -> bool:
    if type(plain) is not dict or set(plain) != {"findings", "undecided", "display_names", "directives"}:
        return False
    undecided, names = plain["undecided"], plain["display_names"]
    return (
        type(plain["findings"]) is list
        and all(type(f) is Finding for f in plain["findings"])
        and type(undecided) is list
        and all(type(u) is tuple and len(u) == 2 and type(u[0]) is str and type(u[1]) is Undecided for u in undecided)
        and type(names) is dict
        and all(type(k) is str and type(v) is set and all(type(n) is str for n in v) for k, v in names.items())
        and type(plain["directives"]) is list
        and all(type(d) is Directive for d in plain["directives"])
    )


def store(evaluation_key: str, evaluation: Evaluation) -> None:
    from .cache import current
    from .model.codec import dumps_chunks

    plain = {
        "findings": evaluation.findings,
        "undecided": evaluation.undecided,
        "display_names": evaluation.display_names,
        "directives": evaluation.directives,
    }
    cache = current()
    try:
        # Written as it is encoded: megabytes on a large tree, at the end of the run's busiest part.
        cache.put_stream(NAMESPACE, evaluation_key, dumps_chunks(plain, _CLASSES))
    except (TypeError, ValueError, RecursionError):
        return
    cache.keep_newest(NAMESPACE, KEPT)
