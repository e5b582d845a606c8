"""The unit cache: each file's or Terraform root's piece of the model is reused while what it read is
unchanged, and rebuilt as soon as anything it read changes; the findings never depend on it."""

from __future__ import annotations

import json
import os

import pytest

from ecrlint.model.adapters import structured, terraform
from ecrlint.pipeline import Settings, run

MUTABLE = """
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = var.mutability
}

variable "mutability" {
  default = "MUTABLE"
}
"""

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: {name}
      ImageTagMutability: {mutability}
"""


def _ids(result) -> list[str]:
    return [f.rule_id for f in result.findings]


def _settings(tmp_path, path, cache=True, **kw) -> Settings:
    return Settings(paths=[str(path)], cwd=str(tmp_path), cache_dir=str(tmp_path / "cache") if cache else None, **kw)


def _same(tmp_path, path, built=None, **kw):
    """The run with the cache, after checking that it says exactly what a run without one says
    (the units `built` saw modelled are those of the run with the cache)."""
    cached = run(_settings(tmp_path, path, **kw))
    names = built.take() if built is not None else []
    uncached = run(_settings(tmp_path, path, cache=False, **kw))
    if built is not None:
        built.take()
        built.names = names
    assert cached.findings == uncached.findings
    assert cached.undecided == uncached.undecided
    assert (cached.files_scanned, cached.files_skipped) == (uncached.files_scanned, uncached.files_skipped)
    return cached


class _Built:
    """Which units were modelled (not read back from the cache), by file or root folder name."""

    def __init__(self, monkeypatch):
        self.names: list[str] = []
        model, walk = structured._model, terraform._Project.walk_alone

        def model_one(source, ctx, loader):
            self.names.append(os.path.basename(source.abspath))
            return model(source, ctx, loader)

        def walk_one(project, directory, children, reportable):
            self.names.append(os.path.basename(directory))
            return walk(project, directory, children, reportable)

        monkeypatch.setattr(structured, "_model", model_one)
        monkeypatch.setattr(terraform._Project, "walk_alone", walk_one)

    def take(self) -> list[str]:
        taken, self.names = sorted(self.names), []
        return taken


@pytest.fixture
def built(monkeypatch):
    return _Built(monkeypatch)


def _tree(tmp_path):
    (tmp_path / "src" / "a").mkdir(parents=True)
    (tmp_path / "src" / "b").mkdir()
    (tmp_path / "src" / "a" / "main.tf").write_text(MUTABLE)
    (tmp_path / "src" / "b" / "main.tf").write_text(MUTABLE.replace('"app"', '"other"'))
    (tmp_path / "src" / "stack.yaml").write_text(TEMPLATE.format(name="app3", mutability="MUTABLE"))
    return tmp_path / "src"


def test_an_unchanged_tree_is_read_back_whole(tmp_path, built):
    src = _tree(tmp_path)
    first = _same(tmp_path, src, built)
    assert built.take() == ["a", "b", "stack.yaml"]
    second = _same(tmp_path, src, built)
    assert built.take() == []  # nothing modelled again
    assert second.findings == first.findings and _ids(first).count("ECR101") == 3


def test_an_edited_file_rebuilds_its_unit_only(tmp_path, built):
    src = _tree(tmp_path)
    _same(tmp_path, src, built)
    built.take()
    (src / "a" / "main.tf").write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))
    assert _ids(run(_settings(tmp_path, src))).count("ECR101") == 2
    assert built.take() == ["a"]
    (src / "stack.yaml").write_text(TEMPLATE.format(name="app3", mutability="IMMUTABLE"))
    assert _ids(_same(tmp_path, src, built)).count("ECR101") == 1
    assert built.take() == ["stack.yaml"]


def test_a_new_file_in_a_root_rebuilds_it(tmp_path, built):
    src = _tree(tmp_path)
    _same(tmp_path, src, built)
    built.take()
    (src / "b" / "extra.tf").write_text('resource "aws_ecr_repository" "x" {\n  name = "x"\n}\n')
    assert _ids(_same(tmp_path, src, built)).count("ECR101") == 4
    assert "b" in built.take()


def test_variable_files_rebuild_the_root(tmp_path, built):
    root = tmp_path / "tf"
    root.mkdir()
    (root / "main.tf").write_text(MUTABLE)
    values = tmp_path / "prod.tfvars"
    values.write_text('mutability = "MUTABLE"\n')
    assert "ECR101" in _ids(_same(tmp_path, root, built, var_files=[str(values)]))
    values.write_text('mutability = "IMMUTABLE"\n')  # --var-file
    assert "ECR101" not in _ids(_same(tmp_path, root, built, var_files=[str(values)]))
    built.take()
    (root / "terraform.tfvars").write_text('mutability = "MUTABLE"\n')  # loaded automatically, new
    assert "ECR101" in _ids(_same(tmp_path, root, built))
    (root / "terraform.tfvars").write_text('mutability = "IMMUTABLE"\n')
    assert "ECR101" not in _ids(_same(tmp_path, root, built))
    assert built.take() == ["tf", "tf"]


def test_a_local_module_rebuilds_its_callers(tmp_path, built):
    (tmp_path / "src" / "live").mkdir(parents=True)
    (tmp_path / "src" / "modules" / "repo").mkdir(parents=True)
    (tmp_path / "src" / "live" / "main.tf").write_text('module "repo" {\n  source = "../modules/repo"\n}\n')
    module = tmp_path / "src" / "modules" / "repo" / "main.tf"
    module.write_text(MUTABLE)
    assert "ECR101" in _ids(_same(tmp_path, tmp_path / "src", built))
    assert built.take() == ["live"]  # the module is walked in its caller's unit
    module.write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))
    assert "ECR101" not in _ids(_same(tmp_path, tmp_path / "src", built))
    assert built.take() == ["live"]


def test_a_module_in_a_skipped_folder_rebuilds_its_root(tmp_path, built):
    # A registry module lives under .terraform, which discovery skips; the root reads it anyway.
    live = tmp_path / "live"
    module_dir = live / ".terraform" / "modules" / "images"
    module_dir.mkdir(parents=True)
    (live / "main.tf").write_text('module "images" {\n  source = "example/images/aws"\n}\n')
    manifest = {"Modules": [{"Key": "images", "Source": "example/images/aws", "Dir": ".terraform/modules/images"}]}
    (live / ".terraform" / "modules" / "modules.json").write_text(json.dumps(manifest))
    module = module_dir / "main.tf"
    module.write_text(MUTABLE)
    assert "ECR101" in _ids(_same(tmp_path, live, built))
    built.take()
    assert "ECR101" in _ids(run(_settings(tmp_path, live)))
    assert built.take() == []
    module.write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))
    assert "ECR101" not in _ids(_same(tmp_path, live, built))
    (module_dir / "more.tf").write_text('resource "aws_ecr_repository" "more" {\n  name = "more"\n}\n')
    assert "ECR101" in _ids(_same(tmp_path, live, built))  # a new file in a folder the root listed


def test_a_file_read_by_file_that_appears_later_rebuilds_the_root(tmp_path, built):
    root = tmp_path / "tf"
    root.mkdir()
    resource = 'resource "aws_ecr_repository_policy" "p" {\n  repository = "app"\n  policy = file("${path.module}/policy.json")\n}\n'
    (root / "main.tf").write_text(resource)
    first = _same(tmp_path, root, built)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]}
    (root / "policy.json").write_text(json.dumps(policy))
    second = _same(tmp_path, root, built)
    assert _ids(second) != _ids(first)
    policy["Statement"][0]["Principal"] = {"AWS": "arn:aws:iam::123456789012:root"}
    (root / "policy.json").write_text(json.dumps(policy))
    assert _ids(_same(tmp_path, root, built)) != _ids(second)


def test_a_nested_template_rebuilds_its_parent(tmp_path, built):
    src = tmp_path / "cfn"
    src.mkdir()
    parent = (
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n'
        "    Properties:\n      TemplateURL: ./child.yaml\n"
    )
    (src / "parent.yaml").write_text(parent)
    child = src / "child.yaml"
    child.write_text(TEMPLATE.format(name="nested", mutability="MUTABLE"))
    assert "ECR101" in _ids(_same(tmp_path, src, built))
    built.take()
    child.write_text(TEMPLATE.format(name="nested", mutability="IMMUTABLE"))
    assert "ECR101" not in _ids(_same(tmp_path, src, built))
    assert "parent.yaml" in built.take()


def test_a_samconfig_created_later_rebuilds_the_template(tmp_path, built):
    src = tmp_path / "sam"
    src.mkdir()
    template = (
        'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Mutability:\n    Type: String\n'
        "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n"
        "      RepositoryName: app\n      ImageTagMutability: !Ref Mutability\n"
    )
    (src / "template.yaml").write_text(template)
    first = _same(tmp_path, src, built)
    assert "ECR101" not in _ids(first)
    built.take()
    (src / "samconfig.toml").write_text(
        'version = 0.1\n[default.deploy.parameters]\nparameter_overrides = "Mutability=MUTABLE"\n'
    )
    assert "ECR101" in _ids(_same(tmp_path, src, built))
    assert built.take() == ["template.yaml"]


def test_a_cdk_stack_template_rebuilds_its_assembly(tmp_path, built):
    out = tmp_path / "cdk.out"
    out.mkdir()
    manifest = {
        "version": "36.0.0",
        "artifacts": {
            "Stack": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": {"templateFile": "Stack.template.json"},
            }
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    stack = out / "Stack.template.json"

    def template(mutability: str) -> str:
        properties = {"RepositoryName": "app", "ImageTagMutability": mutability}
        return json.dumps({"Resources": {"Repo": {"Type": "AWS::ECR::Repository", "Properties": properties}}})

    stack.write_text(template("MUTABLE"))
    assert "ECR101" in _ids(_same(tmp_path, out, built))
    built.take()
    stack.write_text(template("IMMUTABLE"))
    assert "ECR101" not in _ids(_same(tmp_path, out, built))
    assert "manifest.json" in built.take()


def _entries(tmp_path) -> list:
    return sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.parent.parent.name == "unit")


@pytest.mark.parametrize("damage", ["truncated", "foreign", "other-key"])
def test_a_damaged_entry_is_a_miss(tmp_path, built, damage):
    src = _tree(tmp_path)
    expected = _same(tmp_path, src, built)
    entries = _entries(tmp_path)
    assert len(entries) == 3
    contents = [path.read_bytes() for path in entries]
    for n, path in enumerate(entries):
        signature, _, rest = contents[n].partition(b"\n")
        if damage == "truncated":
            path.write_bytes(signature + b"\n" + rest[: len(rest) // 2])
        elif damage == "foreign":  # well-formed, but not signed by this cache
            path.write_bytes(b"0" * len(signature) + b"\n" + rest)
        else:  # signed, but filed under another key
            path.write_bytes(contents[(n + 1) % len(contents)])
    built.take()
    again = run(_settings(tmp_path, src))
    assert again.findings == expected.findings and again.undecided == expected.undecided
    assert built.take() == ["a", "b", "stack.yaml"]


def test_a_file_changed_while_its_unit_reads_it_is_read_again(tmp_path, monkeypatch):
    root = tmp_path / "tf"
    root.mkdir()
    main = root / "main.tf"
    main.write_text(MUTABLE)
    walk = terraform._Project.walk_root

    def editing(project, *args, **kw):
        walk(project, *args, **kw)
        main.write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))  # after the unit read it

    monkeypatch.setattr(terraform._Project, "walk_root", editing)
    assert "ECR101" in _ids(run(_settings(tmp_path, root)))  # modelled from the text it read
    monkeypatch.undo()
    assert "ECR101" not in _ids(_same(tmp_path, root))  # the entry holds the digest of that text


def test_settings_that_shape_the_model_are_part_of_the_key(tmp_path, built):
    src = _tree(tmp_path)
    run(_settings(tmp_path, src))
    built.take()
    from ecrlint.options import Options

    run(_settings(tmp_path, src, options=Options(account_id="123456789012")))
    assert built.take() == ["a", "b", "stack.yaml"]
    run(_settings(tmp_path / "src", src))  # paths shown from elsewhere
    assert built.take() == ["a", "b", "stack.yaml"]
