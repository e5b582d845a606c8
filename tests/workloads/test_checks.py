"""The workload checks on small configurations: what fires, what stays quiet, and what is undecided."""

from __future__ import annotations

from .helpers import lines, messages, run

PROVIDER = """
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
"""

EXECUTION_ROLE = """
resource "aws_iam_role" "exec" {
  name               = "exec"
  assume_role_policy = "{}"
}
"""


def _task(image: str, extra: str = "") -> str:
    return f"""
resource "aws_ecs_task_definition" "t" {{
  family                   = "t"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.exec.arn
  {extra}
  container_definitions = jsonencode([{{ name = "app", image = "{image}" }}])
}}
"""


# -- ECR504 ----------------------------------------------------------------------------------------------


def test_docker_hub_advice_names_the_cache_rule(tmp_path):
    config = (
        PROVIDER
        + EXECUTION_ROLE
        + _task("bitnami/redis:7.2")
        + """
resource "aws_ecr_pull_through_cache_rule" "hub" {
  ecr_repository_prefix = "hub"
  upstream_registry_url = "registry-1.docker.io"
}
"""
    )
    found, _ = run(tmp_path, {"main.tf": config}, "ECR504")
    assert len(found) == 1
    assert "aws_ecr_pull_through_cache_rule.hub" in found[0].message
    assert "<account>.dkr.ecr.<region>.amazonaws.com/hub/bitnami/redis:7.2" in found[0].message


def test_unknown_image_is_undecided_not_a_finding(tmp_path):
    config = 'variable "image" {}\n' + EXECUTION_ROLE + _task("${var.image}")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR504")
    assert found == [] and len(unsure) == 1 and "var.image" in unsure[0].reason


def test_codebuild_images(tmp_path):
    config = """
resource "aws_codebuild_project" "curated" {
  name         = "curated"
  service_role = "arn:aws:iam::111122223333:role/build"
  environment { image = "aws/codebuild/standard:7.0" }
}
resource "aws_codebuild_project" "hub" {
  name         = "hub"
  service_role = "arn:aws:iam::111122223333:role/build"
  environment { image = "node:20" }
}
"""
    found, _ = run(tmp_path, {"main.tf": config}, "ECR504")
    assert messages(found) and all("CodeBuild project hub" in m for m in messages(found)) and len(found) == 1


# -- ECR601 ----------------------------------------------------------------------------------------------


def _function(image: str, package: str = '"Image"') -> str:
    return f"""
resource "aws_lambda_function" "f" {{
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/f"
  package_type  = {package}
  image_uri     = "{image}"
}}
"""


def test_lambda_fips_endpoint(tmp_path):
    config = PROVIDER + _function("111122223333.dkr.ecr-fips.eu-west-1.amazonaws.com/app:1")
    found, _ = run(tmp_path, {"main.tf": config}, "ECR601")
    assert len(found) == 1 and "FIPS" in found[0].message


def test_lambda_region_unknown_is_undecided(tmp_path):
    found, unsure = run(
        tmp_path, {"main.tf": _function("111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1")}, "ECR601"
    )
    assert found == [] and len(unsure) == 1


def test_lambda_package_type_unknown(tmp_path):
    config = 'variable "kind" {}\n' + _function("nginx:1", "var.kind")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR601")
    assert found == [] and unsure and "package type" in unsure[0].reason


def test_lambda_branches_name_the_condition(tmp_path):
    template = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Mirror: {Type: String}
Conditions:
  UseMirror: !Equals [!Ref Mirror, "yes"]
Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      PackageType: Image
      Role: arn:aws:iam::111122223333:role/f
      Code:
        ImageUri: !If
          - UseMirror
          - !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/app:1"
          - docker.io/acme/app:1
