"""The YAML loader: located values, CloudFormation short-form tags, limits."""

from __future__ import annotations

import time

import pytest

from ecrlint.parse import MAX_DEPTH, ParseError
from ecrlint.parse.yaml import key_span, parse_yaml_value

from .helpers import span_text

TEMPLATE = """\
AWSTemplateFormatVersion: 2010-09-09
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: !Sub "${Env}-app"
      ImageTagMutability: 'IMMUTABLE'
      Arn: !GetAtt Repo.Arn
      Joined: !Join
        - ""
        - [a, !Ref Env]
      Text: |
        {"rules": []}

      Flags: {scan: yes, count: 0x1F, ratio: 1.5, none: ~, off: off}
  # a comment between resources
  Other:
    Type: AWS::SNS::Topic
"""


def test_values_and_spans():
    root = parse_yaml_value(TEMPLATE, "t.yaml")
    assert root.data["AWSTemplateFormatVersion"].data == "2010-09-09"  # timestamps stay text
    props = root.data["Resources"].data["Repo"].data["Properties"]
    mutability = props.data["ImageTagMutability"]
    assert mutability.data == "IMMUTABLE"
    assert span_text(TEMPLATE, mutability.span) == "'IMMUTABLE'"
    flags = props.data["Flags"].plain()
    assert flags == {"scan": True, "count": 31, "ratio": 1.5, "none": None, "off": False}
    text = props.data["Text"]
    assert text.data == '{"rules": []}\n'
    assert span_text(TEMPLATE, text.span) == '|\n        {"rules": []}'
    # a block mapping ends at its last value, not at the comment or the next key
    repo = root.data["Resources"].data["Repo"]
    assert span_text(TEMPLATE, repo.span).endswith("off: off}")
    assert key_span(root.data["Resources"], "Repo").start_line == 3
    assert key_span(root.data["Resources"], "Repo").start_col == 3


def test_short_form_tags_become_long_form():
    root = parse_yaml_value(TEMPLATE, "t.yaml")
    props = root.data["Resources"].data["Repo"].data["Properties"].data
    sub = props["RepositoryName"]
    assert list(sub.data) == ["Fn::Sub"]
    assert sub.data["Fn::Sub"].data == "${Env}-app"
    assert span_text(TEMPLATE, sub.span) == '!Sub "${Env}-app"'
    assert span_text(TEMPLATE, sub.data["Fn::Sub"].span) == '"${Env}-app"'
    get_att = props["Arn"].data["Fn::GetAtt"]
    assert get_att.plain() == ["Repo", "Arn"]
    assert span_text(TEMPLATE, get_att.data[0].span) == "Repo"
    assert span_text(TEMPLATE, get_att.data[1].span) == "Arn"
    joined = props["Joined"].plain()
    assert joined == {"Fn::Join": ["", ["a", {"Ref": "Env"}]]}


@pytest.mark.parametrize(
    "tag,key",
    [
        ("!Ref X", "Ref"),
        ("!Condition X", "Condition"),
        ("!ImportValue X", "Fn::ImportValue"),
        ("!Base64 X", "Fn::Base64"),
        ("!GetAZs ''", "Fn::GetAZs"),
        ("!Select [0, [a]]", "Fn::Select"),
        ("!Split [',', 'a,b']", "Fn::Split"),
        ("!If [C, a, b]", "Fn::If"),
        ("!FindInMap [M, a, b]", "Fn::FindInMap"),
        ("!Equals [a, b]", "Fn::Equals"),
        ("!And [{Condition: A}, {Condition: B}]", "Fn::And"),
        ("!Or [{Condition: A}, {Condition: B}]", "Fn::Or"),
        ("!Not [{Condition: A}]", "Fn::Not"),
        ("!Cidr [10.0.0.0/16, 4, 8]", "Fn::Cidr"),
    ],
)
def test_every_short_form_tag(tag, key):
    value = parse_yaml_value(f"v: {tag}\n", "t.yaml").data["v"]
    assert list(value.data) == [key]


def test_tagged_scalar_stays_text():
    value = parse_yaml_value("v: !Ref 123\n", "t.yaml").data["v"]
    assert value.data["Ref"].data == "123"


def test_merge_keys_and_anchors():
    doc = "base: &base {a: 1, b: 2}\nderived:\n  <<: *base\n  b: 3\nalias: *base\n"
    root = parse_yaml_value(doc, "t.yaml")
    assert root.data["derived"].plain() == {"b": 3, "a": 1}
    assert root.data["alias"] is root.data["base"]


@pytest.mark.parametrize(
    "text,message,line,col",
    [
        ("a: 1\na: 2\n", "duplicate key 'a'", 2, 1),
        ("a: !Foo x\n", "unknown tag !Foo", 1, 4),
        ("a: [1\n", "did not find expected", 2, 1),
        ("a: 1\n---\nb: 2\n", "more than one YAML document", 2, 1),
        ("a: *nothing\n", "undefined alias", 1, 4),
        ("a: &x [*x]\n", "recursive alias", 1, 8),
        ("a:\n\tb: 1\n", "cannot start any token", 2, 1),
        ("a: !!int x\n", "not a valid !!int", 1, 4),
    ],
)
def test_errors_have_positions(text, message, line, col):
    with pytest.raises(ParseError) as err:
        parse_yaml_value(text, "t.yaml")
    assert message in err.value.message
    assert (err.value.line, err.value.col) == (line, col)


def test_depth_limit_flow_and_block():
    deep_flow = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    with pytest.raises(ParseError) as err:
        parse_yaml_value(deep_flow, "t.yaml")
    assert "nesting deeper than" in err.value.message
    assert (err.value.line, err.value.col) == (1, MAX_DEPTH + 1)
    deep_block = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v\n"
    with pytest.raises(ParseError):
        parse_yaml_value(deep_block, "t.yaml")
    # far beyond any stack: refused, not a crash
    with pytest.raises(ParseError):
        parse_yaml_value("[" * 200_000 + "]" * 200_000, "t.yaml")
    # within the limit is fine
    ok = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert parse_yaml_value(ok, "t.yaml").is_list


def test_depth_limit_through_aliases():
    nested = "[" * 150 + "]" * 150
    text = f"a: &a {nested}\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
    with pytest.raises(ParseError) as err:
        parse_yaml_value(text, "t.yaml")
    assert "through alias" in err.value.message


def test_billion_laughs_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    start = time.perf_counter()
    with pytest.raises(ParseError) as err:
        parse_yaml_value(text, "laughs.yaml")
    assert time.perf_counter() - start < 1.0
    assert "alias expansion limit" in err.value.message
    assert err.value.line > 1


def test_modest_aliases_are_fine():
    text = "defaults: &d {ScanOnPush: true}\n" + "".join(f"r{i}: *d\n" for i in range(500))
    root = parse_yaml_value(text, "t.yaml")
    assert root.data["r499"].plain() == {"ScanOnPush": True}


def test_empty_document_and_bom():
    assert parse_yaml_value("", "t.yaml").data is None
    assert parse_yaml_value("# only a comment\n", "t.yaml").data is None
    assert parse_yaml_value("\ufeffa: 1\n", "t.yaml").plain() == {"a": 1}


def test_keys_are_text():
    root = parse_yaml_value("on: 1\n2012-10-17: x\n", "t.yaml")
    assert list(root.data) == ["on", "2012-10-17"]
