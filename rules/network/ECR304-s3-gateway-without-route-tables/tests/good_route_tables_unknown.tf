# Route tables from a variable without a value: undecided, not reported.
variable "route_table_ids" {
  type = list(string)
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = "vpc-0123456789abcdef0"
  service_name        = "com.amazonaws.us-east-2.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = "vpc-0123456789abcdef0"
  service_name    = "com.amazonaws.us-east-2.s3"
  route_table_ids = var.route_table_ids
}
