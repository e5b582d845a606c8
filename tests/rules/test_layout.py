"""A rule is its folder: rule.yaml, its check (when it is not a query), its fixtures and snapshot."""

from __future__ import annotations

import os
import re

import pytest

from ecrlint.catalog import CatalogError, builtin_rules_dir, load_catalog, load_rule
from ecrlint.rule_loader import load_check

from . import rule_check

SHIPPED = load_catalog()
CHECK = re.compile(r"^def \w+\(model: Model, ctx: CheckContext\)", re.MULTILINE)


@pytest.mark.parametrize("rule", [r for r in SHIPPED if r.check], ids=lambda r: r.id)
def test_a_shipped_check_is_the_check_py_of_its_folder(rule):
    assert rule.check.startswith("check.py:")
    function = load_check(rule)
    assert os.path.dirname(function.__code__.co_filename) == rule.folder


def test_rule_logic_is_not_left_in_the_package():
    # The rules' checks live in their folders; the package holds the libraries they share.
    package = os.path.join(os.path.dirname(builtin_rules_dir()), "ecrlint")
    if not os.path.isdir(package):
        pytest.skip("installed without the checkout")
    for folder, _dirs, names in os.walk(package):
        for name in names:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    text = handle.read()
                assert not CHECK.search(text), f"{name} defines a rule check"


def test_a_shipped_rule_naming_a_module_is_refused(tmp_path):
    source = next(r for r in SHIPPED if r.id == "ECR201")
    folder = tmp_path / os.path.basename(source.folder)
    folder.mkdir()
    with open(os.path.join(source.folder, "rule.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    (folder / "rule.yaml").write_text(text.replace("check: check.py:", "check: ecrlint.iam.sources:"))
    with pytest.raises(
        CatalogError, match="check: .ecrlint.iam.sources:check_public_repository_policy. does not match"
    ):
        load_rule(str(folder / "rule.yaml"))


def test_each_run_of_a_check_loads_the_same_function_of_the_same_file():
    assert rule_check("ECR202").__name__ == "check_cross_account_write_access"
    rule = next(r for r in SHIPPED if r.id == "ECR202")
    assert load_check(rule).__code__.co_filename == rule_check("ECR202").__code__.co_filename


def test_a_rule_file_is_loaded_again_only_when_it_changed(tmp_path):
    from ecrlint.rule_loader import load_rule_file

    path = tmp_path / "check.py"
    path.write_text("def run(model, ctx):\n    return ['first']\n")
    first = load_rule_file(str(path), "ecrlint_rule_test_reload", "rule.yaml")
    assert load_rule_file(str(path), "ecrlint_rule_test_reload", "rule.yaml") is first
    path.write_text("def run(model, ctx):\n    return ['second, longer']\n")
    second = load_rule_file(str(path), "ecrlint_rule_test_reload", "rule.yaml")
    assert second is not first and second.run(None, None) == ["second, longer"]
