"""The GitHub Action, the container recipe and the README's CI snippets name real ecrlint command lines."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from ecrlint.cli import _parser, main

from .conftest import ROOT

REPO_TF = 'resource "aws_ecr_repository" "app" {\n  name = "app"\n  image_tag_mutability = "MUTABLE"\n}\n'


def _action() -> dict:
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _step(action: dict, name: str) -> dict:
    return next(step for step in action["runs"]["steps"] if step.get("name") == name)


def _readme_blocks(language: str) -> list[str]:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        return re.findall(rf"```{language}\n(.*?)```", handle.read(), re.S)


def test_action_is_a_composite_that_installs_from_its_own_path():
    action = _action()
    assert action["runs"]["using"] == "composite"
    install = _step(action, "Install ecrlint")["run"]
    assert '"$GITHUB_ACTION_PATH"' in install and "pip install" in install
    upload = _step(action, "Upload SARIF")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs reach scripts through env, never pasted in"


def test_action_command_line_runs_and_writes_the_sarif_it_uploads(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    action = _action()
    step = _step(action, "Run ecrlint")
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    env = {**os.environ}
    for variable, value in step["env"].items():
        env[variable] = defaults[re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", value).group(1)]
    env["RUNNER_TEMP"] = str(tmp_path / "runner")
    env["GITHUB_OUTPUT"] = str(tmp_path / "github-output")
    env["ECRLINT_CACHE_DIR"] = str(tmp_path / "cache")
    # the installed console script is `ecrlint` of this checkout
    bin_dir = tmp_path / "runner" / "ecrlint" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "ecrlint").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ecrlint "$@"\n')
    (bin_dir / "ecrlint").chmod(0o755)
    env["PYTHONPATH"] = ROOT
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.tf").write_text(REPO_TF)
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr  # findings do not stop the step: the upload comes first
    assert (tmp_path / "github-output").read_text() == "exit-code=1\n"
    assert "::error file=main.tf,line=3," in proc.stdout  # annotations on stdout
    sarif = json.loads((project / defaults["sarif-file"]).read_text())
    assert sarif["runs"][0]["results"]


def test_dockerfile_has_ecrlint_as_entry_point():
    with open(os.path.join(ROOT, "Dockerfile"), encoding="utf-8") as handle:
        text = handle.read()
    assert re.search(r'^ENTRYPOINT \["ecrlint"\]$', text, re.M)
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    _parser().parse_args(cmd)  # a real command line
    assert re.search(r"^USER (?!root)\w+", text, re.M)  # not root


def test_dockerfile_passes_ecrlint(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check", "Dockerfile", "--no-cache"]) == 0, capsys.readouterr().out


def _commands(script_lines: list[str]) -> list[list[str]]:
    return [shlex.split(line)[1:] for line in script_lines if line.startswith("ecrlint ")]


def test_readme_ci_snippets_parse_and_name_real_command_lines():
    snippets = [yaml.safe_load(block) for block in _readme_blocks("yaml")]
    commands: list[list[str]] = []
    for snippet in snippets:
        if isinstance(snippet, dict) and "ecrlint" in snippet and "script" in snippet["ecrlint"]:  # GitLab
            job = snippet["ecrlint"]
            commands += _commands(job["script"])
            report = job["artifacts"]["reports"]["codequality"]
            assert f"--output {report}" in " ".join(job["script"])
        if not isinstance(snippet, dict):
            continue
        steps = snippet.get("jobs", {}).get("ecrlint", {}).get("steps", []) + snippet.get("steps", [])
        commands += _commands([step["run"] for step in steps if "run" in step])
    assert len(commands) >= 2
    for argv in commands:
        args = _parser().parse_args(argv)
        assert args.command == "check"
        formats, outputs = args.format or [], args.output or []
        assert len(outputs) <= len(formats)


def test_readme_github_workflow_uses_the_action_and_grants_uploads():
    workflows = [s for s in map(yaml.safe_load, _readme_blocks("yaml")) if isinstance(s, dict) and "jobs" in s]
    (workflow,) = workflows
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["ecrlint"]["steps"]
    action = next(step for step in steps if step.get("uses", "").startswith("ecrlint/ecrlint@"))
    assert set(action["with"]) <= set(_action()["inputs"])
