# The module's default scan type is ENHANCED.
module "registry" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.0"

  create_repository                      = false
  manage_registry_scanning_configuration = true
  registry_scan_rules = [{
    scan_frequency = "CONTINUOUS_SCAN"
    filter         = [{ filter = "*", filter_type = "WILDCARD" }]
  }]
}
