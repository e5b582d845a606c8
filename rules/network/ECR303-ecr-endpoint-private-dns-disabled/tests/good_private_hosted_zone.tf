# Private DNS is off on purpose: private hosted zones answer the ECR names with these endpoints
# (the usual way to share one set of endpoints with several VPCs).
variable "region" {
  default = "eu-west-1"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.shared.id
  service_name        = "com.amazonaws.${var.region}.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.shared.id
  service_name        = "com.amazonaws.${var.region}.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}

resource "aws_route53_zone" "ecr_api" {
  name = "api.ecr.${var.region}.amazonaws.com"
  vpc {
    vpc_id = aws_vpc.shared.id
  }
}

resource "aws_route53_record" "ecr_api" {
  zone_id = aws_route53_zone.ecr_api.zone_id
  name    = aws_route53_zone.ecr_api.name
  type    = "A"
  alias {
    name                   = aws_vpc_endpoint.ecr_api.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.ecr_api.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}

resource "aws_route53_zone" "ecr_dkr" {
  name = "dkr.ecr.${var.region}.amazonaws.com"
  vpc {
    vpc_id = aws_vpc.shared.id
  }
}

resource "aws_route53_record" "ecr_dkr" {
  zone_id = aws_route53_zone.ecr_dkr.zone_id
  name    = "*.dkr.ecr.${var.region}.amazonaws.com"
  type    = "A"
  alias {
    name                   = aws_vpc_endpoint.ecr_dkr.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.ecr_dkr.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}
