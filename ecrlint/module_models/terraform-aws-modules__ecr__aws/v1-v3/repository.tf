# The private repository, its policy and its lifecycle policy, as the module documents them.

locals {
  private_repository = var.create && var.create_repository && var.repository_type == "private"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_ecr_repository" "this" {
  count = local.private_repository ? 1 : 0

  name                 = var.repository_name
  image_tag_mutability = var.repository_image_tag_mutability
  force_delete         = var.repository_force_delete
  tags                 = var.tags

  dynamic "image_tag_mutability_exclusion_filter" {
    for_each = var.repository_image_tag_mutability_exclusion_filter == null ? [] : var.repository_image_tag_mutability_exclusion_filter
    content {
      filter      = image_tag_mutability_exclusion_filter.value.filter
      filter_type = image_tag_mutability_exclusion_filter.value.filter_type
    }
  }

  dynamic "encryption_configuration" {
    for_each = var.repository_encryption_type == null ? [] : [var.repository_encryption_type]
    content {
      encryption_type = var.repository_encryption_type
      kms_key         = var.repository_kms_key
    }
  }

  image_scanning_configuration {
    scan_on_push = var.repository_image_scan_on_push
  }
}

# The generated policy: read for the given principals (the account itself when none are given),
# pull for Lambda functions, and push for the read-write principals.
data "aws_iam_policy_document" "repository" {
  count = local.private_repository && var.create_repository_policy ? 1 : 0

  statement {
    sid = "PrivateReadOnly"
    principals {
      type        = "AWS"
      identifiers = length(var.repository_read_access_arns) > 0 ? var.repository_read_access_arns : ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:DescribeImageScanFindings",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
      "ecr:GetLifecyclePolicy",
      "ecr:GetLifecyclePolicyPreview",
      "ecr:GetRepositoryPolicy",
      "ecr:ListImages",
      "ecr:ListTagsForResource",
    ]
  }

  dynamic "statement" {
    for_each = length(var.repository_lambda_read_access_arns) > 0 ? [1] : []
    content {
      sid = "PrivateLambdaReadOnly"
      principals {
        type        = "Service"
        identifiers = ["lambda.amazonaws.com"]
      }
      actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      condition {
        test     = "StringLike"
        variable = "aws:sourceArn"
        values   = var.repository_lambda_read_access_arns
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.repository_read_write_access_arns) > 0 ? [1] : []
    content {
      sid = "ReadWrite"
      principals {
        type        = "AWS"
        identifiers = var.repository_read_write_access_arns
      }
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
        "ecr:PutImage",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
      ]
    }
  }

  dynamic "statement" {
    for_each = var.repository_policy_statements == null ? {} : var.repository_policy_statements
    content {
      sid           = try(statement.value.sid, null)
      effect        = try(statement.value.effect, null)
      actions       = try(statement.value.actions, null)
      not_actions   = try(statement.value.not_actions, null)
      resources     = try(statement.value.resources, null)
      not_resources = try(statement.value.not_resources, null)
      dynamic "principals" {
        for_each = try(statement.value.principals, null) == null ? [] : statement.value.principals
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
      dynamic "condition" {
        for_each = try(statement.value.conditions, null) == null ? [] : statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  count = local.private_repository && var.attach_repository_policy ? 1 : 0

  repository = aws_ecr_repository.this[0].name
  policy     = var.create_repository_policy ? data.aws_iam_policy_document.repository[0].json : var.repository_policy
}

resource "aws_ecr_lifecycle_policy" "this" {
  count = local.private_repository && var.create_lifecycle_policy ? 1 : 0

  repository = aws_ecr_repository.this[0].name
  policy     = var.repository_lifecycle_policy
}
