# The module's default is IMMUTABLE.
module "orders" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.0"

  repository_name         = "orders"
  create_lifecycle_policy = false
}
