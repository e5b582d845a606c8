"""Which histories ECR402/ECR404 use, and the repositories a pull through cache serves."""

from __future__ import annotations

import json

import pytest

from ecrlint.findings import Match, Undecided
from ecrlint.lifecycle.histories import emptied_history, protected_image_history
from ecrlint.lifecycle.pull_through import served_by_cache
from ecrlint.lifecycle.tags import glob_entry, prefix_entry
from ecrlint.model import LifecyclePolicy, Model, PullThroughCacheRule, Repository, RepositoryCreationTemplate
from ecrlint.options import Options
from ecrlint.parse.json import parse_json_value
from ecrlint.rule_api import CheckContext
from ecrlint.source import Span
from ecrlint.values import known, unknown

from .helpers import CHECKS, dumps, image, rule

SPAN = Span("main.tf", 1, 1, 1, 1)
SINCE_ANY = {"rules": [rule(1, "any", "sinceImagePushed", 30)]}
LATEST = (glob_entry("latest"),)
KINDS = (prefix_entry("release"), prefix_entry("release-candidate"), *LATEST)


# -- the definition ----------------------------------------------------------------------------
def test_later_pushes_are_tagged_and_of_other_kinds():
    p = image("P", ["latest", "release-1"], days=5)
    assert protected_image_history([image("U", days=9), p, image("B", ["feature-x"], days=1)], "P", LATEST, KINDS)
    # an untagged image after latest: its tag must have moved to a newer push, which shows it tagged
    assert not protected_image_history([p, image("U", days=1)], "P", LATEST, KINDS)
    # the release pipeline would have moved latest to its next push
    assert not protected_image_history([p, image("B", ["release-2"], days=1)], "P", LATEST, KINDS)
    # release candidates are another kind of tag, pushed by another pipeline
    assert protected_image_history([p, image("B", ["release-candidate-1"], days=1)], "P", LATEST, KINDS)


def test_a_protected_series_may_follow_itself():
    series = (glob_entry("release-*"),)
    kinds = (prefix_entry("release"), *series)
    images = [image("P", ["release-1"], days=2), image("B", ["release-2"], days=1)]
    assert protected_image_history(images, "P", series, kinds)


def test_emptied_history_needs_a_tagged_newest_image():
    assert emptied_history((image("A", days=3), image("B", ["v1"], days=1)))
    assert not emptied_history((image("A", ["v1"], days=3), image("B", days=1)))


def test_404_any_histories_allow_an_untagged_newest_image():
    policy = {
        "rules": [
            rule(1, "untagged", "sinceImagePushed", 1),
            rule(2, "tagged", "imageCountMoreThan", 5, patterns=["*"]),
        ]
    }
    text = dumps(policy)
    assert _matches("ECR404", text) == []
    [m] = _matches("ECR404", text, lifecycle_histories="any")
    assert "A(untagged) 2d" in m.message


# -- pull through caches -------------------------------------------------------------------------
def _policy_for(repository_name, prefix, region=None, unit=None) -> Model:
    cache = PullThroughCacheRule(address="aws_ecr_pull_through_cache_rule.c", span=SPAN, source_format="terraform")
    cache.ecr_repository_prefix = prefix if not isinstance(prefix, str) else known(prefix, SPAN)
    if region:
        cache.region = known(region, SPAN)
    if unit:
        cache.extra["unit"] = unit
    policy = LifecyclePolicy(address="aws_ecr_lifecycle_policy.p", span=SPAN, source_format="terraform")
    policy.document = parse_json_value(dumps(SINCE_ANY), "main.tf")
    policy.repository = repository_name if not isinstance(repository_name, str) else known(repository_name, SPAN)
    return Model([cache, policy])


def _matches(rule_id, model_or_text, **options):
    model = model_or_text
    if isinstance(model_or_text, str):
        doc = parse_json_value(model_or_text, "p.json")
        model = Model([LifecyclePolicy(address="p.json", span=doc.span, source_format="json", document=doc)])
    return [m for m in CHECKS[rule_id](model, CheckContext(Options(**options))) if isinstance(m, Match)]


@pytest.mark.parametrize("rule_id", ["ECR402", "ECR404"])
def test_repository_under_a_cache_prefix_is_exempt(rule_id):
    assert _matches(rule_id, _policy_for("docker-hub/library/nginx", "docker-hub")) == []
    assert _matches(rule_id, _policy_for("arn:aws:ecr:eu-west-1:1:repository/docker-hub/nginx", "docker-hub")) == []
    # a name that merely starts with the prefix, a ROOT rule or a rule of another Region serves nothing here
    assert _matches(rule_id, _policy_for("docker-hub-mirror", "docker-hub"))
    assert _matches(rule_id, _policy_for("docker-hub/library/nginx", "ROOT"))
    other = _policy_for("docker-hub/library/nginx", "docker-hub", region="us-east-1")
    other.of(LifecyclePolicy)[0].region = known("eu-west-1", SPAN)
    assert _matches(rule_id, other)


