provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "fn" {
  name = "thumbnailer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  role          = aws_iam_role.fn.arn
  package_type  = "Image"
  # expect: ECR504
  image_uri = "docker.io/acme/thumbnailer:2.3.1"
}
