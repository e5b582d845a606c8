"""The ECR action catalog and IAM's matching of `Action`/`NotAction` patterns against it.

The catalog (`ecrlint/data/ecr-iam-actions.json`) lists every `ecr:` and `ecr-public:` action
with its access level. It is read once, on first use. Patterns follow the IAM grammar: the
service prefix and the action name are matched case-insensitively, `*` matches any run of
characters (also none) and `?` exactly one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

READ = "Read"
LIST = "List"
WRITE = "Write"
PERMISSIONS_MANAGEMENT = "Permissions management"
TAGGING = "Tagging"
#: access levels that only look (pull, describe, list)
READ_LEVELS = frozenset({READ, LIST})
#: access levels that change images, repositories or who may use them
WRITE_LEVELS = frozenset({WRITE, PERMISSIONS_MANAGEMENT})

PRIVATE = "ecr"
PUBLIC = "ecr-public"
NAMESPACES = (PRIVATE, PUBLIC)

#: what a client needs to pull an image from a private repository (besides GetAuthorizationToken)
PULL_ACTIONS = frozenset({"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"})
#: what a client needs to push an image to a private repository (besides GetAuthorizationToken)
PUSH_ACTIONS = frozenset(
    {
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
    }
)


@dataclass(frozen=True)
class ActionInfo:
    name: str  # canonical spelling, e.g. "ecr:BatchGetImage"
    access_level: str
    resource_types: tuple[str, ...]  # empty: no resource-level permissions, the policy must use "*"
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]
    description: str

    @property
    def service(self) -> str:
        return self.name.split(":", 1)[0]

    @property
    def is_read(self) -> bool:
        return self.access_level in READ_LEVELS

    @property
    def is_write(self) -> bool:
        return self.access_level in WRITE_LEVELS

    @property
    def supports_resources(self) -> bool:
        return bool(self.resource_types)


@lru_cache(maxsize=1)
def _catalog() -> dict[str, ActionInfo]:
    text = resources.files("ecrlint").joinpath("data/ecr-iam-actions.json").read_text(encoding="utf-8")
    entries = json.loads(text)
    catalog: dict[str, ActionInfo] = {}
    for entry in entries:
        info = ActionInfo(
            name=entry["action"],
            access_level=entry["access_level"],
            resource_types=tuple(entry.get("resource_types") or ()),
            condition_keys=tuple(entry.get("condition_keys") or ()),
            dependent_actions=tuple(entry.get("dependent_actions") or ()),
            description=entry.get("description", ""),
        )
        catalog[info.name.lower()] = info
    return catalog


def all_actions(namespace: str | None = None) -> frozenset[str]:
    """Every catalog action, or those of one service prefix (`ecr`, `ecr-public`)."""
    return _all_actions(namespace.lower() if namespace else None)


@lru_cache(maxsize=8)
def _all_actions(namespace: str | None) -> frozenset[str]:
    return frozenset(i.name for i in _catalog().values() if namespace is None or i.service == namespace)


def action_info(name: str) -> ActionInfo | None:
    """The catalog entry of an action, whatever its spelling; None when the catalog does not list it."""
    return _catalog().get(name.lower())


def canonical(name: str) -> str:
    info = action_info(name)
    return info.name if info else name


def access_level(name: str) -> str | None:
    info = action_info(name)
    return info.access_level if info else None


def is_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for ch in pattern:
        if ch == "*":
            parts.append(".*")
        elif ch == "?":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def matches(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern (`ecr:Put*`, `*`, `ECR:batchgetimage`) matches an action name."""
    return _regex(pattern).fullmatch(action) is not None


@lru_cache(maxsize=1024)
def expand(pattern: str) -> frozenset[str]:
    """The catalog actions an `Action` pattern matches (empty for other services' actions)."""
    if not is_wildcard(pattern):
        info = action_info(pattern)
        return frozenset({info.name}) if info else frozenset()
    rx = _regex(pattern)
    return frozenset(i.name for i in _catalog().values() if rx.fullmatch(i.name))


def expand_all(patterns: Iterable[str]) -> frozenset[str]:
    result: set[str] = set()
    for pattern in patterns:
        result |= expand(pattern)
    return frozenset(result)


def may_name_other_actions(pattern: str) -> bool:
    """Whether a pattern can match actions of services other than `ecr` and `ecr-public`."""
    service = pattern.split(":", 1)[0] if ":" in pattern else pattern
    return is_wildcard(service) or service.lower() not in NAMESPACES


def names_unknown_ecr_action(pattern: str) -> bool:
    """A literal `ecr:`/`ecr-public:` action the catalog does not list (a typo, or newer than the catalog)."""
    if is_wildcard(pattern) or ":" not in pattern:
        return False
    service = pattern.split(":", 1)[0].lower()
    return service in NAMESPACES and action_info(pattern) is None


def in_namespace(actions: Iterable[str], *namespaces: str) -> frozenset[str]:
    wanted = {n.lower() for n in namespaces}
    return frozenset(a for a in actions if a.split(":", 1)[0].lower() in wanted)


def with_levels(actions: Iterable[str], levels: Iterable[str]) -> frozenset[str]:
    wanted = set(levels)
    return frozenset(a for a in actions if access_level(a) in wanted)


def write_actions(actions: Iterable[str]) -> frozenset[str]:
    """The Write and Permissions-management actions among `actions`."""
    return with_levels(actions, WRITE_LEVELS)


def read_actions(actions: Iterable[str]) -> frozenset[str]:
    """The Read and List actions among `actions`."""
    return with_levels(actions, READ_LEVELS)


def classify(actions: Iterable[str]) -> dict[str, frozenset[str]]:
    """Actions grouped by access level (levels with no action left out)."""
    groups: dict[str, set[str]] = {}
    for action in actions:
        level = access_level(action) or "Unknown"
        groups.setdefault(level, set()).add(action)
    return {level: frozenset(items) for level, items in groups.items()}


_LEVEL_ORDER = {PERMISSIONS_MANAGEMENT: 0, WRITE: 1, TAGGING: 2, READ: 3, LIST: 4}


def ordered(actions: Iterable[str]) -> list[str]:
    """Most dangerous first (permissions management, write, tagging, read, list), then by name."""
    return sorted(actions, key=lambda a: (_LEVEL_ORDER.get(access_level(a) or "", 9), a.lower()))


def summarize(actions: Iterable[str], limit: int = 6) -> str:
    """A short list for messages: `ecr:SetRepositoryPolicy, ecr:PutImage and 12 more`."""
    items = ordered(actions)
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
