# The map input creates the registry endpoint and the S3 gateway, but not ecr.api.
variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

module "vpc_endpoints" {
  source = "./modules/vpc-endpoints"

  vpc_id = var.vpc_id

  endpoints = {
    s3      = { service = "s3", service_type = "Gateway", route_table_ids = ["rtb-0123456789abcdef0"] }
    ecr_dkr = { service = "ecr.dkr", private_dns_enabled = true }
  }
}
