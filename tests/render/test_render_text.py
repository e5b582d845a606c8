"""Text output: header, code frame, construct line, suppressed/undecided sections, summary."""

from __future__ import annotations

import re

from render_helpers import TF_SOURCE, finding, lines_reader, make_context, sample_findings

from ecrlint.findings import Suppression
from ecrlint.render import render


def test_header_and_code_frame_from_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "ecr.tf").write_text(TF_SOURCE, encoding="utf-8")

    def read_lines(path):
        with open(path, encoding="utf-8") as handle:
            return handle.readlines()

    f = finding(message="aws_ecr_repository.app allows image tags to be overwritten (MUTABLE)")
    out = render("text", [f], make_context(read_lines=read_lines, files_scanned=1))
    assert out == (
        "infra/ecr.tf:3:26: ECR101 [high] aws_ecr_repository.app allows image tags to be overwritten (MUTABLE)\n"
        '  2 |   name                 = "app"\n'
        '  3 |   image_tag_mutability = "MUTABLE"\n'
        "    |                          ^^^^^^^^^\n"
        "  4 | }\n"
        "\n"
        "1 finding (1 high) in 1 file\n"
    )


def test_frame_at_file_start_and_end_and_gutter_width():
    text = "".join(f"line {n}\n" for n in range(1, 11))
    read = lines_reader({"a.tf": text})
    first = render("text", [finding(path="a.tf", line=1, col=1, end_col=5)], make_context(read_lines=read))
    assert "  1 | line 1\n    | ^^^^\n  2 | line 2\n\n" in first
    assert "  0 |" not in first
    last = render("text", [finding(path="a.tf", line=10, col=6, end_col=8)], make_context(read_lines=read))
    assert "   9 | line 9\n  10 | line 10\n     |      ^^\n\n" in last


def test_point_span_multiline_span_and_tabs_get_carets():
    read = lines_reader({"a.tf": "x\n\tkey = 1\ny\n"})
    point = render("text", [finding(path="a.tf", line=2, col=2, end_col=2)], make_context(read_lines=read))
    assert "  2 | \tkey = 1\n    | \t^\n" in point
    multi = render("text", [finding(path="a.tf", line=2, col=7, end_line=3, end_col=2)], make_context(read_lines=read))
    assert "  2 | \tkey = 1\n    | \t     ^^\n" in multi  # to the end of the first line


def test_no_frame_without_source_or_when_the_line_is_missing():
    out = render("text", [finding(path="gone.tf", line=3)], make_context())
    assert out.splitlines()[1] == ""
    short = render("text", [finding(path="a.tf", line=30)], make_context(read_lines=lines_reader({"a.tf": "x\n"})))
    assert short.splitlines()[1] == ""


def test_long_lines_are_cut_to_a_window_around_the_span():
    line = "{" + '"k": 1, ' * 100 + '"Principal": "*"}'
    col = line.index('"*"') + 1
    read = lines_reader({"p.json": line + "\n"})
    out = render("text", [finding(path="p.json", line=1, col=col, end_col=col + 3)], make_context(read_lines=read))
    frame, carets = out.splitlines()[1:3]
    assert frame.startswith("  1 | ...") and len(frame) < 200
    assert frame[carets.index("^") : carets.index("^") + 3] == '"*"'


def test_construct_path_line_under_the_header():
    f = finding("ECR107", path="cdk.out/App.template.json", address="Repo1", construct_path="App/Repo/Resource")
    lines = render("text", [f], make_context()).splitlines()
    assert lines[0].startswith("cdk.out/App.template.json:3:26: ECR107 [low] ")
    assert lines[1] == "  construct: App/Repo/Resource"


def test_suppressed_hidden_by_default_and_marked_when_shown():
    findings = sample_findings()
    hidden = render("text", findings, make_context())
    assert "infra/legacy.tf" not in hidden
    assert hidden.endswith("6 findings (1 critical, 2 high, 1 medium, 1 low, 1 info) in 5 files; 2 suppressed\n")
    shown = render("text", findings, make_context(show_suppressed=True))
    assert (
        "infra/legacy.tf:5:3: ECR101 [high] mutable-image-tags at infra/legacy.tf:5 "
        "[suppressed: tags are promoted, never overwritten]\n" in shown
    )
    assert "infra/legacy.tf:1:1: ECR102 [medium] scan-on-push-disabled at infra/legacy.tf:1 " in shown
    assert "[suppressed: baseline; legacy/** ignored]" in shown
    assert shown.endswith("; 2 suppressed\n")


