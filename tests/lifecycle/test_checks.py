"""The four lifecycle checks on model objects built directly (no pipeline)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ecrlint.findings import Match, Undecided
from ecrlint.lifecycle.policy import compile_policy
from ecrlint.lifecycle.properties import clear_cache
from ecrlint.model import Model, Repository, RepositoryCreationTemplate
from ecrlint.parse.json import parse_json_value
from ecrlint.source import Span
from ecrlint.values import Branch, Branches, Value, known, unknown

from .helpers import CHECKS, dumps, policy_model, rule, run_check

RULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "rules", "lifecycle")
SPAN = Span("main.tf", 1, 1, 1, 1)

SINCE_ANY = {"rules": [rule(1, "any", "sinceImagePushed", 30)]}
SAFE = {
    "rules": [
        rule(1, "tagged", "imageCountMoreThan", 1, patterns=["latest"]),
        rule(2, "untagged", "sinceImagePushed", 14),
        rule(3, "tagged", "imageCountMoreThan", 30, patterns=["v*"]),
    ]
}
SHADOWED = {
    "rules": [
        rule(1, "tagged", "imageCountMoreThan", 20, prefixes=["release"]),
        rule(2, "tagged", "sinceImagePushed", 7, prefixes=["release-hotfix"]),
    ]
}


def matches(rule_id: str, policy, **options) -> list[Match]:
    text = policy if isinstance(policy, str) else dumps(policy)
    return [m for m in run_check(rule_id, text, **options) if isinstance(m, Match)]


def _policy_fixtures():
    for folder in sorted(os.listdir(RULES_DIR)):
        tests = os.path.join(RULES_DIR, folder, "tests")
        for name in sorted(os.listdir(tests)):
            if name.endswith(".policy.json"):
                yield pytest.param(folder[:6], os.path.join(tests, name), id=f"{folder[:6]}/{name}")


@pytest.mark.parametrize("rule_id, path", list(_policy_fixtures()))
def test_policy_fixtures(rule_id, path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    found = [m for m in run_check(rule_id, policy_model(text, os.path.basename(path))) if isinstance(m, Match)]
    if os.path.basename(path).startswith("bad_"):
        assert found, f"{rule_id} did not fire on {path}"
    else:
        assert not found, [m.message for m in found]


# -- ECR401 ------------------------------------------------------------------------------
def test_401_each_violation_located():
    policy = {"rules": [rule(1, "any", "imageCountMoreThan", 10), rule(2, "untagged", "sinceImagePushed", 7)]}
    [m] = matches("ECR401", policy)
    assert m.pointer == "rules[0].rulePriority"
    assert m.span.start_line == 4  # "rulePriority": 1 of the first rule in the indented JSON
    assert "highest rulePriority" in m.message


def test_401_text_that_is_not_json():
    obj = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    obj.inline_lifecycle_policy = known('{"rules": [}', Span("t.yaml", 9, 30, 9, 44))
    [m] = [x for x in CHECKS["ECR401"](Model([obj]), _ctx()) if isinstance(x, Match)]
    assert m.pointer == "lifecycle_policy"
    assert m.message.startswith("the lifecycle policy is not valid JSON")
    assert m.span == Span("t.yaml", 9, 30, 9, 44)


def test_401_quiet_on_valid_policy():
    assert matches("ECR401", SAFE) == []


# -- ECR402 ------------------------------------------------------------------------------
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


AWS_RELEASE_EXAMPLE = {
    "rules": [
        rule(1, "tagged", "imageCountMoreThan", 30, prefixes=["release"]),
        rule(2, "untagged", "sinceImagePushed", 1),
    ]
}


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


# -- ECR403 ------------------------------------------------------------------------------
def test_403_shadowed_prefix():
    [m] = matches("ECR403", SHADOWED)
    assert m.pointer == "rules[1].selection"
    assert m.message == (
        'rule 2 never expires any image: every image it selects (tags with prefix "release-hotfix") is claimed '
        'first by rule 1 (tags with prefix "release"); e.g. with images A[release-hotfix1] 8d, rule 2 would '
        "expire A (pushed 8d ago, more than 7 days) but rule 1 claims it"
    )
    assert m.details["claimed_by"] == ["rules[0]"]


def test_403_joint_shadowing_of_any():
    # Neither higher rule alone claims every image, together they do.
    policy = {
        "rules": [
            rule(1, "untagged", "imageCountMoreThan", 5),
            rule(2, "tagged", "imageCountMoreThan", 5, patterns=["*"]),
            rule(3, "any", "sinceImagePushed", 30),
        ]
    }
    [m] = matches("ECR403", policy)
    assert m.pointer == "rules[2].selection"
    assert "claimed first by higher-priority rules" in m.message


def test_403_not_shadowed_when_order_is_right():
    policy = {"rules": [SHADOWED["rules"][1] | {"rulePriority": 1}, SHADOWED["rules"][0] | {"rulePriority": 2}]}
    assert matches("ECR403", policy) == []


def test_403_pattern_needing_both_tags_is_not_shadowed_by_one():
    policy = {
        "rules": [
            rule(1, "tagged", "imageCountMoreThan", 5, patterns=["alpha*", "beta*"]),
            rule(2, "tagged", "sinceImagePushed", 5, patterns=["alpha*"]),
        ]
    }
    assert matches("ECR403", policy) == []


# -- ECR404 ------------------------------------------------------------------------------
def test_404_since_pushed_over_any():
    [m] = matches("ECR404", SINCE_ANY)
    assert m.message == (
        "the policy can expire every image in the repository: with images A[x] 31d, "
        "rule 1 expires A (pushed 31d ago, more than 30 days)"
    )
    assert m.pointer == "rules[0]"


def test_404_quiet_when_counts_keep_the_newest():
    assert matches("ECR404", SAFE) == []
    policy = {"rules": [rule(1, "untagged", "sinceImagePushed", 1), rule(2, "any", "imageCountMoreThan", 3)]}
    assert matches("ECR404", policy) == []


def test_404_archive_then_expire():
    policy = {
        "rules": [
            rule(1, "any", "sinceImagePushed", 30, action="transition"),
            rule(2, "any", "sinceImageTransitioned", 365, storage="archive"),
        ]
    }
    [m] = matches("ECR404", policy)
    assert m.pointer == "rules[1]"
    assert "archived 366d ago" in m.message


# -- where policies live, unknowns, branches -------------------------------------------------
def _ctx(**options):
    from ecrlint.checks import CheckContext, Options

    return CheckContext(Options(**options))


def _doc(policy) -> Value:
    return parse_json_value(dumps(policy), "main.tf")


def test_repository_and_template_sources():
    repo = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    repo.inline_lifecycle_policy = _doc(SINCE_ANY)
    template = RepositoryCreationTemplate(
        address="aws_ecr_repository_creation_template.t", span=SPAN, source_format="terraform"
    )
    template.lifecycle_policy = _doc(SHADOWED)
    model = Model([repo, template])
    found = [m for m in CHECKS["ECR402"](model, _ctx()) if isinstance(m, Match)]
    assert [(m.address, m.pointer) for m in found] == [
        ("Resources.Repo", "lifecycle_policy.rules[0]"),
        ("aws_ecr_repository_creation_template.t", "lifecycle_policy.rules[0]"),
    ]
    found = [m for m in CHECKS["ECR403"](model, _ctx()) if isinstance(m, Match)]
    assert [(m.address, m.pointer) for m in found] == [
        ("aws_ecr_repository_creation_template.t", "lifecycle_policy.rules[1].selection")
    ]


@pytest.mark.parametrize("rule_id", sorted(CHECKS))
def test_unknown_document_is_undecided(rule_id):
    repo = Repository(address="aws_ecr_repository.r", span=SPAN, source_format="terraform")
    repo.inline_lifecycle_policy = unknown("file() of a path outside the scanned root", SPAN)
    out = list(CHECKS[rule_id](Model([repo]), _ctx()))
    assert out and all(isinstance(x, Undecided) for x in out)
    assert out[0].reason == "file() of a path outside the scanned root"


@pytest.mark.parametrize("rule_id", ["ECR402", "ECR403", "ECR404"])
def test_invalid_policy_is_not_analysed(rule_id):
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 30), rule(2, "any", "sinceImagePushed", 30)]}
    assert matches(rule_id, policy) == []
    assert matches("ECR401", policy)


def test_unresolved_count_is_undecided_for_the_analysis():
    doc = _doc(SINCE_ANY)
    doc.data["rules"].data[0].data["selection"].data["countNumber"] = unknown("var.days has no default", SPAN)
    repo = Repository(address="aws_ecr_repository.r", span=SPAN, source_format="terraform")
    repo.inline_lifecycle_policy = doc
    out = list(CHECKS["ECR404"](Model([repo]), _ctx()))
    assert [type(x).__name__ for x in out] == ["Undecided"]
    assert out[0].reason == "var.days has no default"
    assert [x for x in CHECKS["ECR401"](Model([repo]), _ctx()) if isinstance(x, Match)] == []


def test_branches_name_the_outcome():
    repo = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    repo.inline_lifecycle_policy = Value(
        Branches(
            (
                Branch("condition IsProd is true", _doc(SAFE)),
                Branch("condition IsProd is false", _doc(SINCE_ANY)),
            )
        ),
        SPAN,
    )
    found = [m for m in CHECKS["ECR404"](Model([repo]), _ctx()) if isinstance(m, Match)]
    assert len(found) == 1
    assert found[0].message.endswith("(when condition IsProd is false)")


def test_finding_in_every_branch_is_reported_once():
    repo = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    bad = {"rules": [rule(1, "any", "imageCountMoreThan", 10), rule(2, "untagged", "sinceImagePushed", 7)]}
    other = json.loads(json.dumps(bad))
    other["rules"][1]["selection"]["countNumber"] = 14
    repo.inline_lifecycle_policy = Value(
        Branches((Branch("condition A is true", _doc(bad)), Branch("condition A is false", _doc(other)))), SPAN
    )
    found = [m for m in CHECKS["ECR401"](Model([repo]), _ctx()) if isinstance(m, Match)]
    assert [m.message for m in found] == [
        'a tagStatus "any" rule must have the highest rulePriority, but rules[1] has 2 and this one 1'
    ]


# -- determinism and cost --------------------------------------------------------------------
def test_search_results_do_not_change_between_runs():
    policy = {
        "rules": [rule(1, "tagged", "sinceImagePushed", 9, patterns=["*-rc*"]), rule(2, "any", "imageCountMoreThan", 4)]
    }
    first = [(m.pointer, m.message, m.details) for rid in ("ECR402", "ECR404") for m in matches(rid, policy)]
    clear_cache()
    second = [(m.pointer, m.message, m.details) for rid in ("ECR402", "ECR404") for m in matches(rid, policy)]
    assert first == second and first


SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.lifecycle.helpers import run_check
from ecrlint.findings import Match
text = {text!r}
heavy = "hypothesis" in sys.modules
out = [m.message for rid in ("ECR401", "ECR402", "ECR403", "ECR404") for m in run_check(rid, text) if isinstance(m, Match)]
print(json.dumps({{"messages": out, "hypothesis_at_start": heavy, "hypothesis": "hypothesis" in sys.modules}}))
"""


def _subprocess(policy: dict, tmp_path, seed: str) -> dict:
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("HYPOTHESIS_PROFILE", None)
    code = SCRIPT.format(root=root, text=dumps(policy))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_same_counterexamples_in_fresh_processes_and_no_files_written(tmp_path):
    policy = {
        # Later pushes may not carry a tag of the kind of latest's other tags, so the witness needs more tags
        # than the floor allows for: it is not proven minimal, and the search runs.
        "rules": [rule(1, "tagged", "imageCountMoreThan", 2, patterns=["a*", "*b"])]
    }
    a = _subprocess(policy, tmp_path, "1")
    b = _subprocess(policy, tmp_path, "2")
    assert a["messages"] == b["messages"] and a["messages"]
    assert a["hypothesis"]  # the search ran
    assert list(tmp_path.iterdir()) == []  # no example database, no files


def test_hypothesis_is_not_imported_for_safe_policies(tmp_path):
    result = _subprocess(SAFE, tmp_path, "0")
    assert result["messages"] == []
    assert not result["hypothesis_at_start"] and not result["hypothesis"]


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
