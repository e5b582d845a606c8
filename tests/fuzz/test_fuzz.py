"""Generated and mutated inputs of every kind go through the whole pipeline: findings, never a crash.

Bounded by default (see harness.py); `ECRLINT_FUZZ=long python -m pytest tests/fuzz` runs the long
profile. A failure prints the shrunk input and a `@reproduce_failure` blob to replay it.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecrlint.cli import main

from . import gen
from .harness import TIME_LIMIT, check_files, fuzz_settings, record, time_limit


def _files(name: str, text: str) -> dict[str, bytes]:
    return {name: text.encode("utf-8", "surrogatepass")}


@fuzz_settings(60)
@given(st.lists(gen.terraform_files(), min_size=1, max_size=3), gen.tfvars_files(), st.booleans())
def test_generated_terraform(mains, tfvars, with_module):
    files = {f"main{i}.tf": text for i, text in enumerate(mains)}
    files["terraform.tfvars"] = tfvars
    if with_module:  # a local child module, called as ./mod by some generated module blocks
        files["mod/main.tf"] = mains[0]
    check_files("generated_terraform", {k: v.encode("utf-8", "surrogatepass") for k, v in files.items()})


@fuzz_settings(60)
@given(st.data())
def test_generated_cloudformation(data):
    text, ext = gen.serialise(data.draw(gen.cfn_templates()), data.draw)
    files = _files(f"template{ext}", text)
    if data.draw(st.booleans()):
        child, _ = gen.serialise(data.draw(gen.cfn_templates()), data.draw)
        files.update(_files("child.yaml", child))
    check_files("generated_cloudformation", files)


@fuzz_settings(40)
@given(st.data())
def test_generated_plan_json(data):
    check_files("generated_plan_json", _files("plan.json", gen.dump_json(data.draw(gen.plans()), data.draw)))


@fuzz_settings(60)
@given(
    st.data(),
    st.sampled_from(["policy.json", "repository-policy.json", "registry-policy.json", "x.json", "lifecycle.json"]),
)
def test_generated_policies(data, name):
    document = data.draw(st.one_of(gen.iam_policies(), gen.lifecycle_policies(), gen.raw_documents()))
    check_files("generated_policies", _files(name, gen.dump_json(document, data.draw)))


@fuzz_settings(30)
@given(gen.cdk_assemblies("cdk.out/"))
def test_generated_cdk(files):
    check_files("generated_cdk", {k: v.encode("utf-8", "surrogatepass") for k, v in files.items()})


@fuzz_settings(30)
@given(st.data(), st.sampled_from([".json", ".yaml", ".yml", ".template", ".tf.json", ".tfvars.json"]))
def test_generated_any_json_or_yaml(data, ext):
    value = data.draw(gen.json_values())
    text = gen.dump_yaml(value, data.draw) if ext in (".yaml", ".yml", ".template") else gen.dump_json(value, data.draw)
    check_files("generated_any_json_or_yaml", _files("doc" + ext, text))


@fuzz_settings(40)
@given(gen.generated_trees())
def test_generated_mixed_trees(files):
    check_files("generated_mixed_trees", files)


# Hand-written YAML features PyYAML's dumper never emits, under a CloudFormation header so that a
# failure to parse is reported (ECR900) rather than skipped as someone else's file.
YAML_PIECES = [
    "base: &base\n  ImageTagMutability: MUTABLE\n",
    "merged:\n  <<: *base\n  ScanOnPush: true\n",
    "merged2:\n  <<: [*base, *base]\n",
    "badmerge:\n  <<: 3\n",
    "alias_key:\n  *base : x\n",
    "undefined: *nope\n",
    "recursive: &r\n  self: *r\n",
    "lol: &l0 [a, a, a, a, a, a, a, a, a, a]\nl1: &l1 [*l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0, *l0]\n"
    "l2: &l2 [*l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1, *l1]\nl3: &l3 [*l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2, *l2]\n"
    "l4: &l4 [*l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3, *l3]\nl5: &l5 [*l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4, *l4]\n",
    "tagged: !!str 123\n",
    "bin: !!binary aGVsbG8=\n",
    "ts: !!timestamp 2001-12-14\n",
    "set: !!set {a, b}\n",
    "omap: !!omap [a: 1, b: 2]\n",
    "badint: !!int abc\n",
    "py: !!python/object/apply:os.system [touch PWNED]\n",
    "local: !Custom thing\n",
    "ref: !Ref Env\n",
    "sub: !Sub\n  - '${A}-${B}'\n  - A: !Ref Env\n    B: !GetAtt Repo.Arn\n",
    "getatt: !GetAtt [Repo, Arn]\n",
    "nested_tags: !If [IsProd, !Ref A, !Select [0, !Split [',', !Ref L]]]\n",
    "empty_tag: !Ref\n",
    "? [complex, key]\n: value\n",
    "? explicit\n: value\n",
    "block: |\n  line one\n  line two\n",
    "folded: >-\n  folded\n  text\n",
    "keep: |+\n  kept\n\n",
    "indicator: |2-\n    x\n",
    "quoted: 'it''s'\n",
    'dq: "\\x41\\u00e9\\U0001F600\\N\\_\\L\\P"\n',
    "flow: {a: [1, {b: c}], d: e}\n",
    "octal: 0o17\nsexa: 190:20:30\nhex: 0x1F\ninf: .inf\nnan: .NaN\n",
    "booleans: [yes, No, on, OFF, y, n]\n",
    "dup: 1\ndup: 2\n",
    "tabs:\n\t- x\n",
    "---\nsecond: document\n",
    "...\n",
    "%YAML 1.2\n---\n",
    "%TAG !e! tag:example.com,2000:\n---\n",
    "key with spaces: v\n",
    "'AWS::ECR::Repository': odd\n",
    "long: " + "x" * 5000 + "\n",
    "unicode: \u2028\u0085\ufeff\U0001f600\n",
]


@fuzz_settings(60)
@given(st.lists(st.sampled_from(YAML_PIECES), min_size=1, max_size=6), st.booleans(), st.booleans())
def test_handwritten_yaml(pieces, header, indent):
    body = "".join(pieces)
    if indent:
        body = "".join("  " + line + "\n" for line in body.split("\n"))
        body = "Metadata:\n" + body
    if header:
        body = 'AWSTemplateFormatVersion: "2010-09-09"\n' + body
    body += "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n"
    check_files("handwritten_yaml", _files("template.yaml", body))


@fuzz_settings(150)
@given(gen.mutated(gen.seed_trees()))
def test_mutated_repository_inputs(files):
    check_files("mutated_repository_inputs", files)


@fuzz_settings(60)
@given(gen.mutated(gen.generated_trees()))
def test_mutated_generated_inputs(files):
    check_files("mutated_generated_inputs", files)


@fuzz_settings(40)
@given(
    st.sampled_from(gen.NEST_KINDS),
    st.sampled_from(gen.DEPTHS),
    st.sampled_from(["x.json", "x.yaml", "main.tf", "x.tf.json", "plan.json", "t.template"]),
    st.sampled_from(
        ["", 'AWSTemplateFormatVersion: "2010-09-09"\n', '{"AWSTemplateFormatVersion": "2010-09-09", "x": ']
    ),
)
def test_deep_nesting(kind, depth, name, prefix):
    nested = gen._nest(kind, depth)
    data = prefix.encode() + nested + (b"}" if prefix.startswith("{") else b"")
    check_files("deep_nesting", {name: data})


EXAMPLES = os.path.join(gen.ROOT, "examples")
EXAMPLE_FILES = sorted(
    os.path.relpath(os.path.join(d, n), EXAMPLES) for d, _, names in os.walk(EXAMPLES) for n in names
)


@fuzz_settings(10)
@given(st.sampled_from(EXAMPLE_FILES), st.lists(gen.mutation(), min_size=1, max_size=3))
def test_mutated_examples_through_the_cli(target, steps):
    """The shipped examples with one file mutated, through `ecrlint check` itself, every format."""
    base = tempfile.mkdtemp(prefix="ecrlint-fuzz-cli-")
    try:
        root = os.path.join(base, "examples")
        shutil.copytree(EXAMPLES, root, symlinks=True)
        path = os.path.join(root, target)
        with open(path, "rb") as handle:
            data = handle.read()
        for step in steps:
            data = gen.apply(data, step)
        with open(path, "wb") as handle:
            handle.write(data)
        args = ["check", root]
        for fmt in ("text", "json", "sarif", "github", "junit", "gitlab"):
            args += ["--format", fmt, "--output", os.path.join(base, f"out.{fmt}")]
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), time_limit(TIME_LIMIT):
            code = main(args)
        elapsed = time.perf_counter() - started
        assert elapsed <= TIME_LIMIT, f"ecrlint took {elapsed:.0f} s on this input"
        record("mutated_examples_through_the_cli", elapsed, {target: data})
        assert code in (0, 1), err.getvalue()
        assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue(), err.getvalue()
    finally:
        shutil.rmtree(base, ignore_errors=True)


# Inputs the fuzzer (or writing it) found to crash ecrlint, kept as fixed examples so that CI checks
# them on every run whatever the random draw. See README.md for where each one failed.
CFN = 'AWSTemplateFormatVersion: "2010-09-09"\n'
TF_NAME = 'resource "aws_ecr_repository" "r" {{\n  name = {}\n}}\n'
REGRESSIONS = {
    "yaml-inf": {"t.yaml": CFN + "Description: .inf\nResources: {}\n"},
    "yaml-nan": {"t.yaml": CFN + "Description: .nan\nResources: {}\n"},
    "yaml-5000-digits": {"t.yaml": CFN + "Description: " + "9" * 5000 + "\nResources: {}\n"},
    "json-5000-digits": {"t.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Description": ' + "9" * 5000 + "}"},
    "hcl-5000-digits": {"main.tf": TF_NAME.format("9" * 5000)},
    "hcl-nested-interpolation": {"main.tf": TF_NAME.format('"' + '${"' * 3000 + "x" + '"}' * 3000 + '"')},
    "cfn-select-1e999": {
        "t.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"R": {"Type": "AWS::ECR::Repository", '
        '"Properties": {"RepositoryName": {"Fn::Select": [1e999, ["a", "b"]]}}}}}'
    },
    "tf-tolist-null": {"main.tf": TF_NAME.format("tolist(null)")},
    "tf-percent-on-string": {"main.tf": TF_NAME.format('"%y" % 1')},
    "tf-jsonencode-no-arguments": {"main.tf": TF_NAME.format("jsonencode()")},
    "tf-lifecycle-expression-key": {
        "main.tf": 'resource "aws_ecr_repository" "api" {\n  name = "api"\n}\n'
        'resource "aws_ecr_lifecycle_policy" "api" {\n  repository = aws_ecr_repository.api.name\n'
        "  policy = jsonencode({\n    rules = [{\n      rulePriority>f = 1\n"
        '      selection = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }\n'
        '      action = { type = "expire" }\n    }]\n  })\n}\n'
    },
    "tf-replication-filter-without-filter": {
        "main.tf": 'resource "aws_ecr_replication_configuration" "r" {\n  replication_configuration {\n'
        '    rule {\n      destination {\n        region = "eu-west-1"\n        registry_id = "222233334444"\n'
        '      }\n      repository_filter {\n        fklter = "prod"\n        filter_type = "PREFIX_MATCH"\n'
        "      }\n    }\n  }\n}\n"
    },
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_inputs_that_crashed_before(name):
    check_files("regressions", {k: v.encode("utf-8") for k, v in REGRESSIONS[name].items()})
