variable "tag_mutability" {
  type    = string
  default = "MUTABLE"
}

resource "aws_ecr_repository" "app" {
  name = "app"
  # expect: ECR101
  image_tag_mutability = var.tag_mutability
}
