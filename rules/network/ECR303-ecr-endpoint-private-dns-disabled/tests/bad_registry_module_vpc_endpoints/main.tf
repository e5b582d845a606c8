# terraform-aws-modules/vpc/aws//modules/vpc-endpoints: private DNS is off unless an entry sets it.
# expect: ECR303
module "endpoints" {
  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version = "~> 5.0"

  vpc_id     = "vpc-0a1b2c3d"
  subnet_ids = ["subnet-1", "subnet-2"]
  endpoints = {
    ecr_api = { service = "ecr.api", private_dns_enabled = true }
    ecr_dkr = { service = "ecr.dkr" }
    s3      = { service = "s3", service_type = "Gateway", route_table_ids = ["rtb-1"] }
  }
}
