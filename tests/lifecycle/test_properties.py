"""Properties of the evaluator, and of the exact analysis against the evaluator, on generated policies and states."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ecrlint.lifecycle.analysis import (
    emptying_counterexample,
    is_shadowed,
    later_pushes_counterexample,
    protected_tag_counterexample,
    tag_space,
)
from ecrlint.lifecycle.evaluate import Image, evaluate
from ecrlint.lifecycle.histories import protected_image_history
from ecrlint.lifecycle.languages import Undecidable
from ecrlint.lifecycle.policy import COUNT_MORE_THAN, compile_policy
from ecrlint.lifecycle.properties import can_empty, never_applies, protected_tags
from ecrlint.lifecycle.tags import glob_entry
from ecrlint.lifecycle.validate import validate
from ecrlint.parse.json import parse_json_value

from .helpers import NOW, dumps, rule

FAST = settings(
    max_examples=80,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

PREFIXES = ["a", "ab", "b", "a-", "x"]
PATTERNS = ["a*", "*b", "a*b", "ab", "*", "b*1", "*-*", "latest"]
TAG_POOL = ["a", "ab", "a1", "b", "b1", "ab-1", "x", "latest", "a-b", "ba", "a-1"]


@st.composite
def policies(draw, since_only: bool = False):
    rules = []
    count = draw(st.integers(1, 4))
    untagged_used = False
    for n in range(count):
        status = draw(st.sampled_from(["tagged", "tagged", "untagged"]))
        if status == "untagged" and untagged_used:
            status = "tagged"
        untagged_used |= status == "untagged"
        kwargs = {}
        if status == "tagged":
            if draw(st.booleans()):
                kwargs["prefixes"] = draw(st.lists(st.sampled_from(PREFIXES), min_size=1, max_size=2, unique=True))
            else:
                kwargs["patterns"] = draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2, unique=True))
        if since_only or draw(st.booleans()):
            r = rule(n + 1, status, "sinceImagePushed", draw(st.integers(1, 10)), **kwargs)
        else:
            r = rule(n + 1, status, "imageCountMoreThan", draw(st.integers(1, 4)), **kwargs)
        rules.append(r)
    if draw(st.booleans()):
        count_type = "sinceImagePushed" if since_only or draw(st.booleans()) else "imageCountMoreThan"
        rules.append(rule(len(rules) + 1, "any", count_type, draw(st.integers(1, 6))))
    if not since_only and draw(st.integers(0, 3)) == 0:
        rules.append(
            rule(len(rules) + 1, "any", "sinceImageTransitioned", draw(st.integers(90, 95)), storage="archive")
        )
    policy = {"rules": rules}
    assume(not validate(parse_json_value(dumps(policy), "p.json")))  # e.g. a prefix used twice
    return policy


@st.composite
def states(draw, max_images: int = 8):
    ages = draw(st.lists(st.integers(0, 24 * 12), min_size=0, max_size=max_images, unique=True))
    free = list(TAG_POOL)
    images = []
    for n, hours in enumerate(ages):
        tags = draw(st.lists(st.sampled_from(free), max_size=3, unique=True)) if free else []
        free = [t for t in free if t not in tags]
        archived = draw(st.integers(0, 8)) == 0
        images.append(
            Image(
                digest=f"sha256:{n:04d}",
                tags=tuple(tags),
                pushed_at=NOW - timedelta(hours=hours),
                storage_class="archive" if archived else "standard",
                last_archived_at=NOW - timedelta(days=draw(st.integers(80, 100))) if archived else None,
            )
        )
    return images


def decisions(policy, images, now=NOW):
    result = evaluate(policy, images, now)
    return {
        d.digest: (d.action, d.rule.index if d.rule else None, d.owner.index if d.owner else None, d.reason)
        for d in result.decisions.values()
    }


@FAST
@given(policies(), states(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_listing_order(policy, images, rnd):
    shuffled = list(images)
    rnd.shuffle(shuffled)
    assert decisions(policy, images) == decisions(policy, shuffled)


@FAST
@given(policies(), states())
def test_no_image_is_acted_on_twice_and_only_by_its_owner(policy, images):
    result = evaluate(policy, images, NOW)
    compiled = compile_policy(policy)
    acted = [d.digest for r in compiled.rules for d in result.by_rule(r.index)]
    assert len(acted) == len(set(acted)) == len(result.acted())
    for d in result.acted():
        assert d.rule is d.owner
        assert d.digest in result.marks[d.rule.index]
        # No higher-priority rule selects it: the owner is the first rule that does.
        for r in compiled.rules:
            if r.priority < d.rule.priority:
                assert d.digest not in result.selected[r.index]


@FAST
@given(policies(), states())
def test_count_rule_never_expires_its_newest_images(policy, images):
    result = evaluate(policy, images, NOW)
    by_digest = {i.digest: i for i in images}
    for r in compile_policy(policy).rules:
        if r.count_type != COUNT_MORE_THAN:
            continue
        selected = sorted(
            (by_digest[d] for d in result.selected[r.index]), key=lambda i: (-i.pushed_at.timestamp(), i.digest)
        )
        newest = {i.digest for i in selected[: r.count_number]}
        assert not newest & set(result.marks[r.index])
        assert not newest & {d.digest for d in result.by_rule(r.index)}


@FAST
@given(policies(since_only=True), states(), st.integers(0, 24 * 20))
def test_expiring_is_monotone_in_time_for_since_image_pushed(policy, images, hours):
    before = evaluate(policy, images, NOW).expired()
    after = evaluate(policy, images, NOW + timedelta(hours=hours)).expired()
    assert before <= after


@FAST
@given(policies(), states(), st.integers(0, 24 * 20))
def test_expiring_is_monotone_in_time_for_any_policy(policy, images, hours):
    # Count rules do not read the clock; every since* rule only marks more as time passes.
    before = evaluate(policy, images, NOW)
    after = evaluate(policy, images, NOW + timedelta(hours=hours))
    assert before.expired() <= after.expired()
    assert before.transitioned() <= after.transitioned()


PROTECTED = (glob_entry("latest"),)


@FAST
@given(policies(), states())
def test_exact_analysis_is_sound(policy, images):
    """What the analysis proves impossible never happens in a generated state."""
    compiled = compile_policy(policy)
    space = tag_space(compiled, PROTECTED)
    result = evaluate(compiled, images, NOW)
    by_digest = {i.digest: i for i in images}
    for r in compiled.rules:
        if is_shadowed(compiled, r, space):
            assert not result.by_rule(r.index), f"{r.label} was proven never to act"
        if protected_tag_counterexample(compiled, r, PROTECTED, space) is None:
            assert not any(
                d.action == "expire" and "latest" in by_digest[d.digest].tags for d in result.by_rule(r.index)
            ), f"{r.label} was proven never to expire latest"
    if emptying_counterexample(compiled, space) is None and images:
        newest = max(images, key=lambda i: i.pushed_at)
        emptied = len(result.expired()) == len(images)
        assert not (newest.tags and emptied), "the policy was proven never to empty the repository"


@FAST
@given(policies())
def test_exact_witnesses_show_what_they_claim(policy):
    compiled = compile_policy(policy)
    space = tag_space(compiled, PROTECTED)
    for r in compiled.rules:
        found = protected_tag_counterexample(compiled, r, PROTECTED, space)
        if found is not None:
            target = found.evaluation.decisions[found.focus[0]]
            assert target.action == "expire" and target.rule.index == r.index
            assert "latest" in next(i for i in found.images if i.digest == found.focus[0]).tags
    found = emptying_counterexample(compiled, space)
    if found is not None:
        assert found.images[-1].tags and len(found.evaluation.expired()) == len(found.images)


def _random_policies(count: int, seed: int) -> list[dict]:
    """Policies from a seeded generator (not @given: each runs three Hypothesis searches itself)."""
    rnd = random.Random(seed)
    out = []
    while len(out) < count:
        rules = []
        for n in range(rnd.randint(1, 3)):
            kwargs = {}
            status = rnd.choice(["tagged", "tagged", "untagged"]) if n == 0 else "tagged"
            if status == "tagged":
                key = "prefixes" if rnd.random() < 0.5 else "patterns"
                kwargs[key] = rnd.sample(PREFIXES if key == "prefixes" else PATTERNS, rnd.randint(1, 2))
            if rnd.random() < 0.5:
                rules.append(rule(n + 1, status, "sinceImagePushed", rnd.randint(1, 9), **kwargs))
            else:
                rules.append(rule(n + 1, status, "imageCountMoreThan", rnd.randint(1, 4), **kwargs))
        if rnd.random() < 0.5:
            rules.append(rule(len(rules) + 1, "any", rnd.choice(["sinceImagePushed", "imageCountMoreThan"]), 3))
        policy = {"rules": rules}
        if not validate(parse_json_value(dumps(policy), "p.json")):
            out.append(policy)
    return out


def _realistic_exact(compiled, r, space):
    if r.count_type == COUNT_MORE_THAN:
        return later_pushes_counterexample(compiled, r, PROTECTED, space)
    return protected_tag_counterexample(compiled, r, PROTECTED, space)


def test_search_agrees_with_the_exact_analysis():
    """Every reported counterexample is real, and the search finds one wherever the analysis does, for
    both kinds of histories."""
    for policy in _random_policies(12, seed=7):
        compiled = compile_policy(policy)
        space = tag_space(compiled, PROTECTED)
        exact = {
            "any": {r.index for r in compiled.rules if protected_tag_counterexample(compiled, r, PROTECTED, space)},
            "realistic": {r.index for r in compiled.rules if _realistic_exact(compiled, r, space)},
        }
        for histories, expected in exact.items():
            results = protected_tags(policy, ("latest",), 100, histories).results
            assert {x.rule.index for x in results} == expected, (histories, policy)
            for x in results:
                image = next(i for i in x.example.images if i.digest == x.example.focus[0])
                assert "latest" in image.tags
                assert x.example.evaluation.decisions[image.digest].rule.index == x.rule.index
                if histories == "realistic":
                    assert protected_image_history(x.example.images, image.digest, PROTECTED, space.entries)
        assert exact["realistic"] <= exact["any"]
        exact_403 = {r.index for r in compiled.rules if is_shadowed(compiled, r, space)}
        assert {x.rule.index for x in never_applies(policy, 100).results} == exact_403, policy
        emptied = can_empty(policy, 100).results
        assert bool(emptied) == (emptying_counterexample(compiled, space) is not None), policy
        emptied_any = can_empty(policy, 100, "any").results
        assert bool(emptied_any) == (emptying_counterexample(compiled, space, tagged=False) is not None), policy


@st.composite
def pushes_after_latest(draw):
    """An image tagged latest (and maybe more), then tagged pushes a few hours apart: the histories in
    which a count rule may expire latest."""
    free = [t for t in TAG_POOL if t != "latest"]
    own = draw(st.lists(st.sampled_from(free), max_size=2, unique=True))
    free = [t for t in free if t not in own]
    images = [Image("sha256:0000", ("latest", *own), NOW - timedelta(hours=100))]
    for n in range(1, draw(st.integers(1, 5)) + 1):
        if not free:
            break
        tags = draw(st.lists(st.sampled_from(free), min_size=1, max_size=2, unique=True))
        free = [t for t in free if t not in tags]
        images.append(Image(f"sha256:{n:04d}", tuple(tags), NOW - timedelta(hours=100 - 10 * n)))
    return images


@settings(FAST, max_examples=150)  # expiring latest is rare among drawn states: more of them
@given(policies(), pushes_after_latest())
def test_realistic_analysis_is_sound(policy, images):
    """Where the analysis finds no realistic history in which a count rule expires latest, a generated
    realistic history does not show one either."""
    compiled = compile_policy(policy)
    space = tag_space(compiled, PROTECTED)
    result = evaluate(compiled, images, NOW)
    for r in compiled.rules:
        if r.count_type != COUNT_MORE_THAN:
            continue
        try:
            if later_pushes_counterexample(compiled, r, PROTECTED, space) is not None:
                continue
        except Undecidable:
            continue
        for d in result.by_rule(r.index):
            image = next(i for i in images if i.digest == d.digest)
            if d.action == "expire" and "latest" in image.tags:
                assert not protected_image_history(images, image.digest, PROTECTED, space.entries), r.label


def test_floors_are_lower_bounds_for_the_search():
    """The sizes below which no counterexample exists hold for what the search finds, so skipping the
    search for a witness at its floor never hides a smaller one."""
    from ecrlint.lifecycle.analysis import Counterexample, emptying_floor, protected_floor
    from ecrlint.lifecycle.search import SearchSpace, find_state

    checked = realistic_checked = 0
    for policy in _random_policies(16, seed=11):
        compiled = compile_policy(policy)
        space = tag_space(compiled, PROTECTED)
        search = SearchSpace(compiled, PROTECTED, space)
        for r in compiled.rules:
            if protected_tag_counterexample(compiled, r, PROTECTED, space) is None or not search.reaches(r):
                continue

            def expires_latest(images, result, r=r):
                return any(
                    result.decisions[i.digest].action == "expire"
                    and result.decisions[i.digest].rule.index == r.index
                    and "latest" in i.tags
                    for i in images
                )

            found = find_state(search, expires_latest, 150, focus=r, focus_tags=search.protected)
            assert found is not None, policy
            size = Counterexample(found[0], found[1], r, ()).size
            assert size >= protected_floor(r, PROTECTED, space), policy
            checked += 1
            if r.count_type == COUNT_MORE_THAN:

                def realistic(images, result, expires_latest=expires_latest, space=space):
                    return expires_latest(images, result) and protected_image_history(
                        images, images[0].digest, PROTECTED, space.entries
                    )

                found = find_state(search, realistic, 150, focus=r, focus_tags=search.protected, tagged_after=True)
                if found is not None:
                    size = Counterexample(found[0], found[1], r, ()).size
                    assert size >= protected_floor(r, PROTECTED, space, tagged_later=True), policy
                    realistic_checked += 1
        if emptying_counterexample(compiled, space) is not None:

            def emptied(images, result):
                return bool(images) and bool(images[-1].tags) and len(result.expired()) == len(images)

            found = find_state(SearchSpace(compiled, (), space), emptied, 150)
            assert found is not None, policy
            assert Counterexample(found[0], found[1], compiled.rules[0], ()).size >= emptying_floor(compiled, space)
            checked += 1
    assert checked >= 10 and realistic_checked >= 3
