resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
  # ecrlint:ignore ECR106 -- scratch repository, images are disposable
  force_delete = true
}
