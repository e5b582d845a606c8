# Inputs of terraform-aws-modules/ecr/aws that decide its ECR resources, with the module's defaults.

variable "create" { default = true }
variable "create_repository" { default = true }
variable "repository_type" { default = "private" }
variable "repository_name" { default = "" }
variable "repository_image_tag_mutability" { default = "IMMUTABLE" }
variable "repository_image_tag_mutability_exclusion_filter" { default = null }
variable "repository_encryption_type" { default = null }
variable "repository_kms_key" { default = null }
variable "repository_image_scan_on_push" { default = true }
variable "repository_force_delete" { default = null }
variable "tags" { default = {} }

variable "attach_repository_policy" { default = true }
variable "create_repository_policy" { default = true }
variable "repository_policy" { default = null }
variable "repository_read_access_arns" { default = [] }
variable "repository_lambda_read_access_arns" { default = [] }
variable "repository_read_write_access_arns" { default = [] }
variable "repository_policy_statements" { default = null }

variable "create_lifecycle_policy" { default = true }
variable "repository_lifecycle_policy" { default = "" }

variable "create_registry_policy" { default = false }
variable "registry_policy" { default = null }
variable "registry_pull_through_cache_rules" { default = {} }
variable "manage_registry_scanning_configuration" { default = false }
variable "registry_scan_type" { default = "ENHANCED" }
variable "registry_scan_rules" { default = null }
variable "create_registry_replication_configuration" { default = false }
variable "registry_replication_rules" { default = null }

variable "public_repository_catalog_data" { default = null }
