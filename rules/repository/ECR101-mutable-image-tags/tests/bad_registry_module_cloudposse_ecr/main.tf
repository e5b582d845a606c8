# cloudposse/ecr/aws: one repository per image name, all with the same settings.
module "ecr" {
  source  = "cloudposse/ecr/aws"
  version = "0.41.0"

  image_names = ["api", "worker"]
  # expect: ECR101
  image_tag_mutability = "MUTABLE"
}
