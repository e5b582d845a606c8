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

# Another account is fine, as long as the repository is in the function's Region.
resource "aws_lambda_function" "reports" {
  function_name = "report-builder"
  role          = aws_iam_role.fn.arn
  package_type  = "Image"
  image_uri     = "444455556666.dkr.ecr.eu-west-1.amazonaws.com/reports/builder@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
}

# A zip function has no image to check.
resource "aws_lambda_function" "zip" {
  function_name = "hello"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "hello.zip"
}
