resource "aws_ecrpublic_repository" "tool" {
  repository_name = "tool"
}

resource "aws_ecrpublic_repository_policy" "tool" {
  repository_name = aws_ecrpublic_repository.tool.repository_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: ECR201
      {
        Sid       = "AnyonePushes"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["ecr-public:*"]
      }
    ]
  })
}
