"""Baselines: keyed without line numbers, so unrelated edits do not resurface old findings."""

from __future__ import annotations

import json

from ecrlint.cli import main

REPO = """resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "MUTABLE"
}
"""


def test_round_trip_survives_an_unrelated_edit_above(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(REPO)
    assert main(["check", ".", "--write-baseline", "baseline.json"]) == 0
    assert main(["check", ".", "--baseline", "baseline.json"]) == 0
    # an unrelated edit above the finding moves it down three lines
    (tmp_path / "main.tf").write_text('variable "unused" {\n  default = 1\n}\n' + REPO)
    assert main(["check", ".", "--baseline", "baseline.json"]) == 0
    # a new problem still fails the run
    (tmp_path / "main.tf").write_text(REPO.replace('"MUTABLE"', '"MUTABLE"\n  force_delete = true'))
    capsys.readouterr()
    assert main(["check", ".", "--baseline", "baseline.json"]) == 1
    assert "ECR106" in capsys.readouterr().out


def test_stale_entries_are_reported(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(REPO)
    main(["check", ".", "--write-baseline", "baseline.json"])
    (tmp_path / "main.tf").write_text(REPO.replace('"MUTABLE"', '"IMMUTABLE"'))
    capsys.readouterr()
    main(["check", ".", "--baseline", "baseline.json", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    stale = [f for f in data["findings"] if f["rule_id"] == "ECR901"]
    assert len(stale) == 1 and "stale baseline entry: ECR101" in stale[0]["message"]


def test_broken_baseline_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(REPO)
    (tmp_path / "baseline.json").write_text("{}")
    assert main(["check", ".", "--baseline", "baseline.json"]) == 2
    assert "cannot read baseline" in capsys.readouterr().err