"""
    found, _ = run(tmp_path, {"t.cfn.yaml": template}, "ECR601")
    assert len(found) == 1 and "when Mirror is not yes" in found[0].message


# -- ECR602 ----------------------------------------------------------------------------------------------


def test_ec2_task_without_execution_role_is_quiet(tmp_path):
    config = """
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = jsonencode([{ name = "a", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1" }])
}
resource "aws_ecs_task_definition" "u" {
  family                   = "u"
  requires_compatibilities = var.launch
  container_definitions    = jsonencode([{ name = "a", image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1" }])
}
variable "launch" {}
"""
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR602")
    assert found == []
    assert [u.address for u in unsure] == ["aws_ecs_task_definition.u"]


def test_docker_hub_only_task_needs_no_ecr_permissions(tmp_path):
    found, unsure = run(tmp_path, {"main.tf": EXECUTION_ROLE + _task("nginx:1.27")}, "ECR602")
    assert found == [] and unsure == []


def test_role_outside_the_set_or_with_unknown_policies_is_undecided(tmp_path):
    outside = _task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1").replace(
        "aws_iam_role.exec.arn", '"arn:aws:iam::111122223333:role/elsewhere"'
    )
    found, unsure = run(tmp_path / "a", {"main.tf": outside}, "ECR602")
    assert found == [] and "not in the analysed set" in unsure[0].reason
    opaque = (
        EXECUTION_ROLE
        + _task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1")
        + """
resource "aws_iam_role_policy_attachment" "x" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::111122223333:policy/team-pull"
}
"""
    )
    found, unsure = run(tmp_path / "b", {"main.tf": opaque}, "ECR602")
    assert found == [] and "team-pull" in unsure[0].reason


def test_repository_policy_grant_makes_missing_pull_undecided(tmp_path):
    config = (
        EXECUTION_ROLE
        + _task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/shared/app:1")
        + """
resource "aws_iam_role_policy" "token" {
  role   = aws_iam_role.exec.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" }] })
}
resource "aws_ecr_repository_policy" "p" {
  repository = "shared/app"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/exec" },
    Action = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }] })
}
"""
    )
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR602")
    assert found == [] and "repository policy" in unsure[0].reason


def test_missing_actions_are_listed(tmp_path):
    config = (
        EXECUTION_ROLE
        + _task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1")
        + """
resource "aws_iam_role_policy" "token" {
  role   = aws_iam_role.exec.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"
}
"""
    )
    found, _ = run(tmp_path, {"main.tf": config}, "ECR602")
    assert len(found) == 1
    assert "does not allow ecr:BatchGetImage, ecr:GetDownloadUrlForLayer:" in found[0].message
    assert "GetAuthorizationToken," not in found[0].message.split("does not allow")[1].split(":")[0]


# -- ECR603 ----------------------------------------------------------------------------------------------


def test_agent_beside_a_group_of_unknown_platform_is_undecided(tmp_path):
    config = """
resource "aws_instance" "i" {
  ami       = "ami-0c1a2b3c4d5e6f708"
  user_data = "#!/bin/bash\\nservice codedeploy-agent start\\n"
}
resource "aws_codedeploy_deployment_group" "ecs" {
  app_name              = "orders"
  deployment_group_name = "orders"
  service_role_arn      = "arn:aws:iam::111122223333:role/cd"
  ecs_service {
    cluster_name = "c"
    service_name = "s"
  }
}
resource "aws_codedeploy_deployment_group" "other" {
  app_name              = "legacy"
  deployment_group_name = "legacy"
  service_role_arn      = "arn:aws:iam::111122223333:role/cd"
}
"""
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR603")
    assert found == [] and "aws_codedeploy_deployment_group.other" in unsure[0].reason


def test_agent_without_any_ecs_deployment_is_quiet(tmp_path):
    config = """
resource "aws_instance" "i" {
  ami       = "ami-0c1a2b3c4d5e6f708"
  user_data = "#!/bin/bash\\nservice codedeploy-agent start\\n"
}
"""
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR603")
    assert found == [] and unsure == []


# -- ECR604 ----------------------------------------------------------------------------------------------


def test_unknown_tag_is_undecided(tmp_path):
    config = 'variable "tag" {}\n' + EXECUTION_ROLE + _task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:${var.tag}")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR604")
    assert found == [] and len(unsure) == 1


def test_latest_codebuild_image_and_dockerfile(tmp_path):
    files = {
        "main.tf": """
