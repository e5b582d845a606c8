# The age limit comes from a variable without a default: nothing is decided, nothing is reported
variable "max_age_days" {
  type = number
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        selection = {
          tagStatus   = "any"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.max_age_days
        }
        action = {
          type = "expire"
        }
      },
    ]
  })
}
