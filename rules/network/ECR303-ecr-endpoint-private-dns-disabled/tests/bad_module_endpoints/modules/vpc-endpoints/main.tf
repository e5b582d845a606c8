variable "vpc_id" {
  type = string
}

variable "endpoints" {
  type    = any
  default = {}
}

data "aws_vpc_endpoint_service" "this" {
  for_each = var.endpoints

  service = lookup(each.value, "service", null)
}

# expect: ECR303
resource "aws_vpc_endpoint" "this" {
  for_each = var.endpoints

  vpc_id              = var.vpc_id
  service_name        = data.aws_vpc_endpoint_service.this[each.key].service_name
  vpc_endpoint_type   = lookup(each.value, "service_type", "Interface")
  private_dns_enabled = lookup(each.value, "service_type", "Interface") == "Interface" ? lookup(each.value, "private_dns_enabled", null) : null
}