resource "aws_codebuild_project" "p" {
  name         = "p"
  service_role = "arn:aws:iam::111122223333:role/build"
  environment { image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/builder:latest" }
}
""",
        "app/Dockerfile": "FROM node:20 AS deps\nFROM deps\nFROM ubuntu:latest\n",
    }
    found, _ = run(tmp_path, files, "ECR604")
    assert sorted((f.span.path, f.span.start_line) for f in found) == [("app/Dockerfile", 3), ("main.tf", 4)]


# -- ECR605 ----------------------------------------------------------------------------------------------


def test_get_login_in_comments_is_ignored_and_dockerfile_is_read(tmp_path):
    files = {
        "buildspec.yml": "version: 0.2\n# was: $(aws ecr get-login)\nphases: {}\n",
        "Dockerfile": "FROM amazon/aws-cli:2.15.0\nRUN $(aws ecr get-login --no-include-email)\n",
    }
    found, _ = run(tmp_path, files, "ECR605")
    assert [(f.span.path, f.span.start_line) for f in found] == [("Dockerfile", 2)]
    assert found[0].span.start_col == 7


def test_long_build_with_unknown_buildspec_is_undecided(tmp_path):
    config = """
resource "aws_codebuild_project" "p" {
  name          = "p"
  service_role  = "arn:aws:iam::111122223333:role/build"
  build_timeout = 900
  source {
    type      = "GITHUB"
    buildspec = "ci/missing.yml"
  }
}
"""
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR605")
    assert found == [] and "ci/missing.yml" in unsure[0].reason


# -- ECR606 ----------------------------------------------------------------------------------------------

BUILD_ROLE = """
resource "aws_iam_role" "build" {
  name               = "build"
  assume_role_policy = "{}"
}
"""


def _project(buildspec_attr: str = "") -> str:
    return f"""
resource "aws_codebuild_project" "p" {{
  name         = "p"
  service_role = aws_iam_role.build.arn
  source {{
    type = "CODEPIPELINE"
    {buildspec_attr}
  }}
}}
"""


def test_pushes_to_other_registries_need_no_ecr_role(tmp_path):
    files = {
        "main.tf": BUILD_ROLE + _project(),
        "buildspec.yml": "phases:\n  build:\n    commands:\n      - docker push ghcr.io/a/b:1\n",
    }
    found, unsure = run(tmp_path, files, "ECR606")
    assert found == [] and unsure == []


def test_unresolved_push_target_is_undecided(tmp_path):
    files = {
        "main.tf": BUILD_ROLE + _project(),
        "buildspec.yml": "phases:\n  build:\n    commands:\n      - docker push $TARGET\n",
    }
    found, unsure = run(tmp_path, files, "ECR606")
    assert found == [] and "line 4 of buildspec buildspec.yml pushes $TARGET" in unsure[0].reason


def test_named_buildspec_is_linked_by_its_path(tmp_path):
    push = "phases:\n  build:\n    commands:\n      - docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1\n"
    files = {
        "infra/main.tf": BUILD_ROLE + _project('buildspec = "ci/push.yml"'),
        "ci/push.yml": push,
        "ci/buildspec.yml": "version: 0.2\n",
    }
    # push.yml is not named like a buildspec, so it is not read as one: the link finds no file
    found, unsure = run(tmp_path / "a", files, "ECR606")
    assert found == [] and "ci/push.yml" in unsure[0].reason
    files = {
        "infra/main.tf": BUILD_ROLE + _project('buildspec = "ci/buildspec-push.yml"'),
        "ci/buildspec-push.yml": push,
    }
    found, _ = run(tmp_path / "b", files, "ECR606")
    assert [(f.span.path, f.span.start_line) for f in found] == [("ci/buildspec-push.yml", 4)]


def test_default_buildspec_is_the_nearest_at_or_above_the_project(tmp_path):
    push = "phases:\n  build:\n    commands:\n      - docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1\n"
    files = {"infra/main.tf": BUILD_ROLE + _project(), "infra/x/buildspec.yml": push, "buildspec.yml": push}
    found, _ = run(tmp_path, files, "ECR606")
    # the nearest folder at or above the project's wins: the root one (infra/x is below infra)
    assert [(f.span.path, f.span.start_line) for f in found] == [("buildspec.yml", 4)]


def test_repository_policy_may_grant_push(tmp_path):
    config = (
        BUILD_ROLE
        + """
resource "aws_iam_role_policy" "token" {
  role   = aws_iam_role.build.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" }] })
}
resource "aws_ecr_repository" "a" { name = "a" }
resource "aws_ecr_repository_policy" "a" {
  repository = aws_ecr_repository.a.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/build" },
    Action = ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
              "ecr:CompleteLayerUpload", "ecr:PutImage"] }] })
}
"""
        + _project()
    )
    push = "phases:\n  build:\n    commands:\n      - docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1\n"
    found, unsure = run(tmp_path, {"main.tf": config, "buildspec.yml": push}, "ECR606")
    assert found == [] and "repository policy" in unsure[0].reason
    assert lines(found) == []
