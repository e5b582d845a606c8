"""Which repository states ECR402 and ECR404 may use as counterexamples.

With `realistic` histories (the default) a state must be one that ordinary pipelines produce:

* images arrive by pushes, in time order (push times are distinct);
* an untagged image is older than the image that took its tag (a push moves a tag to the newer
  image), or is a child manifest pushed with its tagged index: so the newest image is tagged;
* other pipelines may push other tags after the protected image (branch builds), but the pipeline
  that pushed the protected image would have moved the protected tag to any later push of its own:
  an image pushed after the protected image carries no tag of a *kind* the protected image carries
  besides its protected tags. A tag's kind is the set of the policy's prefixes, patterns and
  protected globs it matches.

An untagged image pushed after the protected image would count exactly like the tagged push that
took its tag, so ECR402 counterexamples show those pushes tagged.

With `any` histories every state counts, as long as push times are distinct.
"""

from __future__ import annotations

from collections.abc import Iterable

from .evaluate import Image
from .tags import Entry

REALISTIC = "realistic"
ANY = "any"


def kind(tag: str, entries: Iterable[Entry]) -> frozenset[int]:
    """The indices of the entries `tag` matches."""
    return frozenset(i for i, e in enumerate(entries) if e.matches(tag))


def protected_image_history(
    images: Iterable[Image], focus: str, protected: tuple[Entry, ...], entries: tuple[Entry, ...]
) -> bool:
    """Whether a state in which image `focus` carries a protected tag is a realistic history.

    `entries` are every prefix and pattern of the policy and the protected globs (the kinds of tags).
    """
    images = list(images)
    target = next(i for i in images if i.digest == focus)
    later = [i for i in images if i.pushed_at > target.pushed_at]
    if not target.tags or any(not i.tags for i in later):
        return False
    own = {kind(t, entries) for t in target.tags if not any(g.matches(t) for g in protected)}
    return not any(kind(t, entries) in own for i in later for t in i.tags)


def emptied_history(images: tuple[Image, ...]) -> bool:
    """Whether a state (oldest first) is a realistic history for ECR404: its newest image is tagged."""
    return bool(images) and bool(images[-1].tags)
