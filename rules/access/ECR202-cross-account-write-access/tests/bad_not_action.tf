resource "aws_ecr_repository_policy" "app" {
  repository = "app"
  policy     = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "EverythingButDelete",
          "Effect": "Allow",
          "Principal": {"AWS": "666677778888"},
          "NotAction": ["ecr:Delete*", "ecr:BatchDeleteImage"]
        }
      ]
    }
  JSON
}
