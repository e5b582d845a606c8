"""Exact answers to the questions behind ECR402-404, each with a repository state that shows it.

The questions reduce to ownership (ecr-reference.md §2.4): a rule can act on an image only when it
is the image's owner, the highest-priority rule whose tag selection matches it. Once a rule can own
some image, it can also mark one: a `since*` rule marks any image old enough, an
`imageCountMoreThan N` rule marks the oldest image when N newer images it selects exist (which needs
every entry of its selection to admit more than one tag, since a tag names one image only).

* ECR402: some expire rule owns and can mark an image that carries a protected tag. In realistic
  histories (see `histories`) a `since*` rule still needs that image alone; a count rule needs
  countNumber later pushes it selects, by other pipelines, which `later_pushes_counterexample` decides.
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

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .evaluate import DAY, Evaluation, Image, evaluate
from .languages import TagSpace, Undecidable
from .policy import ARCHIVE, COUNT_MORE_THAN, SINCE_TRANSITIONED, CompiledPolicy, Rule
from .tags import Entry, instantiate

SEARCH_NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)  # a fixed "now": results never depend on the clock
MAX_WITNESS_IMAGES = 10_000  # an imageCountMoreThan rule keeping more than this is not shown by example
MAX_LATER_CHOICES = 16  # ways to tag the later pushes considered per choice of P's tags, and states built


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


def protected_floor(
    rule: Rule, protected: tuple[Entry, ...], space: TagSpace, tagged_later: bool = False
) -> tuple[int, int, float]:
    """No state in which `rule` expires an image carrying a protected tag is smaller than this.

    The image carries the fewest tags that meet the rule's entries and one protected glob. A `since*`
    rule marks it once it is more than countNumber whole days old; a count rule needs countNumber newer
    images it selects beside it, each with the fewest tags that meet its entries (at least one when
    it selects tagged images only, or when `tagged_later`: realistic histories push tagged images after
    it), on distinct push days (0, 1, 2, ... days old). A witness of this size needs no search: nothing
    smaller exists.
    """
    entries = space.ids(rule.entries)
    focus_tags = max(1, min(space.fewest_tags(entries | space.ids((glob,))) for glob in protected))
    n = rule.count_number
    if rule.count_type == COUNT_MORE_THAN:
        tagged = tagged_later or rule.tag_status == "tagged"
        per_image = max(1, space.fewest_tags(entries)) if tagged else 0
        return (n + 1, focus_tags + n * per_image, n * (n + 1) // 2 * DAY.total_seconds())
    return (1, focus_tags, (n + 1) * DAY.total_seconds())


def emptying_floor(policy: CompiledPolicy, space: TagSpace, tagged: bool = True) -> tuple[int, int, float] | None:
    """No emptied state (whose newest image is tagged, with `tagged`) is smaller than this: one image,
    owned by an expiring `since*` rule (count rules never mark the newest image) and old enough for it;
    tagged, or untagged where the rule can select an untagged image. None when no rule can empty a
    repository."""
    floors = [
        (
            1,
            max(1, space.fewest_tags(space.ids(rule.entries))) if tagged or rule.tag_status == "tagged" else 0,
            (rule.count_number + 1) * DAY.total_seconds(),
        )
        for rule in policy.rules
        if _can_expire_newest(rule) and owned_tags(policy, rule, space, tagged=tagged) is not None
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


def emptying_counterexample(policy: CompiledPolicy, space: TagSpace, tagged: bool = True) -> Counterexample | None:
    """The smallest state of one image (tagged, with `tagged`) that some rule expires, so the repository
    is emptied."""
    best: Counterexample | None = None
    for rule in policy.rules:
        if not _can_expire_newest(rule):
            continue
        tags = owned_tags(policy, rule, space, tagged=tagged)
        if tags is None:
            continue
        found = _emptied(policy, rule, marking_state(rule, tags))
        if found is not None and (best is None or found.size < best.size):
            best = found
    return best


def later_pushes_counterexample(
    policy: CompiledPolicy, rule: Rule, protected: tuple[Entry, ...], space: TagSpace
) -> Counterexample | None:
    """A realistic history (see `histories`) in which count rule `rule` expires an image P carrying a
    protected tag: P, then countNumber pushes by other pipelines that the rule selects.

    P's tags meet the rule's entries and a protected glob without meeting a higher rule's; each later
    image's tags meet the rule's entries, and none is of a kind P carries besides its protected tags.
    Every choice of P's tags is tried, since which kinds P carries decides which later tags are allowed.
    None when no such history exists (fresh tags of a kind are assumed to exist, as for `can_mark`);
    raises `Undecidable` when the tags cannot be combined or written out.
    """
    from .histories import protected_image_history

    if rule.action != "expire" or rule.count_type != COUNT_MORE_THAN or not can_mark(rule):
        return None
    if rule.count_number > MAX_WITNESS_IMAGES:
        raise Undecidable(f"countNumber {rule.count_number} needs too many images to show by example")
    higher = policy.higher(rule)
    if rule.tag_status == "untagged" or any(h.tag_status == "any" for h in higher):
        return None  # P is tagged: an untagged rule never selects it, and a higher `any` rule claims it
    forbidden = [space.ids(h.entries) for h in higher if h.tag_status == "tagged"]
    entries = space.ids(rule.entries)
    globs = space.ids(protected)
    fixed = space.ids(g for g in protected if not g.unbounded)  # such a tag exists once, on P
    bounded = frozenset(i for i, e in enumerate(space.entries) if not e.unbounded)
    # Every pair of a choice of P's tags and a way to tag the later pushes, fewest tags first.
    candidates: list[tuple[int, int, tuple, tuple]] = []
    cut = False
    for glob in protected:
        for chosen in space.covers(entries | {space.id(glob)}, forbidden):
            own = {s for s in chosen if not s & globs}
            # A signature that meets an entry without `*` has one tag only: it serves one later image at most.
            allowed = [
                s
                for s in space.signatures
                if s not in own and not s & fixed and (rule.count_number == 1 or not s & bounded)
            ]
            for n, later in enumerate(_later_signatures(space, entries, allowed)):
                if n == MAX_LATER_CHOICES:
                    cut = True
                    break
                size = len(chosen) + rule.count_number * len(later)
                candidates.append((size, len(candidates), chosen, later))
    candidates.sort(key=lambda c: c[:2])
    for _, _, chosen, later in candidates[:MAX_LATER_CHOICES]:
        images = _later_pushes_state(rule, space, chosen, later)
        if images is None:
            continue
        found = _counterexample(policy, rule, images, "expire")
        if found is not None and protected_image_history(images, images[0].digest, protected, space.entries):
            return found
    if candidates or cut:
        raise Undecidable("no fresh tags of the kinds needed could be written out")
    return None


def _later_signatures(space: TagSpace, entries: frozenset[int], allowed: list) -> Iterator[tuple]:
    """Signatures for each later image: covers of the rule's entries, or for a rule without entries one
    allowed signature, simplest first (an unrelated tag where possible)."""
    if entries:
        yield from space.covers(entries, [], allowed)
        return
    for sig in sorted(allowed, key=lambda s: (len(s), len(space.signatures[s]), space.signatures[s])):
        yield (sig,)


def _later_pushes_state(rule: Rule, space: TagSpace, chosen: tuple, later: tuple) -> list[Image] | None:
    """P (named A, with the example tags of `chosen`), then countNumber images a day apart, each with a
    fresh tag of every signature in `later`. None when fresh tags of a signature cannot be found."""
    n = rule.count_number
    step = DAY if n <= 366 else timedelta(hours=1)
    tags = tuple(dict.fromkeys(space.signatures[s] for s in chosen))
    used = set(tags)
    images = [Image(label(0), tags, SEARCH_NOW - n * step)]
    for k in range(1, n + 1):
        fresh = []
        for sig in later:
            tag = _fresh_tag(space, sig, used, k)
            if tag is None:
                return None
            fresh.append(tag)
        images.append(Image(label(k), tuple(fresh), SEARCH_NOW - (n - k) * step))
    return images


def _fresh_tag(space: TagSpace, sig: frozenset[int], used: set[str], k: int) -> str | None:
    """An unused tag with signature `sig`: the example tag, or the example written twice (which keeps both
    its start and its end), with a number (or a number and a letter) written after it, before it or
    inside it."""
    example = space.signatures[sig]
    for base in (example, example + example):
        positions = [len(base), 0, *range(1, len(base))]
        for fill in (str(k), f"{k}x", f"x{k}", f"{k}-{len(used)}"):
            for at in positions:
                tag = base[:at] + fill + base[at:]
                if tag not in used and space.signature(tag) == sig:
                    used.add(tag)
                    return tag
    return None


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
