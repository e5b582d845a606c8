# cloudposse/ecr/aws defaults to IMMUTABLE tags.
module "ecr" {
  source  = "cloudposse/ecr/aws"
  version = "0.41.0"

  namespace = "eg"
  stage     = "prod"
  name      = "app"
}
