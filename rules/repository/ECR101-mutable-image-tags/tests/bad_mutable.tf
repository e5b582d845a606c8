resource "aws_ecr_repository" "app" {
  name = "app"
  # expect: ECR101
  image_tag_mutability = "MUTABLE"
}
