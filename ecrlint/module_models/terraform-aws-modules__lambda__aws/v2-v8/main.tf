# terraform-aws-modules/lambda/aws: the function and its role, as the module documents them.

variable "create" { default = true }
variable "create_function" { default = true }
variable "create_layer" { default = false }
variable "function_name" { default = "" }
variable "package_type" { default = "Zip" }
variable "image_uri" { default = null }
variable "create_role" { default = true }
variable "lambda_role" { default = "" }
variable "role_name" { default = null }

locals {
  function = var.create && var.create_function && !var.create_layer
}

resource "aws_lambda_function" "this" {
  count = local.function ? 1 : 0

  function_name = var.function_name
  package_type  = var.package_type
  image_uri     = var.image_uri
  role          = var.create_role ? aws_iam_role.lambda[0].arn : var.lambda_role
}

resource "aws_iam_role" "lambda" {
  count = local.function && var.create_role ? 1 : 0

  name = var.role_name == null ? var.function_name : var.role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}
