variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}

variable "endpoints" {
  type    = any
  default = {}
}

variable "create" {
  type    = bool
  default = true
}

data "aws_vpc_endpoint_service" "this" {
  for_each = { for key, endpoint in var.endpoints : key => endpoint if var.create }

  service = lookup(each.value, "service", null)

  filter {
    name   = "service-type"
    values = [lookup(each.value, "service_type", "Interface")]
  }
}

# expect: ECR301
resource "aws_vpc_endpoint" "this" {
  for_each = { for key, endpoint in var.endpoints : key => endpoint if var.create }

  vpc_id              = var.vpc_id
  service_name        = data.aws_vpc_endpoint_service.this[each.key].service_name
  vpc_endpoint_type   = lookup(each.value, "service_type", "Interface")
  subnet_ids          = lookup(each.value, "service_type", "Interface") == "Interface" ? var.subnet_ids : null
  route_table_ids     = lookup(each.value, "service_type", "Interface") == "Gateway" ? lookup(each.value, "route_table_ids", null) : null
  private_dns_enabled = lookup(each.value, "service_type", "Interface") == "Interface" ? lookup(each.value, "private_dns_enabled", null) : null
}
