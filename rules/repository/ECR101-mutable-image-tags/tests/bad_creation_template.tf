# expect: ECR101
resource "aws_ecr_repository_creation_template" "cache" {
  prefix      = "docker-hub"
  applied_for = ["PULL_THROUGH_CACHE"]
}
