variable "environment" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = var.environment == "prod" ? "IMMUTABLE" : "IMMUTABLE_WITH_EXCLUSION"
}
