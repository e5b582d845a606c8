variable "repositories" {
  default = {
    api = "IMMUTABLE"
    web = "MUTABLE"
  }
}

resource "aws_ecr_repository" "this" {
  for_each = var.repositories
  name     = "shop/${each.key}"
  # expect: ECR101
  image_tag_mutability = each.value
}
