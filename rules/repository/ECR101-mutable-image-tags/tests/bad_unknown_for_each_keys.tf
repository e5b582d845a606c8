# The repositories come from a variable without a default: the keys are unknown, but every
# instance is written MUTABLE, so every instance allows tags to be overwritten.
variable "services" {
  type = set(string)
}

resource "aws_ecr_repository" "this" {
  for_each = var.services
  name     = "shop/${each.key}"
  # expect: ECR101
  image_tag_mutability = "MUTABLE"
}
