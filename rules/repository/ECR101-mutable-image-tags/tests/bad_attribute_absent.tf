# expect: ECR101
resource "aws_ecr_repository" "app" {
  name = "app"
}
