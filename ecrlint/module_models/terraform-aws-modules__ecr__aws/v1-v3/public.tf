# repository_type = "public": an ECR Public repository and its policy.

locals {
  public_repository = var.create && var.create_repository && var.repository_type == "public"
}

resource "aws_ecrpublic_repository" "this" {
  count = local.public_repository ? 1 : 0

  repository_name = var.repository_name
  tags            = var.tags

  dynamic "catalog_data" {
    for_each = var.public_repository_catalog_data == null ? [] : [var.public_repository_catalog_data]
    content {
      about_text  = try(catalog_data.value.about_text, null)
      description = try(catalog_data.value.description, null)
      usage_text  = try(catalog_data.value.usage_text, null)
    }
  }
}

# The generated public policy grants push to the read-write principals only.
data "aws_iam_policy_document" "public" {
  count = local.public_repository && var.create_repository_policy ? 1 : 0

  dynamic "statement" {
    for_each = length(var.repository_read_write_access_arns) > 0 ? [1] : []
    content {
      sid = "ReadWrite"
      principals {
        type        = "AWS"
        identifiers = var.repository_read_write_access_arns
      }
      actions = [
        "ecr-public:BatchCheckLayerAvailability",
        "ecr-public:PutImage",
        "ecr-public:InitiateLayerUpload",
        "ecr-public:UploadLayerPart",
        "ecr-public:CompleteLayerUpload",
      ]
    }
  }
}

resource "aws_ecrpublic_repository_policy" "this" {
  count = local.public_repository && var.attach_repository_policy ? 1 : 0

  repository_name = aws_ecrpublic_repository.this[0].repository_name
  policy          = var.create_repository_policy ? data.aws_iam_policy_document.public[0].json : var.repository_policy
}
