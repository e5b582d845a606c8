"""Configuration: `[tool.ecrlint]` in pyproject.toml or `.ecrlint.yaml`, found by walking up.

The file is validated with a JSON Schema; an unknown key or a bad value is a usage error that
names the file and the key. Command-line flags override the file. Relative paths in the file
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


def _read_toml(path: str) -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None


def _read_yaml(path: str) -> Any:
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML: {getattr(err, 'problem', err)}") from None


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
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                if name != "pyproject.toml" or _section(candidate) is not None:
                    return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def validate(data: dict[str, Any], path: str) -> None:
    import jsonschema

    schema = json.loads(resources.files("ecrlint").joinpath("schemas/config.schema.json").read_text("utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            key = ".".join([*map(str, err.path), extra[0]]) if extra else "?"
            raise ConfigError(f"{path}: unknown key {key!r}")
        key = ".".join(map(str, err.path)) or "(top level)"
        raise ConfigError(f"{path}: {key}: {err.message}")


def load_config(explicit: str | None, start: str) -> Config:
    path = explicit or find_config(start)
    if path is None:
        return Config()
    if not os.path.isfile(path):
        raise ConfigError(f"{path}: configuration file not found")
    data = _section(path) or {}
    validate(data, path)
    return Config(os.path.abspath(path), data)
