provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "fn" {
  name = "report-builder"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# The image was pushed to the build account's us-east-1 registry; the function runs in eu-west-1.
resource "aws_lambda_function" "reports" {
  function_name = "report-builder"
  role          = aws_iam_role.fn.arn
  package_type  = "Image"
  # expect: ECR601
  image_uri = "444455556666.dkr.ecr.us-east-1.amazonaws.com/reports/builder@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
}
