variable "name" {}
variable "mutability" {
  default = "IMMUTABLE"
}

resource "aws_ecr_repository" "this" {
  name = var.name
  image_tag_mutability = var.mutability
}
