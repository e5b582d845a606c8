# Endpoints created from a map input, the way terraform-aws-modules/vpc's vpc-endpoints module
# does it. The map has the two ECR endpoints but no s3 entry.
resource "aws_vpc" "main" {
  cidr_block = "10.4.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.4.1.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

module "vpc_endpoints" {
  source = "./modules/vpc-endpoints"

  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.private.id]

  endpoints = {
    ecr_api = { service = "ecr.api", private_dns_enabled = true }
    ecr_dkr = { service = "ecr.dkr", private_dns_enabled = true }
  }
}
