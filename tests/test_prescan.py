"""The pre-scan that skips irrelevant Terraform blocks must not change a single finding."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ecrlint.parse import ParseError
from ecrlint.parse.hcl_blocks import scan_blocks
from ecrlint.parse.hcl_tree import HclTree, parse_hcl
from ecrlint.terraform.prescan import relevant_blocks

from .conftest import ROOT, SHARED


def _check(path, tmp_path, prescan: bool) -> str:
    env = dict(os.environ)
    if prescan:
        env.pop("ECRLINT_NO_PRESCAN", None)
    else:
        env["ECRLINT_NO_PRESCAN"] = "1"
    out = tmp_path / f"out-{prescan}.json"
    proc = subprocess.run(
        [sys.executable, "-m", "ecrlint", "check", path, "--ignore", "ECR4", "--format", "json", "--output", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return out.read_text()


def _corpora(tmp_path_factory):
    yield os.path.join(ROOT, "examples")
    yield os.path.join(ROOT, "rules")
    real = os.path.join(SHARED, "corpus", "real")
    if os.path.isdir(real):
        yield real
    generator = os.path.join(SHARED, "bench", "gen_corpus.py")
    if os.path.isfile(generator):
        out = tmp_path_factory.mktemp("corpus")
        subprocess.run(
            [sys.executable, generator, "--out", str(out), "--scale", "small"], check=True, capture_output=True
        )
        yield str(out)


def test_findings_identical_with_and_without_prescan(tmp_path, tmp_path_factory):
    for corpus in _corpora(tmp_path_factory):
        with_prescan = _check(corpus, tmp_path, True)
        without = _check(corpus, tmp_path, False)
        assert json.loads(with_prescan)["findings"], f"{corpus} produced no findings: the comparison tests nothing"
        assert with_prescan == without, f"pre-scan changed the findings on {corpus}"


TRICKY = """
resource "aws_instance" "web" {
  user_data = <<EOF
}}} not a brace that counts {
EOF
  tags = { Name = "}${lookup(var.m, "{")}" }
  # } a comment brace
  /* { another */
}

resource "aws_ecr_repository" "app" {
  name = "app"
}
"""


def test_block_scanner_respects_strings_heredocs_and_comments():
    blocks = scan_blocks(TRICKY)
    assert [(b.type, b.labels) for b in blocks] == [
        ("resource", ("aws_instance", "web")),
        ("resource", ("aws_ecr_repository", "app")),
    ]
    assert blocks[1].start_line == 11 and blocks[1].end_line == 13


def test_block_scanner_stops_at_a_block_that_does_not_parse():
    text = 'resource "a" "ok" {\n}\n\nresource "a" "bad" {\n  x = \n}\n\nresource "a" "after" {\n}\n'
    assert [b.labels[1] for b in scan_blocks(text)] == ["ok"]


def _kept(texts: dict[str, str], types=frozenset({"aws_ecr_repository"})) -> dict[str, list[str] | None]:
    """For each file: the labels of the top-level blocks read, or None when the file is read whole."""
    trees = {name: HclTree(text, name) for name, text in texts.items()}
    keep = relevant_blocks(trees, types)
    out = {}
    for name, tree in trees.items():
        if keep[name] is None:
            out[name] = None
        else:
            out[name] = [" ".join((b.type, *b.labels)) for b in tree.body(keep[name]).blocks]
    return out


def test_irrelevant_blocks_are_not_read():
    assert _kept({"main.tf": TRICKY}) == {"main.tf": ["resource aws_ecr_repository app"]}
    kept = parse_hcl(TRICKY, "main.tf").blocks[1]
    body = HclTree(TRICKY, "main.tf").body(
        relevant_blocks({"m": HclTree(TRICKY, "m")}, frozenset({"aws_ecr_repository"}))["m"]
    )
    assert body.blocks[0].span == kept.span  # positions as in a whole read


def test_referenced_blocks_are_kept_across_files():
    texts = {
        "ecr.tf": 'resource "aws_ecr_repository" "app" {\n  name = local.name\n}\n',
        "locals.tf": 'locals {\n  name = var.prefix\n}\nresource "aws_s3_bucket" "b" {\n}\n',
        "variables.tf": 'variable "prefix" {\n}\nvariable "unused" {\n}\n',
    }
    assert _kept(texts) == {
        "ecr.tf": ["resource aws_ecr_repository app"],
        "locals.tf": ["locals"],
        "variables.tf": ["variable prefix"],
    }


def test_file_with_nothing_relevant_gives_no_blocks():
    assert _kept({"s3.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'}) == {"s3.tf": []}


@pytest.mark.parametrize(
    "broken",
    [
        'resource "aws_ecr_repository" "a" {\n  name = "x"\n',
        'resource "a" "b" {\n}\n}\n',
        'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n',  # an error in a block ecrlint does not need
    ],
)
def test_input_that_does_not_parse_is_read_whole_and_reported(broken):
    assert _kept({"main.tf": broken}) == {"main.tf": None}
    with pytest.raises(ParseError):
        HclTree(broken, "main.tf").body(None)
