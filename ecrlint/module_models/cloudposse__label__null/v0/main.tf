# cloudposse/label/null: the label outputs Cloud Posse modules name and enable their resources with.

variable "context" { default = {} }
variable "enabled" { default = null }
variable "namespace" { default = null }
variable "tenant" { default = null }
variable "environment" { default = null }
variable "stage" { default = null }
variable "name" { default = null }
variable "delimiter" { default = null }
variable "attributes" { default = [] }
variable "label_order" { default = null }
variable "label_value_case" { default = null }
variable "tags" { default = {} }

locals {
  context_enabled = try(var.context.enabled, null)
  enabled         = var.enabled != null ? var.enabled : local.context_enabled != null ? local.context_enabled : true

  namespace   = var.namespace != null ? var.namespace : try(var.context.namespace, null)
  tenant      = var.tenant != null ? var.tenant : try(var.context.tenant, null)
  environment = var.environment != null ? var.environment : try(var.context.environment, null)
  stage       = var.stage != null ? var.stage : try(var.context.stage, null)
  name        = var.name != null ? var.name : try(var.context.name, null)

  context_delimiter = try(var.context.delimiter, null)
  delimiter         = var.delimiter != null ? var.delimiter : local.context_delimiter != null ? local.context_delimiter : "-"

  context_attributes = try(var.context.attributes, null)
  attributes         = distinct(compact(concat(local.context_attributes != null ? local.context_attributes : [], var.attributes)))

  context_order = try(var.context.label_order, null)
  label_order = var.label_order != null ? var.label_order : local.context_order != null ? local.context_order : [
    "namespace", "tenant", "environment", "stage", "name", "attributes",
  ]

  context_case = try(var.context.label_value_case, null)
  value_case   = var.label_value_case != null ? var.label_value_case : local.context_case != null ? local.context_case : "lower"

  labels = {
    namespace   = local.namespace
    tenant      = local.tenant
    environment = local.environment
    stage       = local.stage
    name        = local.name
    attributes  = join(local.delimiter, local.attributes)
  }
  joined = join(local.delimiter, compact([for label in local.label_order : local.labels[label] == null ? "" : local.labels[label]]))
  id     = local.value_case == "none" ? local.joined : local.value_case == "upper" ? upper(local.joined) : lower(local.joined)

  context_tags = try(var.context.tags, null)
}

output "enabled" { value = local.enabled }
output "id" { value = local.enabled ? local.id : "" }
output "name" { value = local.enabled ? local.name : "" }
output "namespace" { value = local.enabled ? local.namespace : "" }
output "tenant" { value = local.enabled ? local.tenant : "" }
output "environment" { value = local.enabled ? local.environment : "" }
output "stage" { value = local.enabled ? local.stage : "" }
output "delimiter" { value = local.delimiter }
output "attributes" { value = local.attributes }
output "tags" { value = merge(local.context_tags != null ? local.context_tags : {}, var.tags) }

output "context" {
  value = {
    enabled          = local.enabled
    namespace        = local.namespace
    tenant           = local.tenant
    environment      = local.environment
    stage            = local.stage
    name             = local.name
    delimiter        = local.delimiter
    attributes       = local.attributes
    label_order      = local.label_order
    label_value_case = local.value_case
    tags             = merge(local.context_tags != null ? local.context_tags : {}, var.tags)
  }
}
