"""Exact answers to the questions behind ECR402-404, each with a repository state that shows it.

The questions reduce to ownership (ecr-reference.md §2.4): a rule can act on an image only when it
is the image's owner, the highest-priority rule whose tag selection matches it. Once a rule can own
some image, it can also mark one: a `since*` rule marks any image old enough, an
`imageCountMoreThan N` rule marks the oldest image when N newer images it selects exist (which needs
every entry of its selection to admit more than one tag, since a tag names one image only).

* ECR402: some expire rule owns and can mark an image that carries a protected tag.
* ECR403: a rule owns no possible image: every image it selects is claimed by a higher rule.
* ECR404: states whose newest image is tagged. Untagged images are what a push leaves behind when
  it moves a tag to a newer image, so the newest image of a repository in use carries a tag. With
  distinct push times an `imageCountMoreThan` rule never marks the newest image it selects, so the
  newest image can only be expired by an expiring `since*` rule that owns it: a repository can be
  emptied exactly when such a rule owns some tagged image, and one old image of that kind is then
  expired alone.

Each answer is checked by running the evaluator on the state it builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .evaluate import DAY, Evaluation, Image, evaluate
from .languages import TagSpace, Undecidable
from .policy import ARCHIVE, COUNT_MORE_THAN, SINCE_TRANSITIONED, CompiledPolicy, Rule
from .tags import Entry, instantiate

SEARCH_NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)  # a fixed "now": results never depend on the clock
MAX_WITNESS_IMAGES = 10_000  # an imageCountMoreThan rule keeping more than this is not shown by example


@dataclass(frozen=True)
class Counterexample:
    images: tuple[Image, ...]
    evaluation: Evaluation
    rule: Rule  # the rule the finding is about
    focus: tuple[str, ...]  # digests the finding is about

    @property
    def size(self) -> tuple[int, int, float]:
        """Smaller is simpler: fewer images, then fewer tags, then younger images."""
        tags = sum(len(i.tags) for i in self.images)
        age = sum((SEARCH_NOW - i.pushed_at).total_seconds() for i in self.images)
        return (len(self.images), tags, age)


def label(n: int) -> str:
    """A, B, ..., Z, AA, AB, ...: names for the images of a counterexample, oldest first."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def tag_space(policy: CompiledPolicy, extra: tuple[Entry, ...] = ()) -> TagSpace:
    return TagSpace([e for r in policy.rules for e in r.entries] + list(extra))


def owned_tags(
    policy: CompiledPolicy, rule: Rule, space: TagSpace, required: tuple[Entry, ...] = (), tagged: bool = False
) -> tuple[str, ...] | None:
    """Tags of an image that `rule` owns and that meets every entry in `required`; None if none can exist.

    `()` is an untagged image (never returned with `tagged`). Raises `Undecidable` when the patterns
    are too complex to decide.
    """
    higher = policy.higher(rule)
    if any(h.tag_status == "any" for h in higher):
        return None
    untagged_claimed = any(h.tag_status == "untagged" for h in higher)
    forbidden = [space.ids(h.entries) for h in higher if h.tag_status == "tagged"]
    if rule.tag_status == "untagged":
        return None if (required or tagged or untagged_claimed) else ()
    if rule.tag_status == "any" and not required and not tagged and not untagged_claimed:
        return ()
    wanted = space.ids(rule.entries) | space.ids(required)
    return space.find_tags(wanted, forbidden)


def can_mark(rule: Rule) -> bool:
    """Whether the rule marks an image it selects in some state, given enough images or time."""
    if rule.count_type == COUNT_MORE_THAN:
        # N newer images the rule selects must exist beside the one it marks. A tag names one image,
        # so an entry without `*` (an exact tag) admits one image only.
        return rule.tag_status != "tagged" or all(e.unbounded for e in rule.entries)
    if rule.count_type == SINCE_TRANSITIONED:
        return rule.storage_class == ARCHIVE
    return True


def _fill_tags(rule: Rule, used: set[str], k: int) -> tuple[str, ...]:
    """Tags for another image `rule` selects, unused so far (one fresh fill per image)."""
    if rule.tag_status != "tagged":
        return ()
    fill = k
    while True:
        tags = tuple(dict.fromkeys(instantiate(e, str(fill)) for e in rule.entries))
        if not any(t in used for t in tags):
            used.update(tags)
            return tags
        fill += 100


def marking_state(rule: Rule, tags: tuple[str, ...], now: datetime = SEARCH_NOW) -> list[Image]:
    """Images in which `rule` marks the image with `tags` (named A, the oldest).

    A count rule gets N newer images it also selects, one a day (one an hour past a year's worth).
    """
    n = rule.count_number
    archived = rule.storage_class == ARCHIVE
    if rule.count_type == COUNT_MORE_THAN:
        step = DAY if n <= 366 else timedelta(hours=1)
        used = set(tags)
        images = [Image(label(0), tags, now - n * step, storage_class=rule.storage_class)]
        for k in range(1, n + 1):
            images.append(
                Image(label(k), _fill_tags(rule, used, k), now - (n - k) * step, storage_class=rule.storage_class)
            )
        return images
    age = now - (n + 1) * DAY
    return [
        Image(
            label(0),
            tags,
            age,
            storage_class=rule.storage_class,
            last_archived_at=age if archived else None,
        )
    ]


