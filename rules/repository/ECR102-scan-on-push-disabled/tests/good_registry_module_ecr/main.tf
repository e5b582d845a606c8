# The module scans on push unless told otherwise.
module "images" {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-ecr.git?ref=v1.6.0"

  repository_name         = "images"
  create_lifecycle_policy = false
}
