# A variable that defaults to null leaves the creation template without a lifecycle policy:
# for Terraform an argument set to null is an argument not set.
variable "lifecycle_policy" {
  type    = string
  default = null
}

resource "aws_ecr_repository_creation_template" "cache" {
  prefix               = "docker-hub"
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "IMMUTABLE"
  lifecycle_policy     = var.lifecycle_policy
}
