# Every release-hotfix image also matches the release prefix of the earlier rule
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep the image tagged latest"
        selection    = {
          tagStatus      = "tagged"
          tagPatternList = ["latest"]
          countType      = "imageCountMoreThan"
          countNumber    = 1
        }
        action       = {
          type = "expire"
        }
      },
      {
        rulePriority = 2
        description  = "Keep 20 release images"
        selection    = {
          tagStatus     = "tagged"
          tagPrefixList = ["release"]
          countType     = "imageCountMoreThan"
          countNumber   = 20
        }
        action       = {
          type = "expire"
        }
      },
      {
        rulePriority = 3
        description  = "Expire hotfix builds after 7 days"
        # expect: ECR403
        selection    = {
          tagStatus     = "tagged"
          tagPrefixList = ["release-hotfix"]
          countType     = "sinceImagePushed"
          countUnit     = "days"
          countNumber   = 7
        }
        action       = {
          type = "expire"
        }
      },
    ]
  })
}
