"""The rule catalogue: loads and validates every `rule.yaml` under the rules directories."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

SEVERITY_SCORES = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}


class CatalogError(Exception):
    """A malformed rule file: the message names the file and, where known, the line."""


PYTHON_RULES_VARIABLE = "ECRLINT_ALLOW_PYTHON_RULES"
_CHECK_FILE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.py$")


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
    if data.get("check") is not None:
        _validate_check(path, str(data["check"]), folder)
    if validate and isinstance(data.get("query"), str):
        _validate_query(path, data["query"], data.get("message"))
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


def _validate_check(path: str, check: str, folder: str) -> None:
    """A check is a function in a Python file of the rule's own folder, imported by path: never a
    module name, which would import whatever the working directory or the installed packages hold
    under that name. Shipped rules and custom rules are loaded the same way."""
    where = f"{path}:{_line_of(path, 'check')}"
    target, _, function = check.partition(":")
    if not _CHECK_FILE.match(target) or not function.isidentifier():
        raise CatalogError(
            f"{where}: check: {check!r} must name a Python file in the rule's folder and a function in it,"
            " e.g. `check: check.py:run`"
        )
    if check_file(folder, check) is None:
        raise CatalogError(f"{where}: check: {target} is not a file in {os.path.dirname(path) or '.'}")


def _validate_query(path: str, query: str, message: str | None) -> None:
    """Compile the query now, so that a syntax error or a path the model does not have (`r.nmae`)
    is an error naming the rule file and line rather than a rule that never fires."""
    from .query import QueryError, compile_query, path_problem

    try:
        compiled = compile_query(query)
    except QueryError as err:
        line, col = _query_position(path, err.line, err.col)
        raise CatalogError(f"{path}:{line}:{col}: query: {err.message}") from None
    for placeholder in re.findall(r"\{([a-z_][a-z0-9_.]*)\}", message or ""):
        steps = tuple(placeholder.split("."))
        problem = steps[0] == compiled.var and path_problem(compiled.kinds, steps)
        if problem:
            raise CatalogError(f"{path}:{_line_of(path, 'message')}: message: {problem}")


def _query_position(path: str, line: int, col: int) -> tuple[int, int]:
    """Where line `line`, column `col` of the query text is in the rule file: below `query: |` (or
    `>`) the text starts on the next line, indented; otherwise it is on the key's own line."""
    start = _line_of(path, "query")
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    head = lines[start - 1].partition(":")[2].strip() if start <= len(lines) else ""
    if not head.startswith(("|", ">")):
        return start, col
    target = start + line
    text = lines[target - 1] if target <= len(lines) else ""
    return target, col + len(text) - len(text.lstrip(" "))


def check_file(folder: str, check: str) -> str | None:
    """The Python file a rule's `check:` names, when it is a file of the rule's own folder."""
    target = check.partition(":")[0]
    if not _CHECK_FILE.match(target):
        return None
    real = os.path.realpath(os.path.join(folder, target))
    if os.path.dirname(real) != os.path.realpath(folder) or not os.path.isfile(real):
        return None
    return real


def is_shipped(rule: Rule) -> bool:
    return not rule.folder or _inside(rule.folder, builtin_rules_dir())


def _inside(path: str, directory: str) -> bool:
    path, directory = os.path.realpath(path), os.path.realpath(directory)
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _refuse_python(rule: Rule, directory: str) -> None:
    path = os.path.join(rule.folder, "rule.yaml")
    raise CatalogError(
        f"{path}:{_line_of(path, 'check')}: {rule.id} runs Python ({rule.check}), and its folder {directory}"
        " comes from a configuration file, not from --rules on the command line: Python rules named by a"
        f" configuration run only with `allow-python-rules: true` in it and {PYTHON_RULES_VARIABLE}=1 in the"
        " environment"
    )


def _rule_files(directory: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d != "tests" and not d.startswith((".", "__")))
        if "rule.yaml" in filenames:
            found.append(os.path.join(dirpath, "rule.yaml"))
    return sorted(found)


def load_catalog(
    extra_dirs: tuple[str, ...] = (), validate_builtin: bool = False, python_rules: bool = False
) -> list[Rule]:
    """All rules, built-in first then user rule folders; ids and names must be unique. A user rule
    with a Python check is an error unless `python_rules` says the user chose to run Python from
    `extra_dirs` (named on the command line, or allowed explicitly): a scanned repository's
    configuration must not run code on its own say."""
    rules: list[Rule] = []
    builtin = builtin_rules_dir()
    for directory in (builtin, *extra_dirs):
        if not os.path.isdir(directory):
            raise CatalogError(f"{directory}: rules directory not found")
        shipped = directory == builtin
        for path in _rule_files(directory):
            rule = load_rule(path, validate=not shipped or validate_builtin)
            if rule.check is not None and not shipped and not python_rules:
                _refuse_python(rule, directory)
            rules.append(rule)
    seen: dict[str, str] = {}
    for rule in rules:
        for key in (rule.id, rule.name):
            if key in seen:
                raise CatalogError(f"{rule.folder}/rule.yaml:1: {key} is already defined in {seen[key]}")
            seen[key] = f"{rule.folder}/rule.yaml"
    return sorted(rules, key=lambda r: r.id)
