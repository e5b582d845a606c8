"""Across formats: dispatch, determinism, order independence."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from render_helpers import TF_SOURCE, finding, lines_reader, make_context, sample_findings

from ecrlint.findings import Suppression, Undecided
from ecrlint.render import FORMATS, MAX_MESSAGE, RenderContext, printable_finding, render, render_chunks
from ecrlint.source import Span


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


# Odd strings never lose the report.

LONE_SURROGATE = "\ud800"
NON_UTF8_NAME = b"caf\xe9.tf".decode("utf-8", "surrogateescape")  # how os.listdir hands it over


def odd_findings() -> list:
    return [
        finding(
            path=NON_UTF8_NAME,
            address=f"aws_ecr_repository.a{LONE_SURROGATE}",
            pointer=f"name{LONE_SURROGATE}",
            message=f"x{LONE_SURROGATE} is odd",
            details={f"k{LONE_SURROGATE}": [f"v{LONE_SURROGATE}"]},
        ),
        finding("ECR104", message="y" + LONE_SURROGATE, suppressions=(Suppression("inline", LONE_SURROGATE),)),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_lone_surrogates_and_non_utf8_file_names_render_in_every_format(fmt, undecided):
    ctx = make_context(
        show_suppressed=True,
        show_unknown=True,
        undecided=[("ECR101", Undecided(f"why{LONE_SURROGATE}", Span(NON_UTF8_NAME, 1, 1, 1, 2)))],
        baseline_stale=[f"ECR101 {NON_UTF8_NAME}"],
    )
    out = "".join(render_chunks(fmt, odd_findings(), ctx))
    out.encode("utf-8")  # strict: raised UnicodeEncodeError before
    assert "\ufffd" in out or "\\ufffd" in out
    if fmt in ("text", "github", "junit"):
        assert "caf\\xe9.tf" in out  # the undecodable byte stays visible
    if fmt in ("json", "gitlab", "sarif"):
        json.loads(out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_very_long_message_is_cut_with_a_marker(fmt):
    message = "A" * (MAX_MESSAGE + 5000)
    out = render(fmt, [finding(message=message)], make_context())
    assert "A" * MAX_MESSAGE in out
    assert "A" * (MAX_MESSAGE + 1) not in out
    assert "[5000 more characters cut]" in out


def test_short_messages_and_clean_findings_are_passed_unchanged():
    f = finding(message="fine")
    assert printable_finding(f) is f
