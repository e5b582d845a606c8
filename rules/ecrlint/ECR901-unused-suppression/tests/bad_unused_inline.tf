resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
  # expect: ECR901
  # ecrlint:ignore ECR106 -- force delete is intended here
  force_delete = false
}
