# expect: ECR102
resource "aws_ecr_repository" "app" {
  name = "app"
}
