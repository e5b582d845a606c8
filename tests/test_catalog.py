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
