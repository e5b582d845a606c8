# The s3 entry is a gateway but names no route tables.
module "vpc_endpoints" {
  source = "./modules/vpc-endpoints"

  vpc_id = "vpc-0123456789abcdef0"

  endpoints = {
    s3      = { service = "s3", service_type = "Gateway" }
    ecr_api = { service = "ecr.api", private_dns_enabled = true }
    ecr_dkr = { service = "ecr.dkr", private_dns_enabled = true }
  }
}
