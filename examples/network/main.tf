# Network baseline of a workload account: two VPCs whose private subnets pull images from ECR
# through VPC endpoints, without NAT gateways.
#
# - the app VPC has both ECR interface endpoints but no S3 gateway endpoint        (ECR301)
# - the build VPC has only the ecr.dkr endpoint                                     (ECR302)
#   with private DNS off                                                            (ECR303)
#   and an S3 gateway endpoint that is associated with no route table               (ECR304)
provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

# -- app VPC ------------------------------------------------------------------------------------

resource "aws_vpc" "app" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "app_private" {
  count      = 2
  vpc_id     = aws_vpc.app.id
  cidr_block = cidrsubnet(aws_vpc.app.cidr_block, 8, count.index)
}

resource "aws_route_table" "app_private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_security_group" "app_endpoints" {
  name   = "app-endpoints"
  vpc_id = aws_vpc.app.id
}

resource "aws_vpc_endpoint" "app_ecr" {
  for_each = toset(["ecr.api", "ecr.dkr"])

  vpc_id              = aws_vpc.app.id
  service_name        = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.app_private[*].id
  security_group_ids  = [aws_security_group.app_endpoints.id]
}

# -- build VPC ----------------------------------------------------------------------------------

data "aws_region" "current" {}

data "aws_vpc_endpoint_service" "ecr_dkr" {
  service      = "ecr.dkr"
  service_type = "Interface"
}

resource "aws_vpc" "build" {
  cidr_block           = "10.61.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "build_private" {
  vpc_id     = aws_vpc.build.id
  cidr_block = "10.61.1.0/24"
}

resource "aws_route_table" "build_private" {
  vpc_id = aws_vpc.build.id
}

resource "aws_route_table_association" "build_private" {
  subnet_id      = aws_subnet.build_private.id
  route_table_id = aws_route_table.build_private.id
}

resource "aws_vpc_endpoint" "build_ecr_dkr" {
  vpc_id              = aws_vpc.build.id
  service_name        = data.aws_vpc_endpoint_service.ecr_dkr.service_name
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
  subnet_ids          = [aws_subnet.build_private.id]
}

resource "aws_vpc_endpoint" "build_s3" {
  vpc_id            = aws_vpc.build.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
}
