"""The real-world corpus in ../shared: every valid CloudFormation/JSON file is read without a diagnostic."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from .helpers import run, source_files

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(os.path.dirname(REPO_ROOT), "shared", "corpus", "real")


class _AnyTagLoader(yaml.SafeLoader):
    """Only to tell valid YAML from invalid: CloudFormation tags accepted, values ignored."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _unique_keys(loader, node, deep=False):
    """A mapping whose keys are unique: CloudFormation and ecrlint reject a repeated key; PyYAML keeps the last."""
    keys = [loader.construct_object(key, deep=deep) for key, _value in node.value]
    if len(keys) != len({repr(k) for k in keys}):
        raise yaml.constructor.ConstructorError(None, None, "duplicate key", node.start_mark)
    return loader.construct_mapping(node, deep)


_AnyTagLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_keys)


def _valid(path: str) -> bool:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        if path.endswith(".json") or text.lstrip().startswith("{"):
            json.loads(text)
        else:
            yaml.load(text, Loader=_AnyTagLoader)  # noqa: S506 - a SafeLoader subclass
    except (ValueError, yaml.YAMLError):
        return False
    return True


@pytest.fixture(scope="module")
def corpus():
    if not os.path.isdir(CORPUS):
        pytest.skip(f"{CORPUS} is not available")
    return CORPUS


def test_valid_files_yield_no_diagnostic(corpus):
    files = source_files(corpus)
    assert files, "the corpus holds JSON/YAML files"
    result = run(corpus)
    valid = {f.path for f in files if _valid(f.abspath)}
    reported = {d.span.path: d.message for d in result.diagnostics}
    assert not {p: m for p, m in reported.items() if p in valid}
    # files that are not valid JSON/YAML and look like ours are reported
    assert set(reported) <= {f.path for f in files} - valid


def test_corpus_enters_the_model(corpus):
    result = run(corpus)
    kinds = {type(o).__name__ for o in result.objects}
    assert {"Repository", "IamRole", "LifecyclePolicy", "ReplicationConfiguration", "RegistryPolicy"} <= kinds
    cdk = [o for o in result.objects if o.source_format == "cdk"]
    assert cdk and all(o.construct_path for o in cdk)
