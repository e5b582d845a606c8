"""GitHub Actions workflow commands: escaping, the col/endColumn rule, levels, title."""

from __future__ import annotations

from render_helpers import finding, make_context, sample_findings

from ecrlint.render import render
from ecrlint.render.github import escape_data, escape_property


def test_single_line_span_carries_columns():
    f = finding(message="aws_ecr_repository.app allows image tags to be overwritten (MUTABLE)")
    assert render("github", [f], make_context()) == (
        "::error file=infra/ecr.tf,line=3,endLine=3,col=26,endColumn=35,"
        "title=ecrlint (ECR101 mutable-image-tags)::aws_ecr_repository.app allows image tags to be overwritten (MUTABLE)\n"
    )


def test_multi_line_span_has_no_columns():
    out = render("github", [finding("ECR104", line=1, col=1, end_line=4, end_col=2, message="m")], make_context())
    assert out == "::warning file=infra/ecr.tf,line=1,endLine=4,title=ecrlint (ECR104 no-customer-managed-key)::m\n"
    assert "col=" not in out and "endColumn=" not in out


def test_point_span_has_col_but_no_empty_column_range():
    out = render("github", [finding(line=2, col=5, end_col=5, message="m")], make_context())
    assert ",col=5," in out and "endColumn" not in out


def test_escaping_of_message_and_properties():
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"
    assert escape_property("%3A") == "%253A"  # `%` first, so existing escapes are not decoded
    f = finding("ECR900", path="broken, dir/bad:file.json", line=2, col=5, end_col=6, message="bad: 50%,\nstop")
    assert render("github", [f], make_context()) == (
        "::error file=broken%2C dir/bad%3Afile.json,line=2,endLine=2,col=5,endColumn=6,"
        "title=ecrlint (ECR900 unparsable-input)::bad: 50%25,%0Astop\n"
    )


def test_severity_to_command_and_suppressed_omitted():
    lines = render("github", sample_findings(), make_context(show_suppressed=True)).splitlines()
    assert len(lines) == 6  # the two suppressed findings are never annotated
    commands = {line.split("title=ecrlint (")[1].split(" ")[0]: line.split(" ")[0] for line in lines}
    assert commands == {
        "ECR201": "::error",
        "ECR101": "::error",
        "ECR900": "::error",
        "ECR104": "::warning",
        "ECR107": "::notice",
        "ECR701": "::notice",
    }
    assert all("\n" not in line and "\r" not in line for line in lines)


def test_nothing_to_report_is_empty_output():
    assert render("github", [], make_context()) == ""


def test_a_value_cannot_inject_a_workflow_command():
    hostile = "repo\n::error file=x.tf,line=1::injected\r::add-mask::x\x1b[2J\x85"
    out = render("github", [finding(message=hostile, address=hostile)], make_context())
    lines = out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error file=infra/ecr.tf,")
    assert "%0A::error file=x.tf,line=1::injected%0D::add-mask::x\ufffd[2J\ufffd" in lines[0]
