# Repositories created from this template would get a policy ECR rejects
resource "aws_ecr_repository_creation_template" "cache" {
  prefix               = "docker-hub"
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "IMMUTABLE"

  lifecycle_policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          # expect: ECR401
          countUnit   = "weeks"
          countNumber = 2
        }
        action = {
          type = "expire"
        }
      },
    ]
  })
}
