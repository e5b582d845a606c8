# Sharing images with partners and the public: the access rules at work.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecr_repository" "shared" {
  name                 = "shared/base"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_repository_policy" "shared" {
  repository = aws_ecr_repository.shared.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AnyonePulls"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      },
      {
        Sid       = "TeamsPull"
        Effect    = "Allow"
        Principal = { AWS = ["222222222222", "333333333333", "arn:aws:iam::444444444444:root"] }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      }
    ]
  })
}

resource "aws_ecr_registry_policy" "this" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ReplicateFromAnywhere"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["ecr:ReplicateImage", "ecr:CreateRepository"]
        Resource  = "arn:aws:ecr:eu-west-1:111122223333:repository/*"
      }
    ]
  })
}

resource "aws_ecrpublic_repository" "billing" {
  repository_name = "acme-internal/billing-service"

  catalog_data {
    description = "Billing backend"
  }
}

resource "aws_iam_role" "partner_pull" {
  name = "partner-image-pull"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PartnerAssumes"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::555566667777:root" }
        Action    = "sts:AssumeRole"
      }
    ]
  })
}

resource "aws_iam_role_policy" "partner_pull" {
  name = "pull"
  role = aws_iam_role.partner_pull.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" },
      {
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
        Resource = aws_ecr_repository.shared.arn
      }
    ]
  })
}
