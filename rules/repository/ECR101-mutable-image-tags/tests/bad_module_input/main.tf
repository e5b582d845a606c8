module "repo" {
  source     = "./modules/repo"
  name       = "payments"
  mutability = "MUTABLE"
}
