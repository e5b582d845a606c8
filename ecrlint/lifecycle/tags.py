"""Tag selectors: `tagPrefixList` prefixes, `tagPatternList` wildcard patterns and protected-tag globs.

Each selector entry becomes an `Entry`: a matcher for real tags plus the pattern as a sequence of
items (literal characters and wildcards) that `ecrlint.lifecycle.languages` turns into automata.
Keeping literals as one-character strings and wildcards as sentinel objects means a `*` written in a
prefix stays a literal character, never a wildcard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


class Wildcard:
    """A wildcard item: `*` (any run of characters, also empty) or `?` (exactly one character)."""

    __slots__ = ("symbol",)

    def __init__(self, symbol: str):
        self.symbol = symbol

    def __repr__(self) -> str:
        return self.symbol


STAR = Wildcard("*")
ONE = Wildcard("?")

MAX_PATTERN_WILDCARDS = 4  # "There is a maximum limit of four wildcards (*) per string."


@dataclass(frozen=True)
class Entry:
    """One requirement of a tag selection; an image meets it when any of its tags matches."""

    kind: str  # prefix | pattern | glob
    text: str
    items: tuple = field(compare=False, repr=False)
    regex: re.Pattern = field(compare=False, repr=False)

    def matches(self, tag: str) -> bool:
        if self.kind == "prefix":
            return tag.startswith(self.text)
        return self.regex.fullmatch(tag) is not None

    @property
    def unbounded(self) -> bool:
        """True when infinitely many tags match, so any number of images can meet it."""
        return STAR in self.items

    def describe(self) -> str:
        return f"{self.kind} {self.text!r}"


def _regex(items: tuple) -> re.Pattern:
    parts = []
    for item in items:
        if item is STAR:
            parts.append(".*")
        elif item is ONE:
            parts.append(".")
        else:
            parts.append(re.escape(item))
    return re.compile("".join(parts), re.DOTALL)


def prefix_entry(prefix: str) -> Entry:
    """`tagPrefixList` entry: a tag matches when it starts with the prefix (rule 13 of the evaluation rules)."""
    items = (*prefix, STAR)
    return Entry("prefix", prefix, items, _regex(items))


def pattern_entry(pattern: str) -> Entry:
    """`tagPatternList` entry: `*` matches any run of characters, the rest literally, anchored at both ends."""
    items = tuple(STAR if ch == "*" else ch for ch in pattern)
    return Entry("pattern", pattern, items, _regex(items))


def glob_entry(glob: str) -> Entry:
    """A protected-tag glob from the options: `*` any run of characters, `?` exactly one."""
    items = tuple(STAR if ch == "*" else ONE if ch == "?" else ch for ch in glob)
    return Entry("glob", glob, items, _regex(items))


def instantiate(entry: Entry, fill: str) -> str:
    """A tag matching `entry`: the first `*` becomes `fill`, other `*` vanish, each `?` becomes `x`."""
    before, after = _around_first_star(entry)
    return before if after is None else before + fill + after


@lru_cache(maxsize=4096)
def _around_first_star(entry: Entry) -> tuple[str, str | None]:
    """The tag text before the entry's first `*` and after it (None without a `*`)."""
    parts: list[list[str]] = [[]]
    for item in entry.items:
        if item is STAR:
            if len(parts) == 1:
                parts.append([])
        else:
            parts[-1].append("x" if item is ONE else item)
    return "".join(parts[0]), "".join(parts[1]) if len(parts) > 1 else None
