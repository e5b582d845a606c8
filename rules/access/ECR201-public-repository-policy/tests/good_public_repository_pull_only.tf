resource "aws_ecrpublic_repository" "tool" {
  repository_name = "tool"
}

# Pulling from ECR Public is public by design; only pushes are restricted.
resource "aws_ecrpublic_repository_policy" "tool" {
  repository_name = aws_ecrpublic_repository.tool.repository_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Describe"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["ecr-public:BatchCheckLayerAvailability", "ecr-public:DescribeImages"]
      }
    ]
  })
}
