# Lifecycle policies that do more, or less, than their authors meant.
resource "aws_kms_key" "images" {
  description = "images"
}

resource "aws_ecr_repository" "web" {
  name                 = "web"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.images.arn
  }
}

resource "aws_ecr_lifecycle_policy" "web" {
  repository = aws_ecr_repository.web.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep 10 release images"
        selection    = { tagStatus = "tagged", tagPrefixList = ["release"], countType = "imageCountMoreThan", countNumber = 10 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Meant for release candidates, but rule 1 already claims every release* image"
        selection    = { tagStatus = "tagged", tagPrefixList = ["release-rc"], countType = "imageCountMoreThan", countNumber = 3 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 3
        description  = "Expire anything older than 30 days"
        selection    = { tagStatus = "any", countType = "sinceImagePushed", countUnit = "days", countNumber = 30 }
        action       = { type = "expire" }
      }
    ]
  })
}

# ecrlint:ignore ECR107 -- the worker's lifecycle policy is managed by the platform team
resource "aws_ecr_repository" "worker" {
  name                 = "worker"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.images.arn
  }
}

# ecrlint:ignore ECR106, ECR999 -- stale: nothing here deletes images any more
resource "aws_ecr_repository" "tools" {
  name                 = "tools"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.images.arn
  }
}

resource "aws_ecr_lifecycle_policy" "tools" {
  repository = aws_ecr_repository.tools.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Claim the image tagged latest so no later rule can expire it"
        selection    = { tagStatus = "tagged", tagPatternList = ["latest"], countType = "imageCountMoreThan", countNumber = 1 }
        action       = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Expire untagged images after 7 days"
        selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }
        action       = { type = "expire" }
      }
    ]
  })
}
