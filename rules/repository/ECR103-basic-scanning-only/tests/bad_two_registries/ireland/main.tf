# Two roots in different Regions: two registries, one finding each.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

# expect: ECR103
resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"
}
