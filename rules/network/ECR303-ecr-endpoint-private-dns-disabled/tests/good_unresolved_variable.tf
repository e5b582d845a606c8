# The setting comes from a variable without a value: undecided, not reported.
variable "private_dns" {
  type = bool
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.ap-southeast-2.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = var.private_dns
}
