# Registry-level settings the module manages when asked to.

resource "aws_ecr_registry_policy" "this" {
  count = var.create && var.create_registry_policy ? 1 : 0

  policy = var.registry_policy
}

resource "aws_ecr_pull_through_cache_rule" "this" {
  for_each = var.create ? var.registry_pull_through_cache_rules : {}

  ecr_repository_prefix = each.value.ecr_repository_prefix
  upstream_registry_url = each.value.upstream_registry_url
  credential_arn        = try(each.value.credential_arn, null)
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  count = var.create && var.manage_registry_scanning_configuration ? 1 : 0

  scan_type = var.registry_scan_type

  dynamic "rule" {
    for_each = var.registry_scan_rules == null ? [] : var.registry_scan_rules
    content {
      scan_frequency = rule.value.scan_frequency
      dynamic "repository_filter" {
        for_each = rule.value.filter
        content {
          filter      = repository_filter.value.filter
          filter_type = try(repository_filter.value.filter_type, "WILDCARD")
        }
      }
    }
  }
}

resource "aws_ecr_replication_configuration" "this" {
  count = var.create && var.create_registry_replication_configuration ? 1 : 0

  replication_configuration {
    dynamic "rule" {
      for_each = var.registry_replication_rules == null ? [] : var.registry_replication_rules
      content {
        dynamic "destination" {
          for_each = rule.value.destinations
          content {
            region      = destination.value.region
            registry_id = destination.value.registry_id
          }
        }
        dynamic "repository_filter" {
          for_each = try(rule.value.repository_filters, null) == null ? [] : rule.value.repository_filters
          content {
            filter      = repository_filter.value.filter
            filter_type = repository_filter.value.filter_type
          }
        }
      }
    }
  }
}
