"""`ecrlint lifecycle simulate`: real AWS CLI outputs in, a table or JSON out, exit 2 on bad input."""

from __future__ import annotations

import json

import pytest

from ecrlint.lifecycle.simulate import run

from .test_evaluate import E5, E12

DIGESTS = {name: "sha256:" + (name.lower() * 64)[:64] for name in "ABCDE"}


def describe_images(*items) -> dict:
    """`aws ecr describe-images` output, with the fields the CLI prints."""
    details = []
    for name, tags, pushed, extra in items:
        detail = {
            "registryId": "123456789012",
            "repositoryName": "app",
            "imageDigest": DIGESTS[name],
            "imageSizeInBytes": 52428800,
            "imagePushedAt": pushed,
            "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "artifactMediaType": "application/vnd.docker.container.image.v1+json",
        }
        if tags:
            detail["imageTags"] = tags
        detail.update(extra)
        details.append(detail)
    return {"imageDetails": details}


REPO_E5 = describe_images(
    (
        "A",
        ["beta-1", "prod-1"],
        "2024-05-22T12:00:00+00:00",
        {"lastRecordedPullTime": "2024-05-30T08:00:00.500000+00:00"},
    ),
    ("B", ["beta-2", "prod-2"], 1716465600.0, {}),  # epoch seconds, as older CLI versions print
    ("C", ["beta-3"], "2024-05-24T12:00:00Z", {}),
)
NOW = "2024-06-01T12:00:00Z"


@pytest.fixture
def files(tmp_path):
    def write(name: str, data) -> str:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)

    return write


def test_text_table(files, capsys):
    policy = files("policy.json", E5)
    images = files("images.json", REPO_E5)
    assert run([policy, "--images", images, "--now", NOW]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Lifecycle policy simulation at 2024-06-01T12:00:00+00:00: 3 images, 2 rules"
    assert lines[1] == '  rule 1 (tags matching "prod*": keeps the 1 newest, expires the rest): 1 image to expire'
    assert lines[2] == '  rule 2 (tags matching "beta*": keeps the 1 newest, expires the rest): nothing to do'
    assert lines[3] == "  2 images stay"
    table = lines[5:]
    assert table[0].split() == ["IMAGE", "TAGS", "PUSHED", "PULLED", "STORAGE", "RESULT", "RULE", "REASON"]
    assert table[1].split()[:7] == ["sha256:aaaaaaaaaaaa", "beta-1,prod-1", "10d", "2d", "3h", "standard", "expire"]
    assert table[1].endswith("2nd newest of 2 selected, keeps 1")
    assert "keep" in table[2] and "rule 1 keeps it" in table[2]
    assert table[3].startswith("sha256:cccccccccccc") and "rule 2 keeps it" in table[3]
    # columns line up
    starts = {line.index("standard") for line in table[1:]}
    assert len(starts) == 1


def test_json_output_with_sorted_keys(files, capsys):
    policy = files("policy.json", E5)
    images = files("images.json", REPO_E5)
    assert run(["lifecycle", "simulate", policy, "--images", images, "--now", NOW, "--format", "json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert out == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert data["summary"] == {"images": 3, "expire": 1, "transition": 0, "keep": 2}
    assert data["rules"][0]["images"] == [DIGESTS["A"]]
    assert data["rules"][1]["images"] == []
    row = data["images"][0]
    assert row["result"] == "expire" and row["rule_priority"] == 1 and row["rule"] == "rules[0]"
    assert row["pushed_at"] == "2024-05-22T12:00:00+00:00"
    assert data["images"][1]["pushed_at"] == "2024-05-23T12:00:00+00:00"  # from epoch seconds


def test_get_lifecycle_policy_output_is_accepted(files, capsys):
    wrapped = {
        "registryId": "123456789012",
        "repositoryName": "app",
        "lifecyclePolicyText": json.dumps(json.loads(E5)),
        "lastEvaluatedAt": "2024-05-31T00:00:00+00:00",
    }
    policy = files("policy.json", wrapped)
    images = files("images.json", REPO_E5)
    assert run([policy, "--images", images, "--now", NOW, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["expire"] == 1


def test_archive_images(files, capsys):
    images = describe_images(
        ("A", ["old"], "2023-01-01T00:00:00Z", {"imageStatus": "ARCHIVED", "lastArchivedAt": "2023-02-01T00:00:00Z"}),
        ("B", ["mid"], "2024-04-01T00:00:00Z", {"imageStatus": "ACTIVE"}),
        ("C", ["new"], "2024-05-30T00:00:00Z", {}),
    )
    assert run([files("p.json", E12), "--images", files("i.json", images), "--now", NOW, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    results = {row["digest"][7]: (row["result"], row["storage_class"]) for row in data["images"]}
    assert results == {"a": ("expire", "archive"), "b": ("transition", "standard"), "c": ("keep", "standard")}


@pytest.mark.parametrize(
    "policy, images, argv, message",
    [
        (E5, "{not json", [], "images.json:1:2: not valid JSON"),
        ("{}", REPO_E5, [], 'invalid lifecycle policy: the policy is missing the required property "rules"'),
        (E5, {"imageDetails": [{"imageTags": ["x"]}]}, [], "imageDetails[0]: imageDigest is missing"),
        (E5, {"imageDetails": [{"imageDigest": "sha256:1", "imagePushedAt": "yesterday"}]}, [], "not a time"),
        (E5, {"images": []}, [], '"imageDetails" list'),
        (E5, REPO_E5, ["--now", "soon"], "--now: not a time"),
        (E5, REPO_E5, ["--format", "xml"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(files, capsys, policy, images, argv, message):
    code = run([files("policy.json", policy), "--images", files("images.json", images), *argv])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err
    assert captured.err.startswith("ecrlint lifecycle simulate: error: ")


def test_missing_files_and_arguments(files, capsys):
    assert run([files("p.json", E5), "--images", "/nonexistent/images.json"]) == 2
    assert "cannot read images /nonexistent/images.json" in capsys.readouterr().err
    assert run([files("p.json", E5)]) == 2
    assert "--images" in capsys.readouterr().err


def test_duplicate_digest(files, capsys):
    images = describe_images(("A", ["x"], NOW, {}), ("A", ["y"], NOW, {}))
    assert run([files("p.json", E5), "--images", files("i.json", images)]) == 2
    assert "listed twice" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert run(["--help"]) == 0
    assert "usage: ecrlint lifecycle simulate" in capsys.readouterr().out
