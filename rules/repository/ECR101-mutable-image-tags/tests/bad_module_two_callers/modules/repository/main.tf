variable "name" {
  type = string
}

resource "aws_ecr_repository" "this" {
  name = var.name
  # expect: ECR101
  image_tag_mutability = "MUTABLE"
}
