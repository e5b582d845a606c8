"""Shell and buildspec variables, expanded the way a reader would, never by running anything.

`$NAME` and `${NAME}` take the value the script gives them (a buildspec `env: variables:` entry,
a `NAME=value` command, a CodeBuild project environment variable). A name with no value, or with
more than one, stays a `${NAME}` placeholder, and a command substitution `$(...)` becomes one:
the image parser then treats that part as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .text import Line

_ASSIGN = re.compile(r"^\s*(?:-\s+)?(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S*)\s*$")
# `$NAME`, `${NAME}` and `${NAME:-default}`-style forms; `${aws_ecr_repository.app.repository_url}` and
# `${AWS::AccountId}` are placeholders of values ecrlint could not resolve, and stay as they are.
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:[-:=+?#%/^,][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))")
_COMMAND = re.compile(r"\$\([^()]*\)|`[^`]*`")
_KEY = re.compile(r"^(\s*)([A-Za-z_][\w.-]*)\s*:(?:\s+(.*?))?\s*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_DEPTH = 8

AMBIGUOUS = object()


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def add_variable(variables: dict[str, object], name: str, value: str) -> None:
    current = variables.get(name)
    if current is not None and current != value:
        variables[name] = AMBIGUOUS  # set differently in different places: not one value
    else:
        variables[name] = value


def buildspec_variables(lines: Iterable[Line]) -> dict[str, object]:
    """`env: variables:` entries and `NAME=value` commands of a buildspec (or any script)."""
    variables: dict[str, object] = {}
    section: list[tuple[int, str]] = []  # (indent, key) of the enclosing YAML keys
    for line in lines:
        if line.is_comment or not line.text.strip():
            continue
        assign = _ASSIGN.match(line.text)
        if assign:
            add_variable(variables, assign.group(1), _unquote(assign.group(2)))
            continue
        key = _KEY.match(line.text)
        if key is None or line.text.lstrip().startswith("-"):
            continue
        indent, name, rest = len(key.group(1)), key.group(2), key.group(3) or ""
        while section and section[-1][0] >= indent:
            section.pop()
        path = [k for _, k in section]
        if path[-2:] == ["env", "variables"] and _NAME.match(name) and rest and not rest.startswith(("|", ">")):
            add_variable(variables, name, _unquote(rest))
        if not rest:
            section.append((indent, name))
    return variables


def expand(text: str, variables: dict[str, object], depth: int = 0) -> str:
    """`text` with variables replaced by their values; unknown ones as `${NAME}` placeholders."""
    text = _COMMAND.sub("${command_output}", text)

    def repl(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        value = variables.get(name)
        if isinstance(value, str) and depth < MAX_DEPTH:
            return expand(value, variables, depth + 1)
        return "${" + name + "}"

    return _VAR.sub(repl, text)
