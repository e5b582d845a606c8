# The module's generated policy grants read to the listed accounts only.
module "images" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.1"

  repository_name             = "images"
  repository_read_access_arns = ["arn:aws:iam::111122223333:root"]
  create_lifecycle_policy     = false
}
