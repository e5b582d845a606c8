# A label with enabled = false turns the module off: the MUTABLE repository is never created.
module "disabled" {
  source  = "cloudposse/label/null"
  version = "0.25.0"

  enabled = false
  name    = "legacy"
}

module "legacy_ecr" {
  source  = "cloudposse/ecr/aws"
  version = "0.41.0"

  image_tag_mutability = "MUTABLE"
  context              = module.disabled.context
}

module "this" {
  source  = "cloudposse/label/null"
  version = "0.25.0"

  namespace = "eg"
  name      = "orders"
}

module "ecr" {
  source  = "cloudposse/ecr/aws"
  version = "0.41.0"

  context = module.this.context
}
