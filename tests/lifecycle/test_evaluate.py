"""The evaluator against every AWS worked example (ecr-reference.md §2.5) and the evaluation rules."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ecrlint.lifecycle.evaluate import evaluate, format_age
from ecrlint.lifecycle.validate import validate
from ecrlint.parse.json import parse_json_value

from .helpers import NOW, acted, image, outcome, rule

# The example policies, verbatim from the AWS examples page.
E1 = """{"rules":[{"rulePriority":1,"description":"Expire images older than 14 days",
 "selection":{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":14},
 "action":{"type":"expire"}}]}"""
E2 = """{"rules":[{"rulePriority":1,"description":"Archive images not pulled in 90 days",
 "selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90},
 "action":{"type":"transition","targetStorageClass":"archive"}}]}"""
E3 = """{"rules":[{"rulePriority":1,"description":"Expire images archived for more than 365 days",
 "selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":365},
 "action":{"type":"expire"}}]}"""
E4 = """{"rules":[{"rulePriority":1,"description":"Keep only one untagged image, expire all others",
 "selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"""
E5 = """{"rules":[
 {"rulePriority":1,"description":"Rule 1","selection":{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
 {"rulePriority":2,"description":"Rule 2","selection":{"tagStatus":"tagged","tagPatternList":["beta*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"""
E6 = """{"rules":[
 {"rulePriority":1,"description":"Rule 1","selection":{"tagStatus":"tagged","tagPatternList":["beta*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
 {"rulePriority":2,"description":"Rule 2","selection":{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"""
E7 = """{"rules":[{"rulePriority":1,"description":"Rule 1","selection":{"tagStatus":"tagged","tagPatternList":["alpha*","beta*"],
 "countType":"sinceImagePushed","countNumber":5,"countUnit":"days"},"action":{"type":"expire"}}]}"""
E8 = """{"rules":[{"rulePriority":1,"description":"Rule 1","selection":{"tagStatus":"tagged","tagPatternList":["alpha*","beta*"],
 "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"""
E9 = """{"rules":[{"rulePriority":1,"description":"Rule 1","selection":{"tagStatus":"any",
 "countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"""
E10 = """{"rules":[
 {"rulePriority":1,"description":"Rule 1","selection":{"tagStatus":"tagged","tagPatternList":["alpha*"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
 {"rulePriority":2,"description":"Rule 2","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}},
 {"rulePriority":3,"description":"Rule 3","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"""
E11 = """{"rules":[{"rulePriority":1,"description":"Archive production images older than 30 days",
 "selection":{"tagStatus":"tagged","tagPatternList":["prod*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":30},
 "action":{"type":"transition","targetStorageClass":"archive"}}]}"""
E12 = """{"rules":[
 {"rulePriority":1,"description":"Archive images older than 30 days",
  "selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30},
  "action":{"type":"transition","targetStorageClass":"archive"}},
 {"rulePriority":2,"description":"Expire images archived for more than 365 days",
  "selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":365},
  "action":{"type":"expire"}}]}"""

EXAMPLES = {
    "E1": E1,
    "E2": E2,
    "E3": E3,
    "E4": E4,
    "E5": E5,
    "E6": E6,
    "E7": E7,
    "E8": E8,
    "E9": E9,
    "E10": E10,
    "E11": E11,
    "E12": E12,
}


def load(text: str) -> dict:
    return json.loads(text)


def as_prefix(text: str) -> dict:
    """The 2023 version of the multi-rule examples: tagPrefixList with the pattern's literal part."""
    policy = load(text)
    for r in policy["rules"]:
        patterns = r["selection"].pop("tagPatternList", None)
        if patterns is not None:
            r["selection"]["tagPrefixList"] = [p.rstrip("*") for p in patterns]
    return policy


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_aws_examples_are_valid(name):
    assert validate(parse_json_value(EXAMPLES[name], "p.json")) == []


# -- E1-E4: single rules -----------------------------------------------------------------
def test_e1_filtering_on_image_age():
    images = [image("old-prod", ["prod-1"], 20), image("edge-prod", ["prod-2"], 14), image("beta", ["beta-1"], 30)]
    assert acted(load(E1), images) == {"old-prod": ("expire", 1)}


def test_e2_filtering_on_last_pull_time():
    images = [
        image("pulled-long-ago", ["a"], 200, pulled=100),
        image("never-pulled", [], 95),
        image("pulled-recently", ["b"], 200, pulled=10),
        image("restored-not-pulled-since", ["c"], 300, pulled=120, activated=30),
    ]
    assert acted(load(E2), images) == {"pulled-long-ago": ("transition", 1), "never-pulled": ("transition", 1)}


def test_e3_filtering_on_archive_time():
    images = [
        image("archived-long", ["a"], 500, storage_class="archive", archived=400),
        image("archived-recently", ["b"], 500, storage_class="archive", archived=100),
        image("standard-old", ["c"], 1000),
    ]
    assert acted(load(E3), images) == {"archived-long": ("expire", 1)}


def test_e4_filtering_on_image_count():
    images = [image("u1", [], 3), image("u2", [], 2), image("tagged", ["v1"], 10)]
    assert acted(load(E4), images) == {"u1": ("expire", 1)}


# -- E5-E10: multiple rules and tags -------------------------------------------------------
REPO_5 = [image("A", ["beta-1", "prod-1"], 10), image("B", ["beta-2", "prod-2"], 9), image("C", ["beta-3"], 8)]


@pytest.mark.parametrize("convert", [load, as_prefix], ids=["pattern", "prefix-2023"])
def test_e5_multiple_rules_example_a(convert):
    # Rule 2 would mark A and B, but B matches rule 1's tags, so it is skipped.
    assert acted(convert(E5), REPO_5) == {"A": ("expire", 1)}


@pytest.mark.parametrize("convert", [load, as_prefix], ids=["pattern", "prefix-2023"])
def test_e6_multiple_rules_example_b(convert):
    assert acted(convert(E6), REPO_5) == {"A": ("expire", 1), "B": ("expire", 1)}


REPO_7 = [
    image("A", ["alpha-1"], 12),
    image("B", ["beta-1"], 11),
    image("C", ["alpha-2", "beta-2"], 10),
    image("D", ["alpha-3"], 4),
    image("E", ["beta-3"], 3),
    image("F", ["alpha-4", "beta-4"], 2),
]


@pytest.mark.parametrize("convert", [load, as_prefix], ids=["pattern", "prefix-2023"])
def test_e7_multiple_tags_example_a(convert):
    result = evaluate(convert(E7), REPO_7, NOW)
    assert result.selected[0] == ["C", "F"]  # both patterns are needed
    assert acted(convert(E7), REPO_7) == {"C": ("expire", 1)}


@pytest.mark.parametrize("convert", [load, as_prefix], ids=["pattern", "prefix-2023"])
def test_e8_tags_are_not_exclusive(convert):
    repo = [
        image("A", ["alpha-1", "beta-1", "gamma-1"], 10),
        image("B", ["alpha-2", "beta-2"], 9),
        image("C", ["alpha-3", "beta-3", "gamma-2"], 8),
    ]
    assert acted(convert(E8), repo) == {"A": ("expire", 1), "B": ("expire", 1)}


def test_e9_all_images():
    repo = [image("A", ["alpha-1"], 4), image("B", ["beta-1"], 3), image("C", [], 2), image("D", ["alpha-2"], 1)]
    assert acted(load(E9), repo) == {"A": ("expire", 1), "B": ("expire", 1), "C": ("expire", 1)}


# E, the youngest, is pushed exactly one day ago; D an hour before it (AWS gives both as "1 day").
REPO_10 = [
    image("A", ["alpha-1", "beta-1"], 4),
    image("B", [], 3),
    image("C", ["alpha-2"], 2),
    image("D", ["git hash"], 1 + 1 / 24),
    image("E", [], 1),
]


@pytest.mark.parametrize("convert", [load, as_prefix], ids=["pattern", "prefix-2023"])
def test_e10_all_rule_types(convert):
    result = evaluate(convert(E10), REPO_10, NOW)
    assert result.selected[0] == ["A", "C"]
    assert set(result.marks[0]) == {"A"}
    assert result.selected[1] == ["B", "E"]
    assert set(result.marks[1]) == {"B"}  # E is exactly one day old: not older than 1 day
    assert set(result.marks[2]) == {"A", "B", "C", "D"}  # rule 3 still counts what rules 1 and 2 claim
    assert acted(convert(E10), REPO_10) == {"A": ("expire", 1), "B": ("expire", 2), "D": ("expire", 3)}


# -- E11-E12: archive ----------------------------------------------------------------------
def test_e11_archive_production_images():
    repo = [image("old", ["prod-1"], 31), image("edge", ["prod-2"], 30), image("dev", ["dev-1"], 90)]
    assert acted(load(E11), repo) == {"old": ("transition", 1)}


def test_e12_archive_then_expire():
    repo = [
        image("standard-old", ["a"], 31),
        image("standard-new", ["b"], 10),
        image("archived-long", ["c"], 500, storage_class="archive", archived=366),
        image("archived-new", ["d"], 500, storage_class="archive", archived=100),
    ]
    assert acted(load(E12), repo) == {"standard-old": ("transition", 1), "archived-long": ("expire", 2)}


# -- the evaluation rules one by one -------------------------------------------------------
def test_since_boundary_is_strict():
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 3)]}
    images = [image("exact", [], 3), image("older", [], 3 + 1 / 86400)]
    assert acted(policy, images) == {"older": ("expire", 1)}


