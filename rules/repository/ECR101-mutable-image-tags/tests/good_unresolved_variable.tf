# The value comes from a variable with no default and no tfvars: unknown, so no finding.
variable "tag_mutability" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = var.tag_mutability
}
