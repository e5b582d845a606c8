# The registry scanning configuration managed by terraform-aws-modules/ecr/aws.
module "registry" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.0"

  create_repository                      = false
  manage_registry_scanning_configuration = true
  # expect: ECR103
  registry_scan_type = "BASIC"
}
