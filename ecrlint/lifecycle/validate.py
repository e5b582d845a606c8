"""ECR401: everything PutLifecyclePolicy would reject, each problem located at the field that causes it.

Two layers: the JSON Schema (`schema.py`) for structure, types and allowed values, and the checks
below for what ECR enforces across fields and across rules (ecr-reference.md §2.2 and the lint list of
§2.4). Parts of a document that could not be resolved are never judged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..parse.json import JsonError, parse_embedded_json, parse_json_value
from ..values import Branches, Unknown, Value
from .policy import ARCHIVE, COUNT_MORE_THAN, SINCE_PULLED, SINCE_PUSHED, SINCE_TRANSITIONED, SINCE_TYPES, STANDARD
from .schema import UNDECIDED, pointer, schema_problems
from .tags import MAX_PATTERN_WILDCARDS

MAX_POLICY_CHARS = 30720
MIN_ARCHIVE_DAYS = 90


@dataclass(frozen=True)
class Violation:
    message: str
    value: Value  # the located node the finding points at
    pointer: str  # where inside the policy, e.g. "rules[2].selection"


def parse_text(document: Value) -> tuple[Value | None, Violation | None]:
    """A policy given as text: its parsed form, or the ECR401 "not JSON" violation."""
    try:
        return parse_embedded_json(document), None
    except JsonError:
        pass
    try:
        parse_json_value(document.data, document.span.path)  # for the position inside the text
    except JsonError as err:
        return None, Violation(
            f"the lifecycle policy is not valid JSON: {err.message} (line {err.line}, column {err.col} of the "
            "policy text)",
            document,
            "",
        )
    return None, Violation("the lifecycle policy is not valid JSON", document, "")


def plain(value: Value) -> Any:
    """Plain data with unresolved parts replaced by `UNDECIDED`."""
    data = value.data
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, (Unknown, Branches)):
        return UNDECIDED
    return data


def node_at(root: Value, path: tuple[str | int, ...]) -> Value:
    """The deepest located node along `path` (the container when the path leads to something absent)."""
    node = root
    for part in path:
        data = node.data
        if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
            node = data[part]
        elif isinstance(part, str) and isinstance(data, dict) and part in data:
            node = data[part]
        else:
            break
    return node


def _str(value: Value | None) -> str | None:
    if value is not None and value.is_known and isinstance(value.data, str):
        return value.data
    return None


def _int(value: Value | None) -> int | None:
    if value is None or not value.is_known or isinstance(value.data, bool):
        return None
    data = value.data
    if isinstance(data, int):
        return data
    if isinstance(data, float) and data.is_integer():
        return int(data)
    return None


def validate(document: Value) -> list[Violation]:
    """Every reason ECR would reject `document` (a parsed policy, or its text as a str Value)."""
    if document.is_str:
        parsed, problem = parse_text(document)
        if problem is not None:
            return [problem]
        document = parsed
    if not document.is_known:
        return []
    if not document.is_map:
        return [Violation('a lifecycle policy must be a JSON object with a "rules" list', document, "")]
    violations = [
        Violation(p.message, node_at(document, p.path), pointer(p.path)) for p in schema_problems(plain(document))
    ]
    rules = document.get("rules")
    if rules is not None and rules.is_list:
        for index, rule in enumerate(rules.data):
            if rule.is_map:
                violations.extend(_rule_violations(index, rule))
        violations.extend(_cross_rule_violations(rules))
    violations.extend(_size_violations(document))
    return violations


def _rule_violations(i: int, rule: Value) -> list[Violation]:
    out: list[Violation] = []
    at = f"rules[{i}]"
    selection = rule.get("selection")
    action = rule.get("action")
    count_type = None
    if selection is not None and selection.is_map:
        sel = f"{at}.selection"
        status = _str(selection.get("tagStatus"))
        lists = {name: selection.get(name) for name in ("tagPrefixList", "tagPatternList")}
        present = {name: v for name, v in lists.items() if v is not None}
        count_type = _str(selection.get("countType"))
        unit = selection.get("countUnit")
        storage = selection.get("storageClass")
        storage_class = _str(storage) if storage is not None else STANDARD

        if status == "tagged":
            if not present:
                out.append(Violation('tagStatus "tagged" needs a tagPrefixList or a tagPatternList', selection, sel))
            elif len(present) == 1:
                name, value = next(iter(present.items()))
                if value.is_list and not value.data:
                    out.append(
                        Violation(
                            f'{name} is empty; tagStatus "tagged" needs at least one entry', value, f"{sel}.{name}"
                        )
                    )
        if len(present) == 2:
            out.append(
                Violation(
                    "a rule may give tagPrefixList or tagPatternList, not both",
                    lists["tagPatternList"],
                    f"{sel}.tagPatternList",
                )
            )
        if status in ("untagged", "any"):
            for name, value in present.items():
                out.append(
                    Violation(f'{name} is only allowed with tagStatus "tagged", not "{status}"', value, f"{sel}.{name}")
                )
        patterns = lists["tagPatternList"]
        if patterns is not None and patterns.is_list:
            for j, item in enumerate(patterns.data):
                text = _str(item)
                if text is not None and text.count("*") > MAX_PATTERN_WILDCARDS:
                    out.append(
                        Violation(
                            f'tag pattern "{text}" has {text.count("*")} wildcards; ECR allows at most '
                            f"{MAX_PATTERN_WILDCARDS} per pattern",
                            item,
                            f"{sel}.tagPatternList[{j}]",
                        )
                    )
        if count_type == COUNT_MORE_THAN and unit is not None:
            out.append(
                Violation(
                    "countUnit is only allowed with countType sinceImagePushed, sinceImagePulled or "
                    "sinceImageTransitioned, not imageCountMoreThan",
                    unit,
                    f"{sel}.countUnit",
                )
            )
        if count_type in SINCE_TYPES and unit is None:
            out.append(Violation(f'countType {count_type} needs countUnit "days"', selection, sel))
        if count_type == SINCE_TRANSITIONED and storage_class is not None and storage_class != ARCHIVE:
            out.append(
                Violation(
                    'countType sinceImageTransitioned needs storageClass "archive"',
                    storage if storage is not None else selection,
                    f"{sel}.storageClass" if storage is not None else sel,
                )
            )
        if storage_class == ARCHIVE and count_type in (COUNT_MORE_THAN, SINCE_PUSHED, SINCE_PULLED):
            out.append(
                Violation(
                    f'storageClass "archive" is only supported with countType sinceImageTransitioned, not {count_type}',
                    storage,
                    f"{sel}.storageClass",
                )
            )
        number = _int(selection.get("countNumber"))
        if count_type == SINCE_TRANSITIONED and number is not None and 1 <= number < MIN_ARCHIVE_DAYS:
            # AWS: "You cannot configure lifecycle policies that delete images that have been in archive for
            # less than 90 days." Whether the API rejects the policy or the rule just waits is unconfirmed.
            out.append(
                Violation(
                    f"countNumber {number} would delete images after less than {MIN_ARCHIVE_DAYS} days in archive; "
                    f"lifecycle policies may not delete images archived for less than {MIN_ARCHIVE_DAYS} days",
                    selection.get("countNumber"),
                    f"{sel}.countNumber",
                )
            )
    if action is not None and action.is_map:
        act = f"{at}.action"
        kind = _str(action.get("type"))
        target = action.get("targetStorageClass")
        if kind == "transition" and target is None:
            out.append(Violation('action type "transition" needs targetStorageClass "archive"', action, act))
        if kind == "expire" and target is not None:
            out.append(
                Violation(
                    'targetStorageClass is only allowed with action type "transition"',
                    target,
                    f"{act}.targetStorageClass",
                )
            )
        if count_type == SINCE_PULLED and kind == "expire":
            out.append(
                Violation(
                    'countType sinceImagePulled can only be used with action type "transition", not "expire"',
                    action.get("type"),
                    f"{act}.type",
                )
            )
        if count_type == SINCE_TRANSITIONED and kind == "transition":
            out.append(
                Violation(
                    'countType sinceImageTransitioned can only be used with action type "expire", not "transition"',
                    action.get("type"),
                    f"{act}.type",
                )
            )
    return out


@dataclass
class _RuleFacts:
    index: int
    rule: Value
    priority: int | None
    priority_value: Value | None
    status: str | None
    status_value: Value | None
    storage_class: str | None  # None when unresolved
    prefixes: list[tuple[int, Value]]


def _facts(index: int, rule: Value) -> _RuleFacts:
    selection = rule.get("selection")
    sel_map = selection is not None and selection.is_map
    status_value = selection.get("tagStatus") if sel_map else None
    storage = selection.get("storageClass") if sel_map else None
    prefixes = selection.get("tagPrefixList") if sel_map else None
    prefix_items = list(enumerate(prefixes.data)) if prefixes is not None and prefixes.is_list else []
    return _RuleFacts(
        index=index,
        rule=rule,
        priority=_int(rule.get("rulePriority")),
        priority_value=rule.get("rulePriority"),
        status=_str(status_value),
        status_value=status_value,
        storage_class=STANDARD if storage is None else _str(storage),
        prefixes=prefix_items,
    )


def _cross_rule_violations(rules: Value) -> list[Violation]:
    facts = [_facts(i, r) for i, r in enumerate(rules.data) if r.is_map]
    out: list[Violation] = []

    first_with: dict[int, int] = {}
    for f in facts:
        if f.priority is None:
            continue
        if f.priority in first_with:
            out.append(
                Violation(
                    f"rulePriority {f.priority} is also used by rules[{first_with[f.priority]}]; "
                    "each rule needs a unique rulePriority",
                    f.priority_value,
                    f"rules[{f.index}].rulePriority",
                )
            )
        else:
            first_with[f.priority] = f.index

    classes = sorted({f.storage_class for f in facts if f.storage_class is not None})
    several = len(classes) > 1
    for storage_class in classes:
        members = [f for f in facts if f.storage_class == storage_class]
        scope = f" among the rules for storage class {storage_class}" if several else ""
        # `any` must have the highest rulePriority. Judged per storage class: the AWS archive example
        # (ecr-reference.md §2.5 E12) has one `any` rule per storage class.
        if all(f.priority is not None for f in members) and not any(f.storage_class is None for f in facts):
            top = max(members, key=lambda f: (f.priority, -f.index))
            for f in members:
                if f.status == "any" and f.priority < top.priority:
                    out.append(
                        Violation(
                            f'a tagStatus "any" rule must have the highest rulePriority{scope}, '
                            f"but rules[{top.index}] has {top.priority} and this one {f.priority}",
                            f.priority_value,
                            f"rules[{f.index}].rulePriority",
                        )
                    )
        # "Only one rule selecting a specific storage class is allowed to select untagged images."
        untagged = [f for f in members if f.status == "untagged"]
        for f in untagged[1:]:
            out.append(
                Violation(
                    f"only one rule{' per storage class' if several else ''} may select untagged images; "
                    f"rules[{untagged[0].index}] already does",
                    f.status_value,
                    f"rules[{f.index}].selection.tagStatus",
                )
            )
        # "The set of all rules selecting a specific storage class must contain a unique set of prefixes."
        # Read, as the rule catalog does, as: no tag prefix appears in two rules.
        owner: dict[str, int] = {}
        for f in members:
            own: set[str] = set()
            for j, item in f.prefixes:
                text = _str(item)
                if text is None or text in own:
                    continue
                own.add(text)
                if text in owner:
                    out.append(
                        Violation(
                            f'tag prefix "{text}" is also used by rules[{owner[text]}]; '
                            "rules for the same storage class must not share tag prefixes",
                            item,
                            f"rules[{f.index}].selection.tagPrefixList[{j}]",
                        )
                    )
                else:
                    owner[text] = f.index
    return out


def _size_violations(document: Value) -> list[Violation]:
    if not document.fully_known():
        return []
    size = len(json.dumps(document.plain(), separators=(",", ":"), ensure_ascii=False))
    if size > MAX_POLICY_CHARS:
        return [
            Violation(
                f"the policy is at least {size:,} characters long; ECR accepts at most {MAX_POLICY_CHARS:,}",
                document,
                "",
            )
        ]
    return []


def evaluation_data(document: Value) -> tuple[dict[str, Any] | None, str | None]:
    """The plain policy for the evaluator, or why it cannot be evaluated (an unresolved part)."""
    if not document.is_known:
        return None, document.unknown_reason() or "the policy is unresolved"
    if not document.is_map:
        return None, "the policy is not a JSON object"
    rules = document.get("rules")
    if rules is None or not rules.is_known:
        return None, (rules.unknown_reason() if rules is not None else None) or "the rules are unresolved"
    for rule in rules.data:
        if not rule.is_map:
            return None, rule.unknown_reason() or "a rule is unresolved"
        for key, value in rule.items():
            if key == "description":
                continue
            reason = value.unknown_reason()
            if reason:
                return None, reason
    return document.plain(), None
