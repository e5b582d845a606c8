"""Exact reasoning about tag selections: which combinations of tags can exist.

A tag matches some of the entries (prefixes, patterns, protected globs) of a policy and not the others:
its *signature*. `TagSpace` finds every signature some tag has, with a shortest example tag, by walking
the product of one small automaton per entry. Only the literal characters of the entries and one other
character matter to these automata, so the walk is finite and complete.

With the signatures, "is there an image that rule R selects and no higher-priority rule selects?"
becomes a small covering search: pick tags (signatures) that together meet every entry R needs, while
for every higher rule at least one of its entries stays unmet. Tag selections are monotone (more tags
never make an image match fewer rules), so an image never needs more tags than R has entries.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from .tags import ONE, STAR, Entry

STATE_LIMIT = 20000  # product states walked before giving up (Undecidable)
SEARCH_LIMIT = 20000  # nodes of the covering search before giving up
_OTHER_CHOICES = "xzqjkvwy0123456789abcdefghilmnoprstuXZQJKVWYABCDEFGHILMNOPRSTU"


class Undecidable(Exception):
    """The exact analysis hit its bounds; callers fall back to the search alone."""


class TagSpace:
    """Every signature a single tag can have with respect to `entries`, with an example tag for each."""

    def __init__(self, entries: Iterable[Entry], state_limit: int = STATE_LIMIT):
        self.entries: list[Entry] = []
        self._ids: dict[tuple[str, str], int] = {}
        for entry in entries:
            key = (entry.kind, entry.text)
            if key not in self._ids:
                self._ids[key] = len(self.entries)
                self.entries.append(entry)
        self.signatures: dict[frozenset[int], str] = self._explore(state_limit)

    def id(self, entry: Entry) -> int:
        return self._ids[(entry.kind, entry.text)]

    def ids(self, entries: Iterable[Entry]) -> frozenset[int]:
        return frozenset(self.id(e) for e in entries)

    def signature(self, tag: str) -> frozenset[int]:
        return frozenset(i for i, e in enumerate(self.entries) if e.matches(tag))

    # -- the product walk ----------------------------------------------------------------
    def _explore(self, limit: int) -> dict[frozenset[int], str]:
        items = [e.items for e in self.entries]
        literals = sorted({ch for its in items for ch in its if isinstance(ch, str)})
        other = next((c for c in _OTHER_CHOICES if c not in literals), None)
        # The other character first, then letters and digits: example tags read like real ones ("x", not "-").
        alphabet = ([other] if other else []) + sorted(literals, key=lambda c: (not c.isalnum(), c))
        closures = [self._closures(its) for its in items]
        cache: list[dict[tuple[int, str], int]] = [{} for _ in items]

        def step(k: int, mask: int, ch: str) -> int:
            key = (mask, ch)
            hit = cache[k].get(key)
            if hit is not None:
                return hit
            its, close = items[k], closures[k]
            new, rest, pos = 0, mask, 0
            while rest:
                if rest & 1 and pos < len(its):
                    item = its[pos]
                    if item is STAR:
                        new |= close[pos]
                    elif item is ONE or item == ch:
                        new |= close[pos + 1]
                rest >>= 1
                pos += 1
            cache[k][key] = new
            return new

        finals = [1 << len(its) for its in items]
        start = tuple(c[0] for c in closures)
        seen: set[tuple[int, ...]] = set()  # the start state is not a tag: the empty string is no tag
        queue: deque[tuple[tuple[int, ...], str]] = deque([(start, "")])
        found: dict[frozenset[int], str] = {}
        while queue:
            state, text = queue.popleft()
            for ch in alphabet:
                nxt = tuple(step(k, mask, ch) for k, mask in enumerate(state))
                if nxt in seen:
                    continue
                seen.add(nxt)
                if len(seen) > limit:
                    raise Undecidable(f"the tag patterns need more than {limit} automaton states")
                word = text + ch
                sig = frozenset(k for k, mask in enumerate(nxt) if mask & finals[k])
                found.setdefault(sig, word)
                if any(nxt):
                    queue.append((nxt, word))
        return found

    @staticmethod
    def _closures(its: tuple) -> list[int]:
        """For each position, the positions reachable by letting `*` match nothing."""
        closures = [0] * (len(its) + 1)
        for pos in range(len(its), -1, -1):
            mask = 1 << pos
            if pos < len(its) and its[pos] is STAR:
                mask |= closures[pos + 1]
            closures[pos] = mask
        return closures

    # -- covering ------------------------------------------------------------------------
    def fewest_tags(self, required: frozenset[int]) -> int:
        """The fewest tags that together meet every entry in `required` (a lower bound for any image that
        must meet them, whatever else it must avoid). Breadth-first over the subsets of `required`."""
        if not required:
            return 0
        masks = {s & required for s in self.signatures} - {frozenset()}
        reached = {frozenset(): 0}
        frontier = [frozenset()]
        while frontier:
            nxt = []
            for covered in frontier:
                for mask in masks:
                    union = covered | mask
                    if union not in reached:
                        reached[union] = reached[covered] + 1
                        if union == required:
                            return reached[union]
                        nxt.append(union)
            frontier = nxt
        return len(required) + 1  # some entry matches no tag at all: no image meets them

    def find_tags(self, required: frozenset[int], forbidden: list[frozenset[int]]) -> tuple[str, ...] | None:
        """Tags that together meet every entry in `required` and meet no set in `forbidden` entirely.

        With nothing required, one tag that meets no forbidden set. None when no such tags exist.
        """
        usable = [s for s in self.signatures if not any(f <= s for f in forbidden)]
        if not required:
            if not usable:
                return None
            best = min(usable, key=lambda s: (len(s), len(self.signatures[s]), self.signatures[s]))
            return (self.signatures[best],)
        useful = [s for s in usable if s & required]
        # A signature is dominated when another meets at least the same required entries with fewer others.
        minimal = [s for s in useful if not any(o != s and o <= s and (o & required) >= (s & required) for o in useful)]
        minimal.sort(key=lambda s: (-len(s & required), len(s), len(self.signatures[s]), self.signatures[s]))
        budget = [SEARCH_LIMIT]

        def cover(covered: frozenset[int], union: frozenset[int], chosen: list[frozenset[int]]):
            missing = required - covered
            if not missing:
                return chosen
            budget[0] -= 1
            if budget[0] < 0:
                raise Undecidable("too many ways to combine tags")
            target = min(missing)
            for sig in minimal:
                if target not in sig:
                    continue
                merged = union | sig
                if any(f <= merged for f in forbidden):
                    continue
                result = cover(covered | (sig & required), merged, [*chosen, sig])
                if result is not None:
                    return result
            return None

        chosen = cover(frozenset(), frozenset(), [])
        if chosen is None:
            return None
        return tuple(self.signatures[s] for s in chosen)

    def covers(
        self, required: frozenset[int], forbidden: list[frozenset[int]], among: Iterable[frozenset[int]] | None = None
    ) -> Iterator[tuple[frozenset[int], ...]]:
        """Every choice of signatures that together meet `required` and meet no set in `forbidden`
        entirely, fewest first within each branch; it includes every cover from which no signature can
        be left out. Unlike `find_tags` no signature is dropped as dominated: callers that care which
        signatures are chosen (not only that some exist) see them all. `among` limits the signatures used."""
        pool = self.signatures if among is None else among
        usable = [s for s in pool if s & required and not any(f <= s for f in forbidden)]
        usable.sort(key=lambda s: (-len(s & required), len(s), len(self.signatures[s]), self.signatures[s]))
        budget = [SEARCH_LIMIT]

        def walk(covered: frozenset[int], union: frozenset[int], chosen: tuple[frozenset[int], ...]):
            missing = required - covered
            if not missing:
                yield chosen
                return
            budget[0] -= 1
            if budget[0] < 0:
                raise Undecidable("too many ways to combine tags")
            target = min(missing)
            for sig in usable:
                if target in sig and not any(f <= union | sig for f in forbidden):
                    yield from walk(covered | (sig & required), union | sig, (*chosen, sig))

        if required:
            yield from walk(frozenset(), frozenset(), ())
