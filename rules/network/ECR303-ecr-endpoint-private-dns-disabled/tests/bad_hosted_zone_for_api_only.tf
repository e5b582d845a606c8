# The hosted zone answers api.ecr with its endpoint, but nothing answers <account>.dkr.ecr: the
# ecr.dkr endpoint without private DNS is still unreachable by name.
resource "aws_vpc" "shared" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.shared.id
  service_name        = "com.amazonaws.eu-west-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.shared.id
  service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  # expect: ECR303
  private_dns_enabled = false
}

resource "aws_route53_zone" "ecr" {
  name = "ecr.eu-west-1.amazonaws.com"
  vpc {
    vpc_id = aws_vpc.shared.id
  }
}

resource "aws_route53_record" "ecr_api" {
  zone_id = aws_route53_zone.ecr.zone_id
  name    = "api.ecr.eu-west-1.amazonaws.com"
  type    = "A"
  alias {
    name                   = aws_vpc_endpoint.ecr_api.dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.ecr_api.dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
}

# Points at the dkr endpoint but under a name clients never use.
resource "aws_route53_record" "ecr_dkr_apex" {
  zone_id = aws_route53_zone.ecr.zone_id
  name    = "registry.internal.example.com"
  type    = "CNAME"
  ttl     = 300
  records = [aws_vpc_endpoint.ecr_dkr.dns_entry[0].dns_name]
}
