"""The JSON Schema of lifecycle policies, loaded on first use, and its errors as located problems."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "lifecycle-policy.schema.json"


class Undecided:
    """Stands in for an unresolved part of a document: no schema error is reported about it."""

    def __repr__(self) -> str:
        return "<unresolved>"


UNDECIDED = Undecided()


@dataclass(frozen=True)
class SchemaProblem:
    path: tuple[str | int, ...]  # where the problem is, from the document root
    message: str


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    text = resources.files("ecrlint").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema())


def pointer(path: tuple[str | int, ...]) -> str:
    """`rules[2].selection.countType` from ("rules", 2, "selection", "countType")."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return str(value)


_TYPE_WORDS = {"integer": "an integer", "string": "a string", "array": "a list", "object": "an object"}


def _message(error) -> str:
    where = pointer(tuple(error.absolute_path)) or "the policy"
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "a property"
        return f'{where} is missing the required property "{missing}"'
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        return (
            f"{where} has the unknown propert{'y' if len(extra) == 1 else 'ies'} "
            + ", ".join(f'"{e}"' for e in extra)
            + " (allowed: "
            + ", ".join(allowed)
            + ")"
        )
    if kind == "type":
        return f"{where} must be {_TYPE_WORDS.get(error.validator_value, error.validator_value)}, not {_shown(error.instance)}"
    if kind == "enum":
        options = ", ".join(_shown(v) for v in error.validator_value)
        return f"{where} is {_shown(error.instance)}; allowed: {options}"
    if kind == "minimum":
        return f"{where} must be at least {error.validator_value} (0 is not accepted), not {_shown(error.instance)}"
    if kind == "maxItems":
        return f"{where} has {len(error.instance)} rules; a lifecycle policy holds at most {error.validator_value}"
    return f"{where}: {error.message}"


def schema_problems(data: Any) -> list[SchemaProblem]:
    """Schema violations of plain policy data; parts given as `UNDECIDED` are not judged."""
    problems = []
    for error in _validator().iter_errors(data):
        if error.instance is UNDECIDED:
            continue
        problems.append(SchemaProblem(tuple(error.absolute_path), _message(error)))
    problems.sort(key=lambda p: (tuple((0, x) if isinstance(x, int) else (1, x) for x in p.path), p.message))
    return problems
