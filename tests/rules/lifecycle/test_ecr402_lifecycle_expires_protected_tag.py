"""ECR402: unit tests of the check (moved from tests/lifecycle/test_checks.py)."""

from __future__ import annotations

import json

from ecrlint.lifecycle.policy import compile_policy
from tests.lifecycle.helpers import SAFE, SINCE_ANY, matches, rule

AWS_RELEASE_EXAMPLE = {
    "rules": [
        rule(1, "tagged", "imageCountMoreThan", 30, prefixes=["release"]),
        rule(2, "untagged", "sinceImagePushed", 1),
    ]
}


def test_402_since_pushed_over_any():
    [m] = matches("ECR402", SINCE_ANY)
    assert m.message == (
        'rule 1 can expire an image tagged "latest" (protected) even as the newest image, once nothing has '
        "been pushed for more than 30 days: with images A[latest] 31d, rule 1 expires A (pushed 31d ago, more "
        "than 30 days)"
    )
    assert m.severity is None  # the rule's own: high, the outage of a quiet repository
    assert m.details["pushed_after"] == 0
    assert m.pointer == "rules[0]"
    assert m.span.start_line == 3  # the rule object
    assert m.details["protected_tag"] == "latest"
    assert m.details["images"][0]["tags"] == ["latest"]
    assert m.details["images"][0]["pushed_days_ago"] == 31
    assert m.details["images"][0]["result"] == "expire"
    json.dumps(m.details)  # JSON output needs plain data


def test_402_count_over_any_needs_branch_builds_and_is_medium():
    [m] = matches("ECR402", {"rules": [rule(1, "any", "imageCountMoreThan", 3)]})
    assert m.message == (
        'rule 1 can expire an image tagged "latest" (protected) once 3 images are pushed after it by other '
        "pipelines, such as branch builds: with images A[latest] 3d, B[x1] 2d, C[x2] 1d, D[x3] 0d, rule 1 "
        "expires A (4th newest of 4 selected, keeps 3)"
    )
    assert m.severity == "medium"
    assert m.details["image_count"] == 4 and m.details["pushed_after"] == 3
    assert m.details["histories"] == "realistic"


def test_402_any_histories_show_the_smallest_state_of_all():
    [m] = matches("ECR402", {"rules": [rule(1, "any", "imageCountMoreThan", 3)]}, lifecycle_histories="any")
    assert m.message == (
        'rule 1 can expire an image tagged "latest" (protected) once 3 images are pushed after it: with images '
        "A[latest] 3d, B(untagged) 2d, C(untagged) 1d, D(untagged) 0d, rule 1 expires A (4th newest of 4 "
        "selected, keeps 3)"
    )
    assert m.severity == "medium"


def test_402_release_count_is_quiet_when_the_release_pipeline_moves_latest():
    # `latest` rides on the newest release image: a later release push would have taken it, and untagged
    # images are older than the image that took their tag. No realistic history expires it.
    assert matches("ECR402", AWS_RELEASE_EXAMPLE) == []
    [m] = matches("ECR402", AWS_RELEASE_EXAMPLE, lifecycle_histories="any")
    assert "A[release,latest] 30d, B[release1] 29d" in m.message


def test_402_release_count_fires_when_another_pipeline_pushes_that_kind_of_tag():
    # Release candidates match the release rule but are another kind of tag: another pipeline pushes them.
    policy = {
        "rules": [
            rule(1, "tagged", "imageCountMoreThan", 3, prefixes=["release"]),
            rule(2, "tagged", "imageCountMoreThan", 3, prefixes=["release-candidate"]),
        ]
    }
    [m] = matches("ECR402", policy)
    assert m.pointer == "rules[0]" and m.severity == "medium"
    assert "A[release,latest] 3d, B[release-candidate1] 2d" in m.message
    assert 'once 3 images it selects (tags with prefix "release") are pushed after it by other pipelines' in m.message


def test_402_protected_series_of_tags_may_follow_each_other():
    # `release-*` names every release: a newer release does not move the older one's tag.
    policy = {"rules": [rule(1, "tagged", "imageCountMoreThan", 2, patterns=["release-*"])]}
    [m] = matches("ECR402", policy, protected_tags=("release-*",))
    assert m.severity == "medium"
    assert m.details["images"][0]["tags"] == ["release-"]


def test_402_counterexamples_are_realistic_histories():
    from ecrlint.lifecycle.histories import protected_image_history
    from ecrlint.lifecycle.tags import glob_entry

    policy = {
        "rules": [
            rule(1, "tagged", "imageCountMoreThan", 2, prefixes=["a", "b"]),
            rule(2, "tagged", "sinceImagePushed", 4, patterns=["*b"]),
            rule(3, "any", "imageCountMoreThan", 3),
        ]
    }
    from ecrlint.lifecycle.properties import protected_tags

    outcome = protected_tags(policy, ("latest",), 100)
    assert outcome.results and not outcome.undecided
    globs = (glob_entry("latest"),)
    entries = (*(e for r in compile_policy(policy).rules for e in r.entries), *globs)
    for result in outcome.results:
        images = result.example.images
        assert protected_image_history(images, result.example.focus[0], globs, entries), result.rule


def test_402_protected_by_an_earlier_rule():
    assert matches("ECR402", SAFE) == []


def test_402_configurable_globs():
    policy = {"rules": [rule(1, "tagged", "sinceImagePushed", 90, patterns=["release-*"])]}
    [m] = matches("ECR402", policy, protected_tags=("release-*",))
    assert m.message.startswith('rule 1 can expire an image tagged "release-')
    assert matches("ECR402", policy, protected_tags=()) == []
    claimed = {"rules": [rule(1, "tagged", "imageCountMoreThan", 1, patterns=["stable"]), *policy["rules"]]}
    claimed["rules"][1]["rulePriority"] = 2
    assert matches("ECR402", claimed, protected_tags=("stable",)) == []


def test_402_latest_also_carrying_a_selected_tag():
    # An image tagged both latest and release-7 belongs to the release rule.
    policy = {"rules": [rule(1, "tagged", "sinceImagePushed", 90, prefixes=["release-"])]}
    [m] = matches("ECR402", policy)
    assert "A[release-,latest] 91d" in m.message


def test_402_one_finding_per_rule():
    policy = {
        "rules": [
            rule(1, "tagged", "sinceImagePushed", 30, prefixes=["feature"]),
            rule(2, "any", "imageCountMoreThan", 5),
        ]
    }
    found = matches("ECR402", policy)
    assert [m.pointer for m in found] == ["rules[0]", "rules[1]"]


def test_small_budget_still_reports():
    [m] = matches("ECR402", SINCE_ANY, lifecycle_budget=1)
    assert "A[latest]" in m.message


def test_details_of_a_large_counterexample_list_both_ends_and_the_focus():
    policy = {"rules": [rule(1, "tagged", "imageCountMoreThan", 30, prefixes=["v"])]}
    [m] = matches("ECR402", policy, lifecycle_histories="any")
    assert m.details["image_count"] == 31
    assert [row["image"] for row in m.details["images"]] == ["A", "B", "C", "D", "E", "AA", "AB", "AC", "AD", "AE"]
    assert m.details["images_left_out"] == 21
    assert m.details["focus"] == ["A"]
