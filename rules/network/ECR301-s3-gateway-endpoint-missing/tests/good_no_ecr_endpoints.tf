# No ECR endpoint in this VPC: it reaches ECR through its NAT gateway, nothing to report.
resource "aws_vpc" "main" {
  cidr_block = "10.12.0.0/16"
}

resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
