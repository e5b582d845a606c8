"""Work spread over processes gives what the same work gives in one process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from ecrlint.model.build import MIN_PARALLEL_FILES
from ecrlint.parallel import start_in_child

from .conftest import ROOT

EXAMPLES = os.path.join(ROOT, "examples")


def _double(x):
    return [x, x]


def _fails(x):
    raise ValueError(f"no {x}")


def _unpicklable(x):
    return lambda: x


def test_a_child_returns_what_the_function_returns():
    assert start_in_child(_double, 3)() == [3, 3]


def test_a_failing_child_is_redone_here_and_fails_the_same_way():
    try:
        start_in_child(_fails, 7)()
    except ValueError as err:
        assert str(err) == "no 7"
    else:
        raise AssertionError("the failure was lost")


def test_a_result_that_cannot_travel_is_computed_here():
    assert start_in_child(_unpicklable, 5)()() == 5


def _tree(tmp_path):
    """The examples, plus enough Terraform and CloudFormation copies to model them in two processes."""
    tree = tmp_path / "tree"
    shutil.copytree(EXAMPLES, tree / "examples")
    template = os.path.join(EXAMPLES, "cloudformation", "image-platform.yaml")
    module = os.path.join(EXAMPLES, "terraform", "clean")
    for n in range(MIN_PARALLEL_FILES):
        shutil.copy(template, tree / f"stack-{n:03d}.yaml")
        shutil.copytree(module, tree / f"tf-{n:03d}")
    return tree


def _check(tree, out, *args):
    proc = subprocess.run(
        [sys.executable, "-m", "ecrlint", "check", str(tree), "--format", "json", "--output", str(out), *args],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr
    return out.read_bytes()


def test_large_tree_gives_the_same_output_with_one_and_two_jobs(tmp_path):
    tree = _tree(tmp_path)
    one = _check(tree, tmp_path / "one.json", "--no-cache", "--jobs", "1")
    two = _check(tree, tmp_path / "two.json", "--no-cache", "--jobs", "2")
    assert one == two
    assert b"stack-199.yaml" in one  # the copies were modelled, not skipped
