"""Scripts read as plain text: numbered lines, each with the span a finding on it points at.

A text `Value` whose `text_line_offset` is set (a buildspec or Dockerfile file, a Terraform
heredoc, a file read with `file()`) has line N at file line N + offset. A YAML block scalar
(`BuildSpec: |`, `UserData: !Base64 |`) starts on the line after its indicator, so when the
value's span covers exactly its lines, line N is the span's first line + N. Otherwise every line
points at the value as a whole. Columns are exact only where the text is the file's own
(offset 0); a heredoc body (`<<-`) or block scalar is indented in the file by an amount the text
does not keep, so a finding on one of its lines covers the whole line.
Nothing in the text is run: only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..images import image_text
from ..source import Span
from ..values import Value


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, within the text
    text: str
    span: Span  # where a finding about the line points: the line, or the whole value when lines do not map
    columns: bool  # columns in `span` are the file's own

    @property
    def is_comment(self) -> bool:
        """A shell, YAML or Dockerfile comment line."""
        return self.text.lstrip().startswith("#")

    def at(self, start: int, end: int) -> Span:
        """The span of characters [start, end) of the line, where columns are exact."""
        if not self.columns:
            return self.span
        line = self.span.start_line
        return Span(self.span.path, line, start + 1, line, max(end, start + 1) + 1)


def script_text(value: Value | None) -> str | None:
    """The text of a script value: known, or the symbolic text of an unresolved one."""
    if value is None:
        return None
    text, _ = image_text(value)
    return text


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def _first_line(value: Value, text: str) -> tuple[int | None, bool]:
    """The file line of the text's line 1 and whether columns are exact; None when lines do not map."""
    if value.text_line_offset is not None:
        return value.text_line_offset + 1, value.text_line_offset == 0
    span = value.span
    if span.path.lower().endswith((".yaml", ".yml", ".template")) and span.end_line - span.start_line == _line_count(
        text
    ):
        return span.start_line + 1, False
    return None, False


def lines(value: Value | None) -> list[Line]:
    """The lines of a script value, each located; empty when the value has no text."""
    text = script_text(value)
    if value is None or text is None:
        return []
    first, exact = _first_line(value, text)
    out: list[Line] = []
    for number, line in enumerate(text.splitlines(), 1):
        if first is None:
            span = value.span
        elif exact:
            file_line = first + number - 1
            span = Span(value.span.path, file_line, 1, file_line, len(line) + 1)
        else:
            # the line's indentation in the file is not known: the span runs to the start of the next line
            file_line = first + number - 1
            span = Span(value.span.path, file_line, 1, file_line + 1, 1)
        out.append(Line(number, line, span, first is not None and exact))
    return out


def code_lines(value: Value | None) -> Iterator[Line]:
    """The lines that are not comments."""
    for line in lines(value):
        if not line.is_comment:
            yield line


def excerpt(text: str, limit: int = 80) -> str:
    """A line of script for a message: stripped, shortened, in backquotes."""
    text = text.strip()
    if text.startswith("- "):
        text = text[2:].strip()  # a YAML list item in a buildspec
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return f"`{text}`"


def unreadable_scripts(model) -> Iterator[tuple[object, Value, str]]:
    """(object, value, what) for user data and inline buildspecs whose text is not known at all: rules
    that read scripts report them as undecided instead of passing them by."""
    from ..model.objects import CodeBuildProject, Ec2Instance, Ec2LaunchTemplate
    from .consumers import label

    for obj in model.objects:
        if isinstance(obj, (Ec2LaunchTemplate, Ec2Instance)) and _unreadable(obj.user_data):
            yield obj, obj.user_data, f"the user data of {label(obj)}"
        elif isinstance(obj, CodeBuildProject) and _unreadable(obj.buildspec):
            yield obj, obj.buildspec, f"the buildspec of CodeBuild project {label(obj)}"


def _unreadable(value: Value | None) -> bool:
    """No text, or only one unresolved expression (`${var.user_data}`): nothing of the script is known.
    A script that is partly known is read for what it shows."""
    if value is None:
        return False
    text, exact = image_text(value)
    if text is None:
        return True
    text = text.strip()
    return not exact and text.startswith("${") and text.endswith("}") and text.count("${") == 1
