# Two roots deploy to the same account and Region, and neither configures registry scanning: one
# registry, so one finding, at the first repository, listing both roots' repositories.
provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

# expect: ECR103
resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"
}
