"""ECR401 validation: the schema and every cross-field and cross-rule constraint, each located."""

from __future__ import annotations

import json

import pytest

from ecrlint.lifecycle.schema import load_schema
from ecrlint.lifecycle.validate import evaluation_data, validate
from ecrlint.parse.json import parse_json_value
from ecrlint.source import Span
from ecrlint.values import known, unknown

from .helpers import rule


def problems(policy) -> list[tuple[str, str]]:
    text = policy if isinstance(policy, str) else json.dumps(policy, indent=1)
    return [(v.pointer, v.message) for v in validate(parse_json_value(text, "p.json"))]


def pointers(policy) -> list[str]:
    return sorted(p for p, _ in problems(policy))


def one(policy) -> tuple[str, str]:
    found = problems(policy)
    assert len(found) == 1, found
    return found[0]


def test_schema_file_is_a_valid_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(load_schema())


def test_good_policy_has_no_problems():
    policy = {
        "rules": [
            rule(1, "tagged", "imageCountMoreThan", 1, patterns=["latest"]),
            rule(2, "untagged", "sinceImagePushed", 14),
            rule(3, "tagged", "imageCountMoreThan", 30, prefixes=["v", "release"]),
            rule(4, "any", "imageCountMoreThan", 100),
        ]
    }
    assert problems(policy) == []


def test_not_json():
    doc = known('{"rules": [', Span("main.tf", 3, 12, 3, 24))
    [violation] = validate(doc)
    assert violation.message.startswith("the lifecycle policy is not valid JSON:")
    assert violation.value is doc
    assert violation.pointer == ""


def test_json_text_in_a_string_is_parsed():
    text = json.dumps({"rules": [rule(1, "any", "imageCountMoreThan", 1)]})
    assert validate(known(text, Span("t.yaml", 1, 1, 1, 10))) == []


def test_not_an_object():
    assert one("[1, 2]") == ("", 'a lifecycle policy must be a JSON object with a "rules" list')


def test_schema_problems_are_located():
    policy = {"rules": [rule(1, "any", "imageCountMoreThan", 0)]}
    policy["rules"][0]["selection"]["countType"] = "imageCountLessThan"
    policy["rules"][0]["bogus"] = True
    del policy["rules"][0]["action"]["type"]
    found = dict(problems(policy))
    assert set(found) == {
        "rules[0]",
        "rules[0].selection.countType",
        "rules[0].action",
        "rules[0].selection.countNumber",
    }
    assert (
        found["rules[0]"]
        == 'rules[0] has the unknown property "bogus" (allowed: action, description, rulePriority, selection)'
    )
    assert "countNumber must be at least 1" in found["rules[0].selection.countNumber"]
    assert found["rules[0].action"] == 'rules[0].action is missing the required property "type"'
    assert '"imageCountLessThan"; allowed: ' in found["rules[0].selection.countType"]


def test_schema_problem_span_is_the_offending_value():
    text = '{"rules": [\n {"rulePriority": "1", "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}\n]}'
    [violation] = validate(parse_json_value(text, "p.json"))
    assert violation.pointer == "rules[0].rulePriority"
    assert (violation.value.span.start_line, violation.value.span.start_col) == (2, 19)
    assert violation.message == 'rules[0].rulePriority must be an integer, not "1"'


def test_too_many_rules():
    policy = {"rules": [rule(i, "tagged", "imageCountMoreThan", 1, prefixes=[f"p{i}"]) for i in range(1, 52)]}
    assert one(policy) == ("rules", "rules has 51 rules; a lifecycle policy holds at most 50")


def test_duplicate_priority():
    policy = {
        "rules": [
            rule(1, "untagged", "imageCountMoreThan", 1),
            rule(1, "tagged", "imageCountMoreThan", 1, prefixes=["v"]),
        ]
    }
    assert one(policy) == (
        "rules[1].rulePriority",
        "rulePriority 1 is also used by rules[0]; each rule needs a unique rulePriority",
    )


def test_any_must_have_the_highest_priority():
    policy = {"rules": [rule(1, "any", "imageCountMoreThan", 10), rule(2, "untagged", "sinceImagePushed", 7)]}
    assert one(policy) == (
        "rules[0].rulePriority",
        'a tagStatus "any" rule must have the highest rulePriority, but rules[1] has 2 and this one 1',
    )


def test_any_rule_per_storage_class():
    # AWS's archive example has one `any` rule per storage class: valid.
    policy = {
        "rules": [
            rule(1, "any", "sinceImagePushed", 30, action="transition"),
            rule(2, "any", "sinceImageTransitioned", 365, storage="archive"),
        ]
    }
    assert problems(policy) == []
    policy["rules"].append(rule(3, "untagged", "sinceImagePushed", 1))
    pointer, message = one(policy)
    assert pointer == "rules[0].rulePriority"
    assert "among the rules for storage class standard" in message


def test_tagged_needs_a_list():
    assert one({"rules": [rule(1, "tagged", "imageCountMoreThan", 1)]}) == (
        "rules[0].selection",
        'tagStatus "tagged" needs a tagPrefixList or a tagPatternList',
    )
    assert (
        one({"rules": [rule(1, "tagged", "imageCountMoreThan", 1, prefixes=[])]})[0]
        == "rules[0].selection.tagPrefixList"
    )


def test_both_lists():
    policy = {"rules": [rule(1, "tagged", "imageCountMoreThan", 1, prefixes=["a"], patterns=["b*"])]}
    assert one(policy) == (
        "rules[0].selection.tagPatternList",
        "a rule may give tagPrefixList or tagPatternList, not both",
    )


