# terraform-aws-modules/ecr/aws before `terraform init`: read through its module model.
module "orders" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.0"

  repository_name = "orders"
  # expect: ECR101
  repository_image_tag_mutability = "MUTABLE"
  create_lifecycle_policy         = false
}
