# The repositories, their lifecycle policy and their policy, as the module documents them.

locals {
  # The module's label: each input left null comes from `context` (see cloudposse__label__null).
  context_enabled = try(var.context.enabled, null)
  enabled         = var.enabled != null ? var.enabled : local.context_enabled != null ? local.context_enabled : true
  label = [
    for part in ["namespace", "tenant", "environment", "stage", "name"] :
    lookup({ namespace = var.namespace, tenant = var.tenant, environment = var.environment, stage = var.stage, name = var.name }, part, null) != null
    ? lookup({ namespace = var.namespace, tenant = var.tenant, environment = var.environment, stage = var.stage, name = var.name }, part, null)
    : try(var.context[part], null)
  ]
  name      = local.label[4]
  full_name = lower(join("-", compact([for part in local.label : part == null ? "" : part])))
  names     = length(var.image_names) > 0 ? var.image_names : [var.use_fullname ? local.full_name : local.name]
  need_policy = length(concat(
    var.principals_full_access, var.principals_push_access, var.principals_readonly_access, var.principals_lambda,
    var.organizations_readonly_access, var.organizations_full_access, var.organizations_push_access,
  )) > 0

  pull_actions = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:DescribeImageScanFindings",
    "ecr:DescribeImages",
    "ecr:DescribeRepositories",
    "ecr:GetDownloadUrlForLayer",
    "ecr:GetRepositoryPolicy",
    "ecr:ListImages",
  ]
  push_actions = [
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
  ]

  protected_rules = [
    for i, tag in var.protected_tags : {
      rulePriority = i + 1
      description  = "Protects images tagged with ${tag}"
      selection = {
        tagStatus     = "tagged"
        tagPrefixList = [tag]
        countType     = "imageCountMoreThan"
        countNumber   = var.protected_tags_keep_count
      }
      action = { type = "expire" }
    }
  ]
  untagged_rule = {
    rulePriority = length(var.protected_tags) + 1
    description  = "Remove untagged images"
    selection = {
      tagStatus   = "untagged"
      countType   = "imageCountMoreThan"
      countNumber = 1
    }
    action = { type = "expire" }
  }
  rotation_rule = {
    rulePriority = length(var.protected_tags) + 2
    description  = "Rotate images when reach ${var.max_image_count} images stored"
    selection = merge(
      {
        tagStatus   = "any"
        countType   = var.time_based_rotation ? "sinceImagePushed" : "imageCountMoreThan"
        countNumber = var.max_image_count
      },
      var.time_based_rotation ? { countUnit = "days" } : {},
    )
    action = { type = "expire" }
  }
}

resource "aws_ecr_repository" "name" {
  for_each = toset(local.enabled ? local.names : [])

  name                 = each.value
  image_tag_mutability = var.image_tag_mutability
  force_delete         = var.force_delete
  tags                 = var.tags

  dynamic "encryption_configuration" {
    for_each = var.encryption_configuration == null ? [] : [var.encryption_configuration]
    content {
      encryption_type = encryption_configuration.value.encryption_type
      kms_key         = encryption_configuration.value.kms_key
    }
  }

  dynamic "image_tag_mutability_exclusion_filter" {
    for_each = var.image_tag_mutability_exclusion_filter
    content {
      filter      = image_tag_mutability_exclusion_filter.value.filter
      filter_type = image_tag_mutability_exclusion_filter.value.filter_type
    }
  }

  image_scanning_configuration {
    scan_on_push = var.scan_images_on_push
  }
}

resource "aws_ecr_lifecycle_policy" "name" {
  for_each = toset(local.enabled && var.enable_lifecycle_policy ? local.names : [])

  repository = aws_ecr_repository.name[each.value].name
  policy     = jsonencode({ rules = concat(local.protected_rules, [local.untagged_rule, local.rotation_rule]) })
}

data "aws_iam_policy_document" "resource" {
  count = local.enabled ? 1 : 0

  dynamic "statement" {
    for_each = length(var.principals_readonly_access) > 0 ? [1] : []
    content {
      sid     = "ReadonlyAccess"
      effect  = "Allow"
      actions = local.pull_actions
      principals {
        type        = "AWS"
        identifiers = var.principals_readonly_access
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.principals_push_access) > 0 ? [1] : []
    content {
      sid     = "PushAccess"
      effect  = "Allow"
      actions = concat(local.pull_actions, local.push_actions)
      principals {
        type        = "AWS"
        identifiers = var.principals_push_access
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.principals_full_access) > 0 ? [1] : []
    content {
      sid     = "FullAccess"
      effect  = "Allow"
      actions = ["ecr:*"]
      principals {
        type        = "AWS"
        identifiers = var.principals_full_access
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.principals_lambda) > 0 ? [1] : []
    content {
      sid     = "LambdaECRImageCrossAccountRetrievalPolicy"
      effect  = "Allow"
      actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      principals {
        type        = "Service"
        identifiers = ["lambda.amazonaws.com"]
      }
      condition {
        test     = "StringLike"
        variable = "aws:sourceArn"
        values   = [for account in var.principals_lambda : "arn:aws:lambda:*:${account}:function:*"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.organizations_readonly_access) > 0 ? [1] : []
    content {
      sid     = "ReadonlyAccessByOrganization"
      effect  = "Allow"
      actions = local.pull_actions
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = var.organizations_readonly_access
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.organizations_push_access) > 0 ? [1] : []
    content {
      sid     = "PushAccessByOrganization"
      effect  = "Allow"
      actions = concat(local.pull_actions, local.push_actions)
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = var.organizations_push_access
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.organizations_full_access) > 0 ? [1] : []
    content {
      sid     = "FullAccessByOrganization"
      effect  = "Allow"
      actions = ["ecr:*"]
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = var.organizations_full_access
      }
    }
  }
}

resource "aws_ecr_repository_policy" "name" {
  for_each = toset(local.enabled && local.need_policy ? local.names : [])

  repository = aws_ecr_repository.name[each.value].name
  policy     = data.aws_iam_policy_document.resource[0].json
}

resource "aws_ecr_replication_configuration" "replication_configuration" {
  count = local.enabled && length(var.replication_configurations) > 0 ? 1 : 0

  dynamic "replication_configuration" {
    for_each = var.replication_configurations
    content {
      dynamic "rule" {
        for_each = replication_configuration.value.rules
        content {
          dynamic "destination" {
            for_each = rule.value.destinations
            content {
              region      = destination.value.region
              registry_id = destination.value.registry_id
            }
          }
          dynamic "repository_filter" {
            for_each = rule.value.repository_filters
            content {
              filter      = repository_filter.value.filter
              filter_type = repository_filter.value.filter_type
            }
          }
        }
      }
    }
  }
}
