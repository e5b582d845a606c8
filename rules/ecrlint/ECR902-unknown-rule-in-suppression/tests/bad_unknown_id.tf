# expect: ECR902
# ecrlint:ignore ECR999 -- no such rule
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}
