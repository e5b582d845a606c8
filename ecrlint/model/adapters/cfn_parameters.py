"""CloudFormation parameter values a deployment passes: a parameters file, or SAM's samconfig.toml.

`--parameters FILE` takes the AWS CLI's JSON format (`[{"ParameterKey": .., "ParameterValue": ..}]`)
or a CodePipeline template configuration (`{"Parameters": {"Key": "Value"}}`). Its values pin the
parameters of that name in every template scanned. A `samconfig.toml` beside a template pins that
template's parameters with the `parameter_overrides` of its `default` environment (`deploy`, else
`global`), as `sam deploy` does when it is given no `--config-env`; the command line wins over it.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
from typing import Any

MAX_BYTES = 10 * 1024 * 1024
SAMCONFIG = "samconfig.toml"


class ParametersError(ValueError):
    """A parameters file that cannot be read: a usage error naming the file."""


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ",".join(str(v) for v in value)  # a list parameter, as the CLI's comma-separated text
    return None


def parse_parameters(text: str, path: str) -> dict[str, str]:
    """Parameter values from a parameters file's JSON text."""
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ParametersError(f"{path}: not JSON: {err}") from None
    out: dict[str, str] = {}
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        for key, value in data["Parameters"].items():
            text_value = _scalar(value)
            if text_value is None:
                raise ParametersError(f"{path}: parameter {key} is not text")
            out[str(key)] = text_value
        return out
    if not isinstance(data, list):
        raise ParametersError(f'{path}: expected a list of {{"ParameterKey", "ParameterValue"}} objects')
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("ParameterKey"), str):
            raise ParametersError(f"{path}: entry {index + 1} has no ParameterKey")
        if item.get("UsePreviousValue") is True and "ParameterValue" not in item:
            continue  # the stack's current value: not known here
        text_value = _scalar(item.get("ParameterValue"))
        if text_value is None:
            raise ParametersError(f"{path}: entry {index + 1} ({item['ParameterKey']}) has no ParameterValue")
        out[item["ParameterKey"]] = text_value
    return out


def read_regular(path: str) -> bytes | None:
    """A regular file's bytes, at most MAX_BYTES; None for anything else (FIFOs, folders, big files)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError:
        return None


def read_parameters_file(path: str) -> dict[str, str]:
    data = read_regular(path)
    if data is None:
        raise ParametersError(f"no such parameters file (or not a regular file under 10 MiB): {path}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParametersError(f"{path}: not UTF-8") from None
    return parse_parameters(text, path)


def _overrides(value: Any) -> dict[str, str] | None:
    """`Key=Value Other="two words"` (or a list of `Key=Value`) as a mapping; None when malformed."""
    if isinstance(value, str):
        try:
            items = shlex.split(value)
        except ValueError:
            return None
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = list(value)
    else:
        return None
    out: dict[str, str] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            return None
        out[key] = text
    return out


def samconfig_parameters(template_path: str) -> tuple[dict[str, str], str] | None:
    """The `parameter_overrides` of the samconfig.toml beside a template, with that file's path.

    Raises ParametersError when the file is there but cannot be read as SAM configuration."""
    path = os.path.join(os.path.dirname(template_path), SAMCONFIG)
    data = read_regular(path)
    if data is None:
        return None
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        config = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ParametersError(f"cannot read {SAMCONFIG}: {err}") from None
    environment = config.get("default")
    if not isinstance(environment, dict):
        return None
    for command in ("deploy", "global"):
        section = environment.get(command)
        parameters = section.get("parameters") if isinstance(section, dict) else None
        if isinstance(parameters, dict) and "parameter_overrides" in parameters:
            found = _overrides(parameters["parameter_overrides"])
            if found is None:
                raise ParametersError(f"{SAMCONFIG}: parameter_overrides is not a list of Key=Value")
            return found, path
    return None


__all__ = ["ParametersError", "parse_parameters", "read_parameters_file", "samconfig_parameters"]