def protected_floor(rule: Rule, protected: tuple[Entry, ...], space: TagSpace) -> tuple[int, int, float]:
    """No state in which `rule` expires an image carrying a protected tag is smaller than this.

    The image carries the fewest tags that meet the rule's entries and one protected glob. A `since*`
    rule marks it once it is more than countNumber whole days old; a count rule needs countNumber newer
    images it selects beside it, each with the fewest tags that meet its entries (at least one when
    it selects tagged images only), on distinct push days (0, 1, 2, ... days old). A witness of this
    size needs no search: nothing smaller exists.
    """
    entries = space.ids(rule.entries)
    focus_tags = max(1, min(space.fewest_tags(entries | space.ids((glob,))) for glob in protected))
    n = rule.count_number
    if rule.count_type == COUNT_MORE_THAN:
        per_image = max(1, space.fewest_tags(entries)) if rule.tag_status == "tagged" else 0
        return (n + 1, focus_tags + n * per_image, n * (n + 1) // 2 * DAY.total_seconds())
    return (1, focus_tags, (n + 1) * DAY.total_seconds())


def emptying_floor(policy: CompiledPolicy, space: TagSpace) -> tuple[int, int, float] | None:
    """No emptied state whose newest image is tagged is smaller than this: one image, tagged to be owned
    by an expiring `since*` rule (count rules never mark the newest image) and old enough for it.
    None when no rule can empty a repository."""
    floors = [
        (1, max(1, space.fewest_tags(space.ids(rule.entries))), (rule.count_number + 1) * DAY.total_seconds())
        for rule in policy.rules
        if _can_expire_newest(rule) and owned_tags(policy, rule, space, tagged=True) is not None
    ]
    return min(floors, default=None)


def _counterexample(
    policy: CompiledPolicy, rule: Rule, images: list[Image], action: str | None
) -> Counterexample | None:
    result = evaluate(policy, images, SEARCH_NOW)
    target = result.decisions[images[0].digest]
    if action is not None and (target.rule is None or target.rule.index != rule.index or target.action != action):
        return None
    return Counterexample(tuple(images), result, rule, (images[0].digest,))


def protected_tag_counterexample(
    policy: CompiledPolicy, rule: Rule, protected: tuple[Entry, ...], space: TagSpace
) -> Counterexample | None:
    """A state in which expire rule `rule` expires an image carrying a tag matching one of `protected`."""
    if rule.action != "expire" or not can_mark(rule):
        return None
    if rule.count_type == COUNT_MORE_THAN and rule.count_number > MAX_WITNESS_IMAGES:
        raise Undecidable(f"countNumber {rule.count_number} needs too many images to show by example")
    for glob in protected:
        tags = owned_tags(policy, rule, space, (glob,))
        if tags is None:
            continue
        found = _counterexample(policy, rule, marking_state(rule, tags), "expire")
        if found is not None:
            return found
    return None


def emptying_counterexample(policy: CompiledPolicy, space: TagSpace) -> Counterexample | None:
    """The smallest state of one tagged image that some rule expires, so the repository is emptied."""
    best: Counterexample | None = None
    for rule in policy.rules:
        if not _can_expire_newest(rule):
            continue
        tags = owned_tags(policy, rule, space, tagged=True)
        if tags is None:
            continue
        found = _emptied(policy, rule, marking_state(rule, tags))
        if found is not None and (best is None or found.size < best.size):
            best = found
    return best


def _can_expire_newest(rule: Rule) -> bool:
    return rule.action == "expire" and rule.count_type != COUNT_MORE_THAN and can_mark(rule)


def _emptied(policy: CompiledPolicy, rule: Rule, images: list[Image]) -> Counterexample | None:
    result = evaluate(policy, images, SEARCH_NOW)
    if len(result.expired()) != len(images):
        return None
    return Counterexample(tuple(images), result, rule, tuple(i.digest for i in images))


def is_shadowed(policy: CompiledPolicy, rule: Rule, space: TagSpace) -> bool:
    """True when no image can be owned by `rule`: each image it selects matches a higher-priority rule."""
    return owned_tags(policy, rule, space) is None


def shadow_illustration(policy: CompiledPolicy, rule: Rule) -> Counterexample | None:
    """A state in which `rule` marks an image that a higher-priority rule claims, so the rule does nothing."""
    if not can_mark(rule) or (rule.count_type == COUNT_MORE_THAN and rule.count_number > MAX_WITNESS_IMAGES):
        return None
    # An `any` rule is shadowed only when higher rules claim untagged and tagged images alike, so an
    # untagged image shows it as well as any.
    tags = tuple(dict.fromkeys(instantiate(e, "1") for e in rule.entries)) if rule.tag_status == "tagged" else ()
    images = marking_state(rule, tags)
    result = evaluate(policy, images, SEARCH_NOW)
    if images[0].digest not in result.marks.get(rule.index, {}):
        return None
    return Counterexample(tuple(images), result, rule, (images[0].digest,))
