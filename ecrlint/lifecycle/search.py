"""Property-based search over repository states shaped by the policy under test.

A state is a list of *groups* of images, oldest group first. A group draws

* a tag set: a rule's selection (its prefixes or patterns, instantiated with fresh fills), one or
  two *templates* (the protected tags, the exact tag kinds `TagSpace` found for the policy, that is
  each way one tag can relate to the policy's prefixes and patterns, near misses of every prefix and
  pattern, an unrelated tag), a rule's selection plus a template, or no tags at all;
* a size around every `countNumber` of a count rule;
* a gap in days before the next group (or before now, for the newest group) around every
  `countNumber` of a `since*` rule;
* a storage class, a pull age and an archive age where the policy has rules that read them.

A tag names one image, so every image gets fresh tags; push days are distinct, so push order is
never a tie. A *focused* search (ECR402, ECR403) starts every state with one target image that the
rule under test selects, carrying a protected tag for ECR402: that is where their counterexamples
live, and it keeps the budget for the images around it. For realistic histories (see `histories`) every
image after the target is tagged, and the condition checks the rest of the definition.

Hypothesis runs derandomized, with no example database, no deadline and a fixed example budget:
the same policy gives the same counterexample on every machine, and nothing is written to disk.
Hypothesis is imported on first use only.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from .analysis import SEARCH_NOW, label
from .evaluate import DAY, Evaluation, Image, evaluate
from .languages import TagSpace
from .policy import ARCHIVE, COUNT_MORE_THAN, SINCE_PULLED, STANDARD, CompiledPolicy, Rule
from .tags import Entry, instantiate

MAX_GROUPS = 3  # background groups beside the focus image
MAX_GROUP_SIZE = 60  # sizes of groups in an open search; larger boundaries are left to the exact witness
MAX_FOCUS_GROUP_SIZE = 200  # in a focused search the one count rule's boundary is tried up to this
MAX_TAG_SETS = 2000
MAX_TEMPLATES = 48


@dataclass(frozen=True)
class Template:
    """A family of tags: `render(k)` gives distinct tags for k = 0, 1, 2, ...

    An entry with `*` fills its first wildcard with k; an exact tag exists once (None after it); a
    fixed example tag (a near miss, an unrelated tag) is followed by `-1`, `-2`, ... variants.
    """

    entry: Entry | None = None
    fixed: str | None = None

    def render(self, k: int) -> str | None:
        if self.entry is None:
            return self.fixed if k == 0 else f"{self.fixed}-{k}"
        if not self.entry.unbounded:
            return instantiate(self.entry, "") if k == 0 else None
        return instantiate(self.entry, "" if k == 0 else str(k))

    def first(self) -> str:
        return self.render(0) or ""


@dataclass(frozen=True)
class Group:
    tags: tuple[int, ...]  # template indices; each image of the group gets one fresh tag from each
    size: int
    gap: int  # days between this group's newest image and the next group's oldest (or now)
    storage_class: str = STANDARD
    pulled: int | None = None  # days since the last pull, capped at the image's age
    archived: int = 0  # days since archived (archive storage class only), capped at the image's age


class _Digits:
    """A mixed-radix code over several choice lists, the first list most significant."""

    def __init__(self, *choices: Sequence):
        self.choices = [list(c) for c in choices]
        self.size = 1
        for c in self.choices:
            self.size *= len(c)

    def decode(self, code: int) -> list:
        values = []
        for choice in reversed(self.choices):
            code, digit = divmod(code, len(choice))
            values.append(choice[digit])
        return values[::-1]

    def group(self, code: int) -> Group:
        size, tags, gap, storage, pulled, archived = self.decode(code)
        return Group(tuple(tags), size, gap, storage, pulled, archived)


def _near_misses(entry: Entry) -> list[str]:
    """Tags that almost match: one character short, or the match not at the start."""
    base = instantiate(entry, "")
    out = []
    if len(base) > 1:
        out.append(base[:-1])
    if entry.kind == "prefix" and base:
        out.append("x" + base)
    return out


class SearchSpace:
    """What the state strategy draws from, derived from one policy and the protected globs."""

    def __init__(self, policy: CompiledPolicy, protected: Sequence[Entry] = (), space: TagSpace | None = None):
        self.policy = policy
        self.templates: list[Template] = []
        self._by_text: dict[str, int] = {}
        # The protected tags and every rule's entries always get a template; the rest up to a cap.
        self.protected = [self._add(Template(entry=glob)) for glob in protected]
        self.roles: list[tuple[int, ...]] = [()]
        for rule in policy.rules:
            self.roles.append(tuple(self._add(Template(entry=e)) for e in rule.entries))
        if space is not None:
            for example in sorted(space.signatures.values(), key=lambda t: (len(t), t)):
                self._add(Template(fixed=example), capped=True)
        for entry in [*protected, *(e for r in policy.rules for e in r.entries)]:
            for miss in _near_misses(entry):
                self._add(Template(fixed=miss), capped=True)
        self._add(Template(fixed="x"), capped=True)

        # Tag sets of background groups, simplest first: untagged, a rule's selection, one template,
        # a rule's selection plus one template, two templates.
        count = len(self.templates)
        tag_sets = [(), *self.roles[1:], *((i,) for i in range(count))]
        tag_sets += [(*role, i) for role in self.roles[1:] for i in range(count) if i not in role]
        tag_sets += [(i, j) for i in range(count) for j in range(i + 1, count)]
        self.tag_sets = list(dict.fromkeys(tuple(dict.fromkeys(t)) for t in tag_sets))[:MAX_TAG_SETS]
        self.gaps, self.sizes = self._numbers(policy.rules)
        has_archive = any(r.storage_class == ARCHIVE for r in policy.rules)
        self.storage_classes = [STANDARD, ARCHIVE] if has_archive else [STANDARD]
        self.has_archive = has_archive
        self.reads_pulls = any(r.count_type == SINCE_PULLED for r in policy.rules)

    @staticmethod
    def _numbers(rules: Sequence[Rule], limit: int = MAX_GROUP_SIZE) -> tuple[list[int], list[int]]:
        """Gaps in days around each `since*` countNumber and group sizes around each count countNumber."""
        gaps, sizes = {0, 1}, {1, 2, 3}
        for r in rules:
            n = r.count_number
            (sizes if r.count_type == COUNT_MORE_THAN else gaps).update({n - 1, n, n + 1})
        return sorted(g for g in gaps if g >= 0), sorted(s for s in sizes if 1 <= s <= limit)

    def _add(self, template: Template, capped: bool = False) -> int | None:
        """The index of `template`, added unless a template starting with the same tag exists."""
        key = template.first() or repr(template.entry)
        if key in self._by_text:
            return self._by_text[key]
        if capped and len(self.templates) >= MAX_TEMPLATES:
            return None
        self._by_text[key] = len(self.templates)
        self.templates.append(template)
        return self._by_text[key]

    def reaches(self, rule: Rule) -> bool:
        """Whether a focused search can build a state in which `rule` marks an image at all."""
        return rule.count_type != COUNT_MORE_THAN or rule.count_number < MAX_FOCUS_GROUP_SIZE

    def role_of(self, rule: Rule) -> int:
        return 1 + [r.index for r in self.policy.rules].index(rule.index)

    # -- strategies ------------------------------------------------------------------------
    def _codec(self, gaps, sizes, tag_sets, storages) -> _Digits:
        """Group fields in order of significance: shrinking a group's code minimises its size first, then
        its tags, then its gap. Each list is ordered simplest first."""
        pulls = [None, *gaps] if self.reads_pulls else [None]
        archives = gaps if self.has_archive else [0]
        return _Digits(sizes, tag_sets, gaps, storages, pulls, archives)

    def strategy(self, focus: Rule | None = None, focus_tags: Sequence[int] = (), tagged_after: bool = False):
        """States as image tuples; with `focus`, each state starts with one image that rule selects
        (None when it can select no such image).

        `focus_tags` are template indices the focus image must carry one of (the protected tags);
        with `tagged_after` every image pushed after the focus image is tagged (realistic histories).
        Whether the focus rule acts on that image depends on the image itself and, for a count rule,
        on the other images the rule selects, never on images it does not select. So a focused state
        holds only images the rule selects, no others at all beside a `since*` rule's target, and only
        the rule's own countNumber shapes sizes and gaps. A small space is explored to its end early.

        Each group is one integer draw decoded in mixed radix, which keeps the cost per example low.
        """
        from hypothesis import strategies as st

        if focus is None:
            codec = self._codec(self.gaps, self.sizes, self.tag_sets, self.storage_classes)
            groups = st.lists(st.integers(0, codec.size - 1), min_size=1, max_size=MAX_GROUPS)
            return groups.map(lambda codes: self.expand([codec.group(c) for c in codes]))
        gaps, sizes = self._numbers([focus], MAX_FOCUS_GROUP_SIZE)
        role = self.roles[self.role_of(focus)]
        selected = [t for t in self.tag_sets if self._selects(focus, t)]
        if focus_tags:
            targets = [(*role, p) for p in focus_tags] + [(*t, p) for p in focus_tags for t in selected if t != role]
            targets = [t for t in dict.fromkeys(targets) if self._selects(focus, t)]
        else:
            targets = list(dict.fromkeys([role, *selected]))
        if not targets:
            return None  # the rule selects no image that could carry the tags asked for
        target = self._codec(gaps, [1], targets, [focus.storage_class])
        if focus.count_type != COUNT_MORE_THAN:
            return st.integers(0, target.size - 1).map(lambda code: self.expand([target.group(code)]))
        after = [t for t in selected if t] if tagged_after else selected
        codec = self._codec(gaps, sizes, after or [role], [focus.storage_class])
        background = st.lists(st.integers(0, codec.size - 1), max_size=MAX_GROUPS)
        return st.tuples(st.integers(0, target.size - 1), background).map(
            lambda tb: self.expand([target.group(tb[0]), *(codec.group(c) for c in tb[1])])
        )

    def _selects(self, rule: Rule, tag_set: tuple[int, ...]) -> bool:
        return rule.selects_tags(tuple(self.templates[i].first() for i in tag_set))

    # -- states ----------------------------------------------------------------------------
    def expand(self, groups: Sequence[Group], now: datetime = SEARCH_NOW) -> tuple[Image, ...]:
        """Images of the groups, oldest group first; images named A, B, ... from the oldest."""
        used: set[str] = set()
        next_k = [0] * len(self.templates)
        tagged: list[list[tuple[str, ...]]] = []
        for group in groups:
            ids = list(dict.fromkeys(group.tags))
            rows = []
            for _ in range(group.size):
                tags = [t for t in (self._fresh(i, used, next_k) for i in ids) if t is not None]
                rows.append(tuple(tags))
            tagged.append(rows)
        ages: list[list[int]] = [[] for _ in groups]
        newest = 0
        for g in range(len(groups) - 1, -1, -1):
            newest += groups[g].gap
            # One day apart, oldest first, so fresh tags count up from the oldest image.
            ages[g] = [newest + groups[g].size - 1 - j for j in range(groups[g].size)]
            newest = ages[g][0] + 1
        flat = []
        for g, group in enumerate(groups):
            for tags, age in zip(tagged[g], ages[g]):
                flat.append((age, tags, group))
        flat.sort(key=lambda row: -row[0])
        images = []
        for n, (age, tags, group) in enumerate(flat):
            images.append(
                Image(
                    digest=label(n),
                    tags=tags,
                    pushed_at=now - age * DAY,
                    last_pulled_at=None if group.pulled is None else now - min(group.pulled, age) * DAY,
                    storage_class=group.storage_class,
                    last_archived_at=now - min(group.archived, age) * DAY if group.storage_class == ARCHIVE else None,
                )
            )
        return tuple(images)

    def _fresh(self, t: int, used: set[str], next_k: list[int]) -> str | None:
        template = self.templates[t]
        k = next_k[t]
        while True:
            tag = template.render(k)
            k += 1
            if tag is None:
                next_k[t] = k
                return None
            if tag and tag not in used:
                used.add(tag)
                next_k[t] = k
                return tag


def search_settings(budget: int):
    from hypothesis import HealthCheck, Phase, Verbosity, settings

    return settings(
        max_examples=max(1, budget),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.generate, Phase.shrink),
        verbosity=Verbosity.quiet,
        print_blob=False,
        report_multiple_bugs=False,
    )


@contextmanager
def _no_local_constants():
    """Keep Hypothesis from mixing constants of the "local" source files into generated data.

    Hypothesis (6.13x and later) scans modules it considers local, relative to the working directory,
    for literals, draws them now and then, and caches them under `.hypothesis/` in the working
    directory. That would make the search depend on where ecrlint runs from and write files. This
    hook is internal to Hypothesis; when it is not there, there is nothing to switch off.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    constants = getattr(providers, "Constants", None)
    if original is None or constants is None:  # pragma: no cover
        yield
        return
    empty = constants()
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = original


def find_state(
    space: SearchSpace,
    condition: Callable[[tuple[Image, ...], Evaluation], bool],
    budget: int,
    focus: Rule | None = None,
    focus_tags: Sequence[int] = (),
    tagged_after: bool = False,
) -> tuple[tuple[Image, ...], Evaluation] | None:
    """The simplest state (after shrinking) for which `condition(images, evaluation)` holds, or None."""
    from hypothesis import find
    from hypothesis.errors import HypothesisWarning, NoSuchExample

    policy = space.policy

    def holds(images: tuple[Image, ...]) -> bool:
        return condition(images, evaluate(policy, images, SEARCH_NOW))

    strategy = space.strategy(focus, focus_tags, tagged_after)
    if strategy is None:
        return None
    try:
        with _no_local_constants(), warnings.catch_warnings():
            warnings.simplefilter("ignore", HypothesisWarning)  # e.g. "overly large repr" of a big state
            images = find(strategy, holds, settings=search_settings(budget))
    except NoSuchExample:
        return None
    return images, evaluate(policy, images, SEARCH_NOW)
