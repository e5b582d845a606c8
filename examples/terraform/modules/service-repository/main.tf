variable "name" {
  type = string
}

variable "mutability" {
  type    = string
  default = "IMMUTABLE"
}

resource "aws_kms_key" "images" {
  description = "Images of ${var.name}"
}

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = var.mutability

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.images.arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after 14 days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 14
      }
      action = { type = "expire" }
    }]
  })
}