def test_headers_are_sorted_by_path_line_column_rule():
    out = render("text", sample_findings(), make_context(show_suppressed=True))
    headers = [line.split(": ")[0] for line in out.splitlines() if ": ECR" in line and not line.startswith(" ")]
    assert headers == [
        "broken, dir/bad:file.json:2:5",
        "cdk.out/App.template.json:10:7",
        "infra/config.tf:1:1",
        "infra/ecr.tf:1:1",
        "infra/ecr.tf:3:26",
        "infra/legacy.tf:1:1",
        "infra/legacy.tf:5:3",
        "policies/repo.policy.json:4:20",
    ]


def test_no_findings_summary():
    assert render("text", [], make_context(files_scanned=3)) == "No findings in 3 files.\n"
    assert render("text", [], make_context(files_scanned=1)) == "No findings in 1 file.\n"
    only_suppressed = finding(suppressions=(Suppression("config", ""),))
    assert render("text", [only_suppressed], make_context(files_scanned=1)) == "No findings in 1 file; 1 suppressed.\n"


def test_undecided_section_only_with_show_unknown(undecided):
    hidden = render("text", [], make_context(undecided=undecided, files_scanned=2))
    assert "ECR101 undecided" not in hidden  # listed only with --show-unknown, but always counted
    assert hidden == "No findings in 2 files; 2 undecided (--show-unknown lists them).\n"
    out = render("text", [], make_context(undecided=undecided, show_unknown=True, files_scanned=2))
    assert "infra/vars.tf:7:3: ECR101 undecided: var.mutability has no default\n" in out
    assert "plan.json:1:1: ECR999 undecided: unknown plan value\n" in out
    assert out.index("infra/vars.tf") < out.index("plan.json")
    assert out.endswith("No findings in 2 files; 2 undecided.\n")


def test_stale_baseline_entries_are_listed():
    out = render("text", [], make_context(baseline_stale=["b-entry", "a-entry"], files_scanned=1))
    assert "  a-entry\n  b-entry\n" in out
    assert out.endswith("No findings in 1 file; 2 stale baseline entries.\n")


def test_control_characters_do_not_reach_the_terminal():
    read = lines_reader({"a.tf": 'name = "\x1b[31mred"\n'})
    f = finding(path="a.tf", line=1, col=9, end_col=19, message="name \x1b[2J is odd\nsecond line")
    out = render("text", [f], make_context(read_lines=read))
    assert "\x1b" not in out
    # a newline in a value never starts a line of its own (CI would read `::error ...` there as a command)
    assert "name \ufffd[2J is odd\ufffdsecond line\n" in out
    frame, carets = out.splitlines()[1:3]
    assert frame == '  1 | name = "\ufffd[31mred"'
    assert carets.index("^") == frame.index("\ufffd")


def test_unreadable_file_gets_no_frame():
    def read_lines(path):
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    out = render("text", [finding(path="bin.tf", line=1)], make_context(read_lines=read_lines))
    assert out.splitlines()[1] == ""


def test_a_value_cannot_start_a_line_of_its_own():
    hostile = "repo\n::error file=x.tf,line=1::injected\r\n::add-mask::x"
    out = render("text", [finding(message=hostile)], make_context())
    assert not [line for line in out.splitlines() if line.startswith("::")]
    assert "repo\ufffd::error file=x.tf,line=1::injected\ufffd\ufffd::add-mask::x" in out


def test_quiet_prints_findings_only():
    out = render("text", [finding(message="tags")], make_context(quiet=True))
    assert out == "infra/ecr.tf:3:26: ECR101 [high] tags\n"
    assert render("text", [], make_context(quiet=True)) == ""


def test_colour_only_when_asked():
    plain = render("text", [finding(message="tags")], make_context())
    coloured = render("text", [finding(message="tags")], make_context(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[1minfra/ecr.tf:3:26\x1b[0m: ECR101 \x1b[31m[high]\x1b[0m tags" in coloured
    assert coloured.rstrip("\n").endswith("\x1b[0m")
    # without the escape codes the two are the same text
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == plain
