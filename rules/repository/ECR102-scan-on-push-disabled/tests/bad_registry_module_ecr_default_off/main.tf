# A git source of the same module, pinned by tag: the model for its major version.
module "images" {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-ecr.git?ref=v1.6.0"

  repository_name = "images"
  # expect: ECR102
  repository_image_scan_on_push = false
  create_lifecycle_policy       = false
}
