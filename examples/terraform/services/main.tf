# Application repositories, one per service, created through a local module.
variable "services" {
  default = {
    checkout = { mutability = "IMMUTABLE" }
    payments = { mutability = "MUTABLE" }
  }
}

module "repository" {
  source     = "../modules/service-repository"
  for_each   = var.services
  name       = "prod/${each.key}"
  mutability = each.value.mutability
}
