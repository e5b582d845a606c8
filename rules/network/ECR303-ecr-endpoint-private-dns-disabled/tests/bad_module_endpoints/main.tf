# The map entries do not set private_dns_enabled, so the module passes null (the default, false).
module "vpc_endpoints" {
  source = "./modules/vpc-endpoints"

  vpc_id = "vpc-0123456789abcdef0"

  endpoints = {
    ecr_api = { service = "ecr.api" }
    ecr_dkr = { service = "ecr.dkr", private_dns_enabled = true }
  }
}
