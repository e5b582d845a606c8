"""The shipped rule catalogue: every rule file valid, ids and names unique, metadata held to behaviour."""

from __future__ import annotations

import os

import pytest

from ecrlint.catalog import CatalogError, load_catalog, load_rule

CATALOG = load_catalog(validate_builtin=True)  # users' runs skip this schema check; the suite does it


def test_ids_and_names_are_unique_and_sorted():
    ids = [r.id for r in CATALOG]
    assert ids == sorted(set(ids))
    assert len({r.name for r in CATALOG}) == len(CATALOG)


@pytest.mark.parametrize("rule", CATALOG, ids=[r.id for r in CATALOG])
def test_each_input_format_has_a_bad_fixture(rule):
    kinds = {
        "terraform": (".tf",),
        "terraform-json": (".tf.json",),
        "cloudformation": (".cfn.yaml", ".cfn.json"),
        "tfplan": (".tfplan.json",),
        "json": (".policy.json", ".json"),
        "cdk": (".cdk.out",),
    }
    names = [os.path.basename(f) for f in rule.fixtures() if os.path.basename(f).startswith("bad_")]
    for fmt in rule.inputs:
        suffixes = kinds.get(fmt)
        if suffixes is None:
            continue  # formats read from directories (terraform-json, buildspec, dockerfile, any)
        has = any(n.endswith(suffixes) for n in names) or any(
            os.path.isdir(f) for f in rule.fixtures() if os.path.basename(f).startswith("bad_")
        )
        assert has, f"{rule.id} declares input {fmt} but has no bad_ fixture of that kind"


def test_malformed_rule_fails_loudly_with_file_and_line(tmp_path):
    folder = tmp_path / "ECR999-broken-rule"
    folder.mkdir()
    (folder / "rule.yaml").write_text("id: ECR999\nname: broken-rule\nseverity: enormous\n")
    with pytest.raises(CatalogError) as err:
        load_rule(str(folder / "rule.yaml"))
    assert "rule.yaml" in str(err.value) and ":" in str(err.value)


# -- the default rule set ----------------------------------------------------------------------

REPO_TF = (
    'resource "aws_ecr_repository" "app" {\n  name                 = "app"\n  image_tag_mutability = "MUTABLE"\n}\n'
)


def test_every_shipped_rule_says_whether_it_is_on_by_default_and_why():
    for rule in CATALOG:
        with open(os.path.join(rule.folder, "rule.yaml"), encoding="utf-8") as handle:
            text = handle.read()
        assert "\ndefault: " in text and rule.default_reason, f"{rule.id} does not record its default and why"
    by_id = {r.id: r for r in CATALOG}
    assert not by_id["ECR104"].default and not by_id["ECR203"].default
    assert all(by_id[i].default for i in ("ECR900", "ECR901", "ECR902", "ECR101", "ECR201", "ECR402"))
    assert by_id["ECR203"].severity == "low" and by_id["ECR203"].severity_reason


def test_custom_rule_without_the_key_is_on(tmp_path):
    folder = tmp_path / "ECR990-custom-rule"
    folder.mkdir()
    (folder / "rule.yaml").write_text(
        "id: ECR990\nname: custom-rule\ntitle: A custom rule for the test\nseverity: low\ncategory: governance\n"
        "inputs: [terraform]\nrationale: Something a team wants to see.\nremediation: Do the other thing.\n"
        'help_uri: https://example.com\nsince: "1"\nquery: repository r where r.force_delete == true report r.force_delete\n'
        'message: "{r.display_name}"\n'
    )
    assert load_rule(str(folder / "rule.yaml")).default is True


def _ids(**kw):
    from ecrlint.pipeline import choose_rules

    return {r.id for r in choose_rules(CATALOG, kw.get("select", []), kw.get("ignore", []), kw.get("extend", []))}


def test_choose_rules_follows_ruff():
    default = _ids()
    assert default == {r.id for r in CATALOG if r.default}
    assert "ECR104" not in default and "ECR101" in default
    assert _ids(extend=["ECR104"]) == default | {"ECR104"}  # extend adds to the defaults
    assert _ids(extend=["no-customer-managed-key"]) == default | {"ECR104"}
    # select replaces the defaults; parse errors stay on (suppression hygiene would flag the
    # suppressions of rules that did not run, so it follows the selection)
    assert _ids(select=["ECR104"]) == {"ECR104", "ECR900"}
    assert {"ECR103", "ECR104", "ECR101"} <= _ids(select=["ECR1"])  # a prefix takes opt-in rules too
    assert _ids(select=["ALL"]) == {r.id for r in CATALOG}
    assert _ids(select=["all"], ignore=["ECR900"]) == {r.id for r in CATALOG} - {"ECR900"}
    assert _ids(select=["ECR106"], extend=["ECR104"]) == {"ECR104", "ECR106", "ECR900"}


def test_unknown_selector_in_extend_select_is_an_error():
    from ecrlint.pipeline import RunError

    with pytest.raises(RunError):
        _ids(extend=["ECR999"])


def _rule_ids_reported(tmp_path, capsys, *args):
    import json

    from ecrlint.cli import main

    capsys.readouterr()
    main(["check", str(tmp_path / "tf"), "--no-cache", "--format", "json", *args])
    return {f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_default_run_skips_opt_in_rules_and_the_flags_enable_them(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(REPO_TF)
    default = _rule_ids_reported(tmp_path, capsys)
    assert "ECR101" in default and "ECR104" not in default
    assert "ECR104" in _rule_ids_reported(tmp_path, capsys, "--extend-select", "ECR104")
    assert _rule_ids_reported(tmp_path, capsys, "--select", "ECR104") == {"ECR104"}
    assert {"ECR101", "ECR103", "ECR104"} <= _rule_ids_reported(tmp_path, capsys, "--select", "ALL")


def test_config_select_and_extend_select(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(REPO_TF)
    (tmp_path / ".ecrlint.yaml").write_text("extend-select: [ECR104]\n")
    assert {"ECR101", "ECR104"} <= _rule_ids_reported(tmp_path, capsys)
    (tmp_path / ".ecrlint.yaml").write_text("select: [no-customer-managed-key]\n")
    assert _rule_ids_reported(tmp_path, capsys) == {"ECR104"}
    # the command line adds to the file's extend-select, as ruff does
    (tmp_path / ".ecrlint.yaml").write_text("extend-select: [ECR104]\n")
    assert {"ECR101", "ECR103", "ECR104"} <= _rule_ids_reported(tmp_path, capsys, "--extend-select", "ECR103")


def test_rules_command_marks_the_default_ones(capsys):
    from ecrlint.cli import main

    assert main(["rules"]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line.startswith("ECR")}
    assert " default " in lines["ECR101"] and " opt-in " in lines["ECR104"]
