# The second endpoint's service comes from a variable without a value: it may be ecr.api, so the
# rule cannot say that ecr.api is missing.
variable "extra_service" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.25.0.0/16"
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "extra" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.${var.extra_service}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