def test_count_keeps_the_newest_by_push_time_whatever_the_listing_order():
    policy = {"rules": [rule(1, "any", "imageCountMoreThan", 2)]}
    images = [image("mid", [], 5), image("new", [], 1), image("old", [], 9), image("newer", [], 0.5)]
    assert acted(policy, images) == {"mid": ("expire", 1), "old": ("expire", 1)}


def test_higher_rule_claims_images_it_keeps():
    # Rule 4: an image matching a higher rule's tags cannot be expired by a lower one.
    policy = {
        "rules": [rule(1, "tagged", "imageCountMoreThan", 10, prefixes=["v"]), rule(2, "any", "sinceImagePushed", 1)]
    }
    images = [image("release", ["v1"], 100), image("other", ["x"], 100)]
    assert acted(policy, images) == {"other": ("expire", 2)}
    result = evaluate(policy, images, NOW)
    assert "release" in result.marks[1]  # rule 2 identified it, as if not claimed (rule 5)
    assert result.decisions["release"].owner.priority == 1


def test_prefix_list_needs_every_prefix():
    policy = {"rules": [rule(1, "tagged", "sinceImagePushed", 1, prefixes=["a", "b"])]}
    images = [image("both", ["a1", "b1"], 5), image("one", ["a2"], 5), image("combined", ["ab"], 5)]
    # "ab" starts with "a" but not with "b".
    assert acted(policy, images) == {"both": ("expire", 1)}


