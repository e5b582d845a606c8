"""The pre-scan that skips irrelevant Terraform blocks must not change a single finding."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ecrlint.parse.hcl_blocks import scan_blocks
from ecrlint.terraform.prescan import relevant_text

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


def test_irrelevant_blocks_blanked_keeping_positions():
    kept = relevant_text(TRICKY, frozenset({"aws_ecr_repository"}))
    assert len(kept) == len(TRICKY) and kept.count("\n") == TRICKY.count("\n")
    assert "aws_instance" not in kept and 'resource "aws_ecr_repository" "app"' in kept


def test_referenced_blocks_are_kept():
    text = TRICKY.replace('name = "app"', "name = aws_instance.web.id")
    assert "aws_instance" in relevant_text(text, frozenset({"aws_ecr_repository"}))


def test_file_with_nothing_relevant_is_not_parsed():
    assert (
        relevant_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n', frozenset({"aws_ecr_repository"})) is None
    )


@pytest.mark.parametrize(
    "broken", ['resource "aws_ecr_repository" "a" {\n  name = "x"\n', 'resource "a" "b" {\n}\n}\n']
)
def test_unbalanced_input_is_left_for_the_parser(broken):
    assert relevant_text(broken, frozenset({"aws_ecr_repository"})) == broken
