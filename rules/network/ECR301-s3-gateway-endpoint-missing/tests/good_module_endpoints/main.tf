# The VPC is managed in another configuration; its ids come from terraform.tfvars.
variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "private_route_table_ids" {
  type = list(string)
}

module "vpc_endpoints" {
  source = "./modules/vpc-endpoints"

  vpc_id     = var.vpc_id
  subnet_ids = var.private_subnet_ids

  endpoints = {
    s3      = { service = "s3", service_type = "Gateway", route_table_ids = var.private_route_table_ids }
    ecr_api = { service = "ecr.api", private_dns_enabled = true }
    ecr_dkr = { service = "ecr.dkr", private_dns_enabled = true }
    logs    = { service = "logs", private_dns_enabled = true }
  }
}
