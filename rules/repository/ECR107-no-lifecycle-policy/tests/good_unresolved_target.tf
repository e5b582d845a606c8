# The lifecycle policy's repository is unknown, so it may belong to this repository: no finding.
variable "repository_name" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name = "app"
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = var.repository_name
  policy     = "{\"rules\": []}"
}
