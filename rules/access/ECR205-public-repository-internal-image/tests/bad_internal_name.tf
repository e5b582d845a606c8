resource "aws_ecrpublic_repository" "billing" {
  # expect: ECR205
  repository_name = "acme-internal/billing-service"

  catalog_data {
    description       = "Billing backend"
    operating_systems = ["Linux"]
  }
}
