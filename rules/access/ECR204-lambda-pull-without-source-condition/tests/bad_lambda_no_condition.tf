resource "aws_ecr_repository" "functions" {
  name                 = "functions"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_repository_policy" "functions" {
  repository = aws_ecr_repository.functions.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: ECR204
      {
        Sid       = "LambdaECRImageRetrievalPolicy"
        Effect    = "Allow"
        Principal = { Service = "lambda.amazonaws.com" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      }
    ]
  })
}
