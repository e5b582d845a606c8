"""Configuration: `[tool.ecrlint]` in pyproject.toml or `.ecrlint.yaml`, found by walking up.

The file is validated with a JSON Schema; an unknown key or a bad value is a usage error that
names the file and the key (and, for a misspelt key, the nearest known one). Two configuration
files in one folder are an error: which one counts would be a guess. Command-line flags override the file. Relative paths in the file
(rules-dirs, var-files, baseline, per-path-ignores globs) are relative to the file's folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

CONFIG_NAMES = (".ecrlint.yaml", ".ecrlint.yml", "pyproject.toml")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: str | None = None  # None: no configuration file
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path) if self.path else os.getcwd()

    def get(self, key: str, fallback: Any = None) -> Any:
        return self.data.get(key, fallback)

    def paths(self, key: str) -> list[str]:
        return [os.path.normpath(os.path.join(self.directory, p)) for p in self.data.get(key, [])]


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None


def _read_toml(path: str) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None


def _read_yaml(path: str) -> Any:
    import yaml

    text = _read_text(path)
    try:
        data = yaml.safe_load(text) or {}
        if isinstance(data, dict) and isinstance(data.get("account-id"), int):
            data["account-id"] = _plain_scalar(yaml.compose(text), "account-id")
        return data
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(err, 'problem', err)}") from None


def _plain_scalar(node: Any, key: str) -> Any:
    """The text of `key`'s value as written: an unquoted account id such as 001122334455 would
    otherwise be read as an octal number."""
    for key_node, value_node in node.value:
        if key_node.value == key:
            return value_node.value
    return None


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    """An account id written as a number (TOML) is the same id as text; the schema then checks its
    12 digits (TOML numbers cannot start with 0, so nothing is lost)."""
    account = data.get("account-id")
    if isinstance(account, int) and not isinstance(account, bool):
        data = {**data, "account-id": str(account)}
    return data


def _section(path: str) -> dict[str, Any] | None:
    if os.path.basename(path) == "pyproject.toml":
        return _read_toml(path).get("tool", {}).get("ecrlint")
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return data


def find_config(start: str) -> str | None:
    """The nearest configuration file at or above `start` (a file or directory)."""
    directory = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        found = [
            candidate
            for candidate in (os.path.join(directory, name) for name in CONFIG_NAMES)
            if os.path.isfile(candidate)
            and (os.path.basename(candidate) != "pyproject.toml" or _section(candidate) is not None)
        ]
        if len(found) > 1:
            where = "[tool.ecrlint] in " if found[-1].endswith("pyproject.toml") else ""
            raise ConfigError(
                f"{found[0]} and {where}{found[-1]} both configure ecrlint; keep one"
                + (f" (also {', '.join(found[1:-1])})" if len(found) > 2 else "")
            )
        if found:
            return found[0]
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _schema() -> dict[str, Any]:
    return json.loads(resources.files("ecrlint").joinpath("schemas/config.schema.json").read_text("utf-8"))


def suggestion(key: str, known: list[str]) -> str:
    """` (did you mean 'fail-on'?)` for a near miss, else nothing."""
    import difflib

    spelled = key.replace("_", "-").lower()
    if spelled in known:
        return f" (did you mean {spelled!r}?)"
    close = difflib.get_close_matches(spelled, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def validate(data: dict[str, Any], path: str) -> None:
    import jsonschema

    schema = _schema()
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            key = ".".join([*map(str, err.path), extra[0]]) if extra else "?"
            hint = suggestion(extra[0], sorted(err.schema.get("properties", {}))) if extra else ""
            raise ConfigError(f"{path}: unknown key {key!r}{hint}")
        key = ".".join(map(str, err.path)) or "(top level)"
        raise ConfigError(f"{path}: {key}: {err.message}")


def load_config(explicit: str | None, start: str) -> Config:
    path = explicit or find_config(start)
    if path is None:
        return Config()
    if not os.path.isfile(path):
        raise ConfigError(f"{path}: configuration file not found")
    data = _section(path) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.ecrlint] must be a table")
    data = _normalise(data)
    validate(data, path)
    return Config(os.path.abspath(path), data)
