"""Across formats: dispatch, determinism, order independence."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_helpers import TF_SOURCE, lines_reader, make_context, sample_findings

from ecrlint.render import FORMATS, RenderContext, render


def full_context(undecided) -> RenderContext:
    return make_context(
        show_suppressed=True,
        show_unknown=True,
        undecided=undecided,
        baseline_stale=["z", "a"],
        read_lines=lines_reader({"infra/ecr.tf": TF_SOURCE}),
    )


def test_formats_tuple():
    assert FORMATS == ("text", "json", "sarif", "github", "junit", "gitlab")


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render("xml", [], make_context())


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_twice_gives_identical_output(fmt, undecided):
    first = render(fmt, sample_findings(), full_context(undecided))
    second = render(fmt, sample_findings(), full_context(undecided))
    assert isinstance(first, str) and first == second
    assert first.endswith("\n") or first == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_input_order_does_not_matter(fmt, undecided):
    expected = render(fmt, sample_findings(), full_context(undecided))
    rng = random.Random(1234)
    for _ in range(5):
        shuffled = sample_findings()
        rng.shuffle(shuffled)
        shuffled_undecided = list(reversed(undecided))
        assert render(fmt, shuffled, full_context(shuffled_undecided)) == expected


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(8))), st.sampled_from(FORMATS))
def test_any_permutation_renders_the_same(order, fmt):
    findings = sample_findings()
    ctx = make_context(show_suppressed=True)
    assert render(fmt, [findings[i] for i in order], ctx) == render(fmt, findings, ctx)


def test_render_accepts_any_iterable_and_does_not_mutate_input():
    findings = sample_findings()
    before = list(findings)
    render("text", findings, make_context())
    assert findings == before
    assert render("json", tuple(findings), make_context()) == render("json", findings, make_context())
