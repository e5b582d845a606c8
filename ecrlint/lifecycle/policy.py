"""A validated lifecycle policy as `Rule`s that the evaluator and the analysis read.

`compile_policy` takes the plain JSON data (a dict) of a policy that passed `validate`; absent
optional fields take their AWS defaults (`storageClass` standard). Rules come back sorted by
`rulePriority`, highest priority (lowest number) first, each remembering its position in the
document (`index`) for messages and pointers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .tags import Entry, pattern_entry, prefix_entry

COUNT_MORE_THAN = "imageCountMoreThan"
SINCE_PUSHED = "sinceImagePushed"
SINCE_PULLED = "sinceImagePulled"
SINCE_TRANSITIONED = "sinceImageTransitioned"
SINCE_TYPES = (SINCE_PUSHED, SINCE_PULLED, SINCE_TRANSITIONED)
STANDARD = "standard"
ARCHIVE = "archive"


@dataclass(frozen=True)
class Rule:
    index: int  # position in the document's "rules" list
    priority: int
    tag_status: str  # tagged | untagged | any
    prefixes: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    storage_class: str = STANDARD
    count_type: str = COUNT_MORE_THAN
    count_number: int = 1
    action: str = "expire"  # expire | transition
    description: str = ""
    entries: tuple[Entry, ...] = field(default=(), compare=False, repr=False)

    # -- selection ---------------------------------------------------------------------
    def selects_tags(self, tags: tuple[str, ...]) -> bool:
        """Whether an image with these tags meets the rule's tag selection (rules 10-13)."""
        if self.tag_status == "any":
            return True
        if self.tag_status == "untagged":
            return not tags
        if not tags:
            return False
        return all(any(entry.matches(tag) for tag in tags) for entry in self.entries)

    # -- wording -----------------------------------------------------------------------
    @property
    def label(self) -> str:
        return f"rule {self.priority}"

    @property
    def pointer(self) -> str:
        return f"rules[{self.index}]"

    def selection_text(self) -> str:
        if self.tag_status != "tagged":
            text = f"{self.tag_status} images"
        elif self.prefixes:
            text = "tags with prefix " + " + ".join(f'"{p}"' for p in self.prefixes)
        else:
            text = "tags matching " + " + ".join(f'"{p}"' for p in self.patterns)
        if self.storage_class != STANDARD:
            text += f" in {self.storage_class}"
        return text

    def action_text(self) -> str:
        verb = "archives" if self.action == "transition" else "expires"
        if self.count_type == COUNT_MORE_THAN:
            return f"keeps the {self.count_number} newest, {verb} the rest"
        what = {SINCE_PUSHED: "pushed", SINCE_PULLED: "last pulled", SINCE_TRANSITIONED: "archived"}[self.count_type]
        return f"{verb} those {what} more than {self.count_number} days ago"

    def summary(self) -> str:
        """`rule 2 (tags with prefix "v": keeps the 30 newest, expires the rest)`."""
        return f"{self.label} ({self.selection_text()}: {self.action_text()})"


@dataclass(frozen=True)
class CompiledPolicy:
    rules: tuple[Rule, ...]  # sorted by priority

    def by_index(self, index: int) -> Rule:
        for rule in self.rules:
            if rule.index == index:
                return rule
        raise KeyError(index)

    def higher(self, rule: Rule) -> list[Rule]:
        """Rules evaluated before `rule` that select the same storage class: the ones that can claim its images."""
        return [r for r in self.rules if r.priority < rule.priority and r.storage_class == rule.storage_class]


def compile_rule(index: int, data: dict[str, Any]) -> Rule:
    selection = data.get("selection") or {}
    action = data.get("action") or {}
    prefixes = tuple(selection.get("tagPrefixList") or ())
    patterns = tuple(selection.get("tagPatternList") or ())
    entries = tuple(prefix_entry(p) for p in prefixes) + tuple(pattern_entry(p) for p in patterns)
    return Rule(
        index=index,
        priority=int(data["rulePriority"]),
        tag_status=selection["tagStatus"],
        prefixes=prefixes,
        patterns=patterns,
        storage_class=selection.get("storageClass", STANDARD),
        count_type=selection["countType"],
        count_number=int(selection["countNumber"]),
        action=action.get("type", "expire"),
        description=str(data.get("description", "")),
        entries=entries,
    )


def compile_policy(policy: dict[str, Any] | CompiledPolicy) -> CompiledPolicy:
    if isinstance(policy, CompiledPolicy):
        return policy
    rules = [compile_rule(i, r) for i, r in enumerate(policy.get("rules") or [])]
    rules.sort(key=lambda r: (r.priority, r.index))
    return CompiledPolicy(tuple(rules))
