variable "allow_destroy" {
  default = true
}

resource "aws_ecr_repository" "app" {
  name = "app"
  # expect: ECR106
  force_delete = var.allow_destroy
}
