# cloudposse/ecr/aws named and enabled by its label (cloudposse/label/null), as Cloud Posse
# components call it.
module "this" {
  source  = "cloudposse/label/null"
  version = "0.25.0"

  namespace = "eg"
  stage     = "prod"
  name      = "orders"
}

module "ecr" {
  source  = "cloudposse/ecr/aws"
  version = "0.41.0"

  # expect: ECR101
  image_tag_mutability = "MUTABLE"

  context = module.this.context
}