def test_unknown_prefix_of_the_same_unit_is_undecided():
    model = _policy_for("app", unknown("var.prefix has no value", SPAN))
    out = list(CHECKS["ECR402"](model, CheckContext(Options())))
    assert out and all(isinstance(x, Undecided) for x in out)
    assert "pull through cache" in out[0].reason
    # a cache rule of another deployment unit may serve another registry: it leaves nothing open
    model = _policy_for("app", unknown("var.prefix has no value", SPAN), unit="elsewhere")
    assert _matches("ECR402", model)


@pytest.mark.parametrize(
    "applied, exempt",
    [(["PULL_THROUGH_CACHE"], True), (["PULL_THROUGH_CACHE", "REPLICATION"], False), (["CREATE_ON_PUSH"], False)],
)
def test_creation_template_applied_only_for_pull_through_cache(applied, exempt):
    template = RepositoryCreationTemplate(address="t", span=SPAN, source_format="terraform")
    template.applied_for = known([known(a, SPAN) for a in applied], SPAN)
    template.lifecycle_policy = parse_json_value(dumps(SINCE_ANY), "main.tf")
    model = Model([template])
    assert served_by_cache(model, template) == (exempt, None)
    assert bool(_matches("ECR402", model)) is not exempt


def test_creation_template_with_unknown_use_is_undecided():
    template = RepositoryCreationTemplate(address="t", span=SPAN, source_format="terraform")
    template.applied_for = unknown("var.applied_for has no value", SPAN)
    template.lifecycle_policy = parse_json_value(dumps(SINCE_ANY), "main.tf")
    served, reason = served_by_cache(Model([template]), template)
    assert not served and "pull through cache" in reason


def test_inline_policy_of_a_cached_repository_is_exempt():
    cache = PullThroughCacheRule(address="Resources.Cache", span=SPAN, source_format="cloudformation")
    cache.ecr_repository_prefix = known("quay", SPAN)
    repo = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    repo.name = known("quay/prometheus/node-exporter", SPAN)
    repo.inline_lifecycle_policy = parse_json_value(json.dumps(SINCE_ANY), "t.json")
    assert _matches("ECR402", Model([cache, repo])) == []
    assert _matches("ECR402", Model([repo]))


# -- the option ----------------------------------------------------------------------------------
AWS_RELEASE_EXAMPLE = {
    "rules": [
        rule(1, "tagged", "imageCountMoreThan", 30, prefixes=["release"]),
        rule(2, "untagged", "sinceImagePushed", 1),
    ]
}


def _check(tmp_path, capsys, *args, config: str | None = None) -> str:
    from ecrlint.cli import main

    (tmp_path / "lifecycle-policy.json").write_text(dumps(AWS_RELEASE_EXAMPLE), encoding="utf-8")
    if config is not None:
        (tmp_path / ".ecrlint.yaml").write_text(config, encoding="utf-8")
    main(["check", str(tmp_path), "--select", "ECR402", "--no-cache", "--format", "json", *args])
    return json.loads(capsys.readouterr().out)["findings"]


def test_histories_flag_and_config_key(tmp_path, capsys):
    assert _check(tmp_path, capsys) == []
    [finding] = _check(tmp_path, capsys, "--lifecycle-histories", "any")
    assert finding["severity"] == "medium" and finding["details"]["histories"] == "any"
    [finding] = _check(tmp_path, capsys, config="lifecycle-histories: any\n")
    assert finding["details"]["histories"] == "any"
    assert _check(tmp_path, capsys, "--lifecycle-histories", "realistic", config="lifecycle-histories: any\n") == []


def test_history_in_words_for_an_age_rule_with_later_pushes():
    # The search may show an age rule's counterexample with pushes after the protected image (when the
    # exact analysis cannot decide); the words then speak of the image's age, not of a quiet repository.
    from ecrlint.lifecycle.analysis import SEARCH_NOW, Counterexample
    from tests.rules import rule_module

    _history_text = rule_module("ECR402")._history_text
    from ecrlint.lifecycle.evaluate import DAY, Image, evaluate
    from ecrlint.lifecycle.policy import compile_policy
    from ecrlint.lifecycle.properties import ProtectedTagExpired

    compiled = compile_policy(SINCE_ANY)
    images = (Image("A", ("latest",), SEARCH_NOW - 31 * DAY), Image("B", ("x",), SEARCH_NOW - DAY))
    example = Counterexample(images, evaluate(compiled, images, SEARCH_NOW), compiled.rules[0], ("A",))
    result = ProtectedTagExpired(compiled.rules[0], example, "latest")
    assert _history_text(result, "realistic") == ("once it is more than 30 days old", 1)
    alone = Counterexample(images[:1], evaluate(compiled, images[:1], SEARCH_NOW), compiled.rules[0], ("A",))
    words, later = _history_text(ProtectedTagExpired(compiled.rules[0], alone, "latest"), "realistic")
    assert words.startswith("even as the newest image") and later == 0