@pytest.mark.parametrize("status", ["untagged", "any"])
def test_list_only_with_tagged(status):
    policy = {"rules": [rule(1, status, "imageCountMoreThan", 1, prefixes=["a"])]}
    assert one(policy) == (
        "rules[0].selection.tagPrefixList",
        f'tagPrefixList is only allowed with tagStatus "tagged", not "{status}"',
    )


def test_wildcard_limit():
    ok = {"rules": [rule(1, "tagged", "imageCountMoreThan", 1, patterns=["*test*1*2*3", "test*1*2*3*"])]}
    assert problems(ok) == []
    bad = {"rules": [rule(1, "tagged", "imageCountMoreThan", 1, patterns=["ok*", "test*1*2*3*4*5*6"])]}
    assert one(bad) == (
        "rules[0].selection.tagPatternList[1]",
        'tag pattern "test*1*2*3*4*5*6" has 6 wildcards; ECR allows at most 4 per pattern',
    )


def test_count_unit_with_image_count():
    policy = {"rules": [rule(1, "any", "imageCountMoreThan", 1)]}
    policy["rules"][0]["selection"]["countUnit"] = "days"
    assert one(policy)[0] == "rules[0].selection.countUnit"


@pytest.mark.parametrize("count_type", ["sinceImagePushed", "sinceImagePulled"])
def test_since_needs_count_unit(count_type):
    action = "transition" if count_type == "sinceImagePulled" else "expire"
    policy = {"rules": [rule(1, "any", count_type, 1, unit=False, action=action)]}
    assert one(policy) == ("rules[0].selection", f'countType {count_type} needs countUnit "days"')


def test_count_unit_must_be_days():
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 1)]}
    policy["rules"][0]["selection"]["countUnit"] = "hours"
    assert one(policy)[0] == "rules[0].selection.countUnit"


def test_one_untagged_rule():
    policy = {"rules": [rule(1, "untagged", "imageCountMoreThan", 1), rule(2, "untagged", "sinceImagePushed", 3)]}
    assert one(policy) == (
        "rules[1].selection.tagStatus",
        "only one rule may select untagged images; rules[0] already does",
    )


def test_duplicate_prefix_across_rules():
    policy = {
        "rules": [
            rule(1, "tagged", "imageCountMoreThan", 5, prefixes=["prod"]),
            rule(2, "tagged", "sinceImagePushed", 30, prefixes=["dev", "prod"]),
        ]
    }
    assert one(policy) == (
        "rules[1].selection.tagPrefixList[1]",
        'tag prefix "prod" is also used by rules[0]; rules for the same storage class must not share tag prefixes',
    )


def test_since_pulled_must_transition():
    policy = {"rules": [rule(1, "any", "sinceImagePulled", 90)]}
    assert one(policy) == (
        "rules[0].action.type",
        'countType sinceImagePulled can only be used with action type "transition", not "expire"',
    )


def test_since_transitioned_needs_archive_and_expire():
    policy = {"rules": [rule(1, "any", "sinceImageTransitioned", 365, action="transition")]}
    assert pointers(policy) == ["rules[0].action.type", "rules[0].selection"]


def test_archive_storage_only_with_since_transitioned():
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 30, storage="archive")]}
    assert one(policy)[0] == "rules[0].selection.storageClass"


def test_archive_minimum_days():
    policy = {"rules": [rule(1, "any", "sinceImageTransitioned", 30, storage="archive")]}
    assert one(policy)[0] == "rules[0].selection.countNumber"


def test_transition_needs_target_and_expire_refuses_it():
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 30)]}
    policy["rules"][0]["action"] = {"type": "transition"}
    assert one(policy) == ("rules[0].action", 'action type "transition" needs targetStorageClass "archive"')
    policy["rules"][0]["action"] = {"type": "expire", "targetStorageClass": "archive"}
    assert one(policy)[0] == "rules[0].action.targetStorageClass"


def test_policy_too_long():
    policy = {"rules": [rule(1, "any", "imageCountMoreThan", 1)]}
    policy["rules"][0]["description"] = "x" * 31000
    assert one(policy)[0] == ""


def test_each_violation_is_its_own_problem():
    policy = {
        "rules": [
            rule(1, "any", "imageCountMoreThan", 1),
            rule(1, "tagged", "imageCountMoreThan", 1),
            rule(3, "untagged", "sinceImagePushed", 3, unit=False),
        ]
    }
    assert pointers(policy) == [
        "rules[0].rulePriority",
        "rules[1].rulePriority",
        "rules[1].selection",
        "rules[2].selection",
    ]


def test_unresolved_parts_are_not_judged():
    span = Span("main.tf", 1, 1, 1, 1)
    doc = parse_json_value(json.dumps({"rules": [rule(1, "any", "imageCountMoreThan", 1)]}), "p.json")
    selection = doc.data["rules"].data[0].data["selection"]
    selection.data["countNumber"] = unknown("var.keep is not set", span)
    selection.data["tagStatus"] = unknown("var.status", span)
    assert validate(doc) == []
    data, reason = evaluation_data(doc)
    assert data is None and reason == "var.status"  # the first unresolved field


def test_unresolved_description_does_not_block_evaluation():
    span = Span("main.tf", 1, 1, 1, 1)
    doc = parse_json_value(json.dumps({"rules": [rule(1, "any", "imageCountMoreThan", 1)]}), "p.json")
    doc.data["rules"].data[0].data["description"] = unknown("var.text", span)
    data, reason = evaluation_data(doc)
    assert reason is None and data["rules"][0]["selection"]["countNumber"] == 1
