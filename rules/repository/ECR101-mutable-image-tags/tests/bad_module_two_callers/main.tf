# One module called twice: its repository is mutable in both calls, so one finding at the module's
# line, naming both callers.
module "orders" {
  source = "./modules/repository"
  name   = "orders"
}

module "billing" {
  source = "./modules/repository"
  name   = "billing"
}
