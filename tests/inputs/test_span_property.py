"""Property: the text at a value's span parses back to the value (YAML and JSON templates)."""

from __future__ import annotations

import json
import textwrap

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.model.adapters import AdapterContext
from ecrlint.model.adapters.cfn_intrinsics import StackEnvironment
from ecrlint.model.adapters.cloudformation import StackInstance, build_stack
from ecrlint.model.adapters.docload import Document, Loader, parse_text
from ecrlint.model.objects import Repository
from ecrlint.options import Options
from ecrlint.parse.json import parse_json_value
from ecrlint.parse.yaml import parse_yaml_value
from ecrlint.values import Value

from .helpers import span_text

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("#:-{}[],&*!|>'\"%@` \t")),
    max_size=16,
)
names = st.from_regex(r"[a-z][a-z0-9]{0,8}(/[a-z0-9]{1,5})?", fullmatch=True)
mutability = st.sampled_from(["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"]) | text
scalar = st.one_of(st.booleans(), st.integers(-(10**6), 10**6), text, st.none())


@st.composite
def repository(draw):
    props = {}
    if draw(st.booleans()):
        props["RepositoryName"] = draw(names)
    if draw(st.booleans()):
        props["ImageTagMutability"] = draw(mutability)
    if draw(st.booleans()):
        props["ImageTagMutabilityExclusionFilters"] = [
            {"ImageTagMutabilityExclusionFilterType": "WILDCARD", "ImageTagMutabilityExclusionFilterValue": v}
            for v in draw(st.lists(text, min_size=1, max_size=3))
        ]
    if draw(st.booleans()):
        props["ImageScanningConfiguration"] = {"ScanOnPush": draw(st.booleans())}
    if draw(st.booleans()):
        encryption = {"EncryptionType": draw(st.sampled_from(["AES256", "KMS", "KMS_DSSE"]))}
        if draw(st.booleans()):
            encryption["KmsKey"] = draw(text)
        props["EncryptionConfiguration"] = encryption
    if draw(st.booleans()):
        props["EmptyOnDelete"] = draw(st.booleans())
    if draw(st.booleans()):
        props["Extra"] = draw(st.dictionaries(names, scalar | st.lists(scalar, max_size=3), max_size=3))
    resource = {"Type": "AWS::ECR::Repository"}
    if props:
        resource["Properties"] = props
    return resource


templates = st.dictionaries(
    st.from_regex(r"[A-Z][A-Za-z0-9]{0,10}", fullmatch=True), repository(), min_size=1, max_size=3
).map(lambda resources: {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources})


@st.composite
def rendered(draw):
    data = draw(templates)
    if draw(st.booleans()):
        out = yaml.safe_dump(
            data,
            default_flow_style=draw(st.sampled_from([False, None, True])),
            indent=draw(st.integers(2, 5)),
            width=draw(st.sampled_from([40, 80, 1000])),
            allow_unicode=draw(st.booleans()),
            sort_keys=draw(st.booleans()),
        )
        return data, out, "yaml"
    indent = draw(st.sampled_from([None, 1, 2, 4]))
    return data, json.dumps(data, indent=indent, ensure_ascii=draw(st.booleans())), "json"


def reparse(source: str, value: Value, syntax: str):
    piece = span_text(source, value.span)
    if syntax == "json":
        return json.loads(piece)
    # give the first line its column back, then remove the common indentation
    piece = textwrap.dedent(" " * (value.span.start_col - 1) + piece)
    return parse_yaml_value(piece, "piece.yaml").plain()


def walk(value: Value):
    yield value
    if isinstance(value.data, dict):
        for child in value.data.values():
            yield from walk(child)
    elif isinstance(value.data, list):
        for child in value.data:
            yield from walk(child)


FIELDS = (
    "name",
    "image_tag_mutability",
    "image_tag_mutability_exclusion_filters",
    "scan_on_push",
    "encryption_type",
    "kms_key",
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rendered())
def test_every_node_span_reparses(case):
    data, source, syntax = case
    root = parse_text(source, "t." + syntax, syntax)[0]
    assert root.plain() == data
    for node in walk(root):
        assert reparse(source, node, syntax) == node.plain()


@SETTINGS
@given(rendered())
def test_model_values_point_at_their_text(case):
    data, source, syntax = case
    value, parsed_syntax = parse_text(source, "t." + syntax, syntax)
    doc = Document(
        path="t." + syntax, abspath="/nonexistent/t." + syntax, text=source, value=value, syntax=parsed_syntax
    )
    result = build_stack(
        StackInstance(doc=doc, env=StackEnvironment()), AdapterContext(options=Options()), Loader(roots=[])
    )
    repositories = [o for o in result.objects if isinstance(o, Repository)]
    assert len(repositories) == len(data["Resources"])
    for repo in repositories:
        logical = repo.address.split(".", 1)[1]
        assert span_text(source, repo.span).lstrip("\"'").startswith(logical)
        for name in FIELDS:
            field = getattr(repo, name)
            if field is None:
                continue
            if name == "image_tag_mutability_exclusion_filters":
                items = field.data
                assert [reparse(source, item, syntax) for item in items] == field.plain()
                continue
            back = reparse(source, field, syntax)
            if name == "scan_on_push":
                assert back is field.data
            else:
                assert back == field.plain()


def test_json_parser_and_yaml_loader_agree_on_json():
    source = json.dumps({"a": [1, {"b": "c"}], "d": None, "e": True}, indent=2)
    assert parse_yaml_value(source, "x.json").plain() == parse_json_value(source, "x.json").plain()
