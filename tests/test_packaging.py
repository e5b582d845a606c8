"""The wheel must carry every package and every rule folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


def test_every_package_is_listed_in_pyproject():
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        listed = set(tomllib.load(handle)["tool"]["setuptools"]["packages"])
    found = set()
    for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, "ecrlint")):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        if "__init__.py" in filenames:
            found.add(os.path.relpath(dirpath, ROOT).replace(os.sep, "."))
    assert found - listed == set(), "add these packages to pyproject.toml"
    assert "ecrlint.rules" in listed


def test_wheel_ships_rules_and_fixtures(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(proc.stderr[-2000:])
    wheel = next(p for p in os.listdir(tmp_path) if p.endswith(".whl"))
    names = set(zipfile.ZipFile(tmp_path / wheel).namelist())
    rules_dir = os.path.join(ROOT, "rules")
    for dirpath, _, filenames in os.walk(rules_dir):
        for name in filenames:
            if name.endswith(".pyc"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), rules_dir).replace(os.sep, "/")
            assert f"ecrlint/rules/{rel}" in names, f"{rel} is missing from the wheel"
    assert "ecrlint/query/grammar.lark" in names
    assert "ecrlint/schemas/rule.schema.json" in names
    assert "ecrlint/module_models/terraform-aws-modules__ecr__aws/v1-v3/repository.tf" in names