def test_pattern_wildcards():
    policy = {"rules": [rule(1, "tagged", "sinceImagePushed", 1, patterns=["*prod*"])]}
    images = [image("a", ["repo-production"], 5), image("b", ["prod-team"], 5), image("c", ["pro-d"], 5)]
    assert acted(policy, images) == {"a": ("expire", 1), "b": ("expire", 1)}
    exact = {"rules": [rule(1, "tagged", "sinceImagePushed", 1, patterns=["prod"])]}
    assert acted(exact, [image("a", ["prod"], 5), image("b", ["prod1"], 5)]) == {"a": ("expire", 1)}


def test_storage_classes_are_separate():
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 1)]}
    images = [image("archived", ["a"], 50, storage_class="archive", archived=40), image("standard", ["b"], 50)]
    assert acted(policy, images) == {"standard": ("expire", 1)}


def test_restored_image_counts_from_its_restore_time():
    # Rule 9: after a restore, last_activated_at replaces the push time.
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 10)]}
    images = [image("restored", ["a"], 100, activated=2), image("plain", ["b"], 100)]
    assert acted(policy, images) == {"plain": ("expire", 1)}


def test_kept_images_say_why():
    policy = load(E10)
    result = evaluate(policy, REPO_10, NOW)
    assert result.decisions["C"].reason == "rule 1 keeps it (1 newest of 2 selected)"
    assert result.decisions["E"].reason.startswith("rule 2 keeps it (pushed 1d ago")
    assert result.decisions["A"].reason == "2nd newest of 2 selected, keeps 1"


def test_duplicate_digest_is_refused():
    with pytest.raises(ValueError):
        evaluate(load(E9), [image("A", [], 1), image("A", [], 2)], NOW)


def test_no_rule_selects():
    assert outcome(load(E1), [image("x", ["dev"], 100)]) == {"x": None}
    assert evaluate(load(E1), [image("x", ["dev"], 100)], NOW).decisions["x"].reason == "no rule selects it"


@pytest.mark.parametrize(
    "delta, text",
    [
        (timedelta(days=31), "31d"),
        (timedelta(days=2, hours=4), "2d 4h"),
        (timedelta(hours=5), "5h"),
        (timedelta(minutes=12), "12m"),
        (timedelta(0), "0d"),
    ],
)
def test_format_age(delta, text):
    assert format_age(delta) == text
