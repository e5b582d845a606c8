provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# expect: ECR103
resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"
}
