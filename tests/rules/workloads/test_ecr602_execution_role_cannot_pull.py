"""ECR602: unit tests of the check (moved from tests/workloads/test_checks.py)."""

from __future__ import annotations

from tests.workloads.helpers import EXECUTION_ROLE, run, task


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
    found, unsure = run(tmp_path, {"main.tf": EXECUTION_ROLE + task("nginx:1.27")}, "ECR602")
    assert found == [] and unsure == []


def test_role_outside_the_set_or_with_unknown_policies_is_undecided(tmp_path):
    outside = task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1").replace(
        "aws_iam_role.exec.arn", '"arn:aws:iam::111122223333:role/elsewhere"'
    )
    found, unsure = run(tmp_path / "a", {"main.tf": outside}, "ECR602")
    assert found == [] and "not in the analysed set" in unsure[0].reason
    opaque = (
        EXECUTION_ROLE
        + task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1")
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
        + task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/shared/app:1")
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
        + task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1")
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


def test_same_role_address_in_another_root_is_another_role(tmp_path):
    def root(name: str, grant: str) -> str:
        return (
            f'resource "aws_iam_role" "exec" {{\n  name = "{name}"\n  assume_role_policy = "{{}}"\n}}\n'
            + task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1")
            + grant
        )

    grant = """
resource "aws_iam_role_policy_attachment" "pull" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
"""
    files = {"granted/main.tf": root("exec-a", grant), "bare/main.tf": root("exec-b", "")}
    found, _ = run(tmp_path, files, "ECR602")
    assert [f.span.path.split("/")[-2] for f in found] == ["bare"]
