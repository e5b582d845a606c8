# Inputs of cloudposse/ecr/aws that decide its ECR resources, with the module's defaults.

variable "context" { default = {} }
variable "enabled" { default = null }
variable "namespace" { default = null }
variable "tenant" { default = null }
variable "environment" { default = null }
variable "stage" { default = null }
variable "name" { default = null }
variable "use_fullname" { default = true }
variable "image_names" { default = [] }
variable "tags" { default = {} }

variable "image_tag_mutability" { default = "IMMUTABLE" }
variable "image_tag_mutability_exclusion_filter" { default = [] }
variable "scan_images_on_push" { default = true }
variable "encryption_configuration" { default = null }
variable "force_delete" { default = false }

variable "enable_lifecycle_policy" { default = true }
variable "max_image_count" { default = 500 }
variable "time_based_rotation" { default = false }
variable "protected_tags" { default = [] }
variable "protected_tags_keep_count" { default = 999999 }

variable "principals_full_access" { default = [] }
variable "principals_push_access" { default = [] }
variable "principals_readonly_access" { default = [] }
variable "principals_lambda" { default = [] }
variable "organizations_readonly_access" { default = [] }
variable "organizations_full_access" { default = [] }
variable "organizations_push_access" { default = [] }

variable "replication_configurations" { default = [] }
