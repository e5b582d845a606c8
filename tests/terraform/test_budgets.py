"""Evaluation stays within its budget: past it a value is unknown with the reason, never a hang
or a MemoryError, and the rest of the run goes on."""

from __future__ import annotations

import ecrlint.terraform.evaluate as evaluate

from ..pipeline import run_pipeline
from .test_project import write


def _tags(tmp_path, locals_text: str, monkeypatch=None):
    write(
        tmp_path,
        {
            "main.tf": "locals {\n" + locals_text + "\n}\n"
            'resource "aws_ecr_repository" "r" {\n  name = "x"\n  tags = { v = local.v }\n}\n'
        },
    )
    _, _, model = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [repository] = model.objects
    return repository.tags.get("v")


def test_nested_for_expressions_stop_at_the_step_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(evaluate, "MAX_STEPS", 5_000)
    value = _tags(tmp_path, "  v = [for x in range(10000) : [for y in range(10000) : x * y]]")
    assert not value.is_known and "evaluation steps" in value.unknown_reason()


def test_doubling_strings_stop_at_the_length_limit(tmp_path):
    lines = ['  s0 = "ab"'] + [f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"' for i in range(1, 41)]
    value = _tags(tmp_path, "\n".join(lines) + "\n  v = local.s40")
    assert not value.is_known and "longer than" in value.unknown_reason()


def test_replace_that_would_grow_without_bound_is_not_evaluated(tmp_path):
    value = _tags(tmp_path, f'  v = replace("{"a" * 20_000}", "a", "{"b" * 1_000}")')
    assert not value.is_known and "longer than" in value.unknown_reason()


def test_a_regular_expression_that_can_backtrack_forever_is_not_evaluated(tmp_path):
    value = _tags(tmp_path, f'  v = replace("{"a" * 60}!", "/(a+)+$/", "x")')
    assert not value.is_known and "regular expression" in value.unknown_reason()


def test_a_huge_format_precision_is_not_evaluated(tmp_path):
    value = _tags(tmp_path, '  v = format("%.999999999f", 1.5)')
    assert not value.is_known and "precision" in value.unknown_reason()


def test_ordinary_values_are_still_evaluated(tmp_path):
    value = _tags(tmp_path, '  v = replace(join("-", [for x in range(3) : format("%d", x)]), "-", "+")')
    assert value.data == "0+1+2"
