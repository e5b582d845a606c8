"""The rule catalogue: loads and validates every `rule.yaml` under the rules directories."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

SEVERITY_SCORES = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}


class CatalogError(Exception):
    """A malformed rule file: the message names the file and, where known, the line."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    severity: str
    category: str
    inputs: tuple[str, ...]
    rationale: str
    remediation: dict[str, str]  # input format (or "all") -> text
    help_uri: str
    since: str
    folder: str  # absolute path of the rule folder ("" for built-in engine rules)
    query: str | None = None
    message: str | None = None
    check: str | None = None
    engine: str | None = None  # produced by a pipeline stage (suppression hygiene)
    tags: tuple[str, ...] = field(default=())
    default: bool = True  # on without --select; custom rules without the key are on
    default_reason: str = ""
    severity_reason: str = ""

    @property
    def security_severity(self) -> str:
        return SEVERITY_SCORES[self.severity]

    def remediation_text(self) -> str:
        if set(self.remediation) == {"all"}:
            return self.remediation["all"]
        return "\n".join(f"{fmt}: {text.strip()}" for fmt, text in self.remediation.items())

    def fixtures(self) -> list[str]:
        """Fixture paths (bad_* and good_*), sorted."""
        tests = os.path.join(self.folder, "tests")
        if not os.path.isdir(tests):
            return []
        return sorted(os.path.join(tests, name) for name in os.listdir(tests) if name.startswith(("bad_", "good_")))


def builtin_rules_dir() -> str:
    """The shipped rules: the `ecrlint.rules` package when installed, else the checkout's `rules/`."""
    try:
        import ecrlint.rules as shipped

        return os.path.dirname(os.path.abspath(shipped.__file__))
    except ImportError:
        here = os.path.dirname(os.path.abspath(__file__))
        return os.path.join(os.path.dirname(here), "rules")


@lru_cache(maxsize=1)
def _rule_schema() -> dict[str, Any]:
    return json.loads(resources.files("ecrlint").joinpath("schemas/rule.schema.json").read_text("utf-8"))


def _load_yaml(path: str) -> Any:
    import yaml

    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise CatalogError(f"{path}{where}: not valid YAML: {getattr(err, 'problem', err)}") from None


def _schema_errors(data: dict[str, Any]) -> list:
    import jsonschema

    return sorted(jsonschema.Draft202012Validator(_rule_schema()).iter_errors(data), key=lambda e: list(e.path))


def _line_of(path: str, key: str) -> int:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.startswith(f"{key}:"):
                return number
    return 1


def load_rule(path: str, validate: bool = True) -> Rule:
    """One rule file. The shipped rules are validated by the test suite, so users' runs skip that."""
    data = _load_yaml(path)
    if not isinstance(data, dict):
        raise CatalogError(f"{path}:1: a rule file must be a mapping")
    errors = _schema_errors(data) if validate else []
    if errors:
        err = errors[0]
        key = str(err.path[0]) if err.path else ""
        line = _line_of(path, key) if key else 1
        raise CatalogError(f"{path}:{line}: {'.'.join(map(str, err.path)) or 'rule'}: {err.message}")
    missing = [
        k
        for k in ("id", "name", "title", "severity", "category", "inputs", "rationale", "remediation")
        if k not in data
    ]
    if missing:
        raise CatalogError(f"{path}:1: missing {', '.join(missing)}")
    remediation = data["remediation"]
    if isinstance(remediation, str):
        remediation = {"all": remediation}
    folder = os.path.dirname(os.path.abspath(path))
    expected = f"{data['id']}-{data['name']}"
    if os.path.basename(folder) != expected:
        raise CatalogError(f"{path}:1: rule folder must be named {expected}")
    return Rule(
        id=data["id"],
        name=data["name"],
        title=data["title"].strip(),
        severity=data["severity"],
        category=data["category"],
        inputs=tuple(data["inputs"]),
        rationale=data["rationale"].strip(),
        remediation={k: v.strip() for k, v in remediation.items()},
        help_uri=data["help_uri"],
        since=str(data["since"]),
        folder=folder,
        query=data.get("query"),
        message=data.get("message"),
        check=data.get("check"),
        engine=data.get("engine"),
        tags=tuple(data.get("tags", ())),
        default=data.get("default", True) is not False,
        default_reason=str(data.get("default_reason", "")).strip(),
        severity_reason=str(data.get("severity_reason", "")).strip(),
    )


def _rule_files(directory: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d != "tests" and not d.startswith((".", "__")))
        if "rule.yaml" in filenames:
            found.append(os.path.join(dirpath, "rule.yaml"))
    return sorted(found)


def load_catalog(extra_dirs: tuple[str, ...] = (), validate_builtin: bool = False) -> list[Rule]:
    """All rules, built-in first then user rule folders; ids and names must be unique."""
    rules: list[Rule] = []
    builtin = builtin_rules_dir()
    for directory in (builtin, *extra_dirs):
        if not os.path.isdir(directory):
            raise CatalogError(f"{directory}: rules directory not found")
        rules.extend(
            load_rule(path, validate=directory != builtin or validate_builtin) for path in _rule_files(directory)
        )
    seen: dict[str, str] = {}
    for rule in rules:
        for key in (rule.id, rule.name):
            if key in seen:
                raise CatalogError(f"{rule.folder}/rule.yaml:1: {key} is already defined in {seen[key]}")
            seen[key] = f"{rule.folder}/rule.yaml"
    return sorted(rules, key=lambda r: r.id)
