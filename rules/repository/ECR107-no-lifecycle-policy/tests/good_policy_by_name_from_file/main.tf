resource "aws_ecr_repository" "app" {
  name = "team/app"
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = "team/app"
  policy     = file("${path.module}/lifecycle.json")
}
