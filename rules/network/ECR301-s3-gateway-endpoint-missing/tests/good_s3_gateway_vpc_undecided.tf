# The S3 gateway's VPC comes from a variable with no value: it may be aws_vpc.main, so the rule
# cannot conclude that the S3 gateway is missing (reported with --show-unknown, not as a finding).
variable "shared_vpc_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.13.0.0/16"
}

resource "aws_vpc_endpoint" "ecr" {
  for_each = toset(["ecr.api", "ecr.dkr"])

  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = var.shared_vpc_id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = ["rtb-0aa1bb2cc3dd4ee5f"]
}
