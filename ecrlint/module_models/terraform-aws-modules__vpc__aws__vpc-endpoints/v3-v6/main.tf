# terraform-aws-modules/vpc/aws//modules/vpc-endpoints: one endpoint per entry of `endpoints`.

variable "create" { default = true }
variable "vpc_id" { default = null }
variable "endpoints" { default = {} }
variable "subnet_ids" { default = [] }

data "aws_region" "current" {}

resource "aws_vpc_endpoint" "this" {
  for_each = { for k, v in var.endpoints : k => v if var.create && try(v.create, true) }

  vpc_id              = var.vpc_id
  service_name        = try(each.value.service_endpoint, "com.amazonaws.${data.aws_region.current.name}.${each.value.service}")
  vpc_endpoint_type   = try(each.value.service_type, "Interface")
  subnet_ids          = try(each.value.service_type, "Interface") == "Interface" ? distinct(concat(var.subnet_ids, try(each.value.subnet_ids, []))) : null
  route_table_ids     = try(each.value.service_type, "Interface") == "Gateway" ? try(each.value.route_table_ids, null) : null
  private_dns_enabled = try(each.value.service_type, "Interface") == "Interface" ? try(each.value.private_dns_enabled, null) : null
}
