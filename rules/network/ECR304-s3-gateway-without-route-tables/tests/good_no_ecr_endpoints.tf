# An S3 gateway without route tables in a VPC with no ECR endpoint: not an ECR finding.
resource "aws_vpc" "data" {
  cidr_block = "10.44.0.0/16"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.data.id
  service_name = "com.amazonaws.eu-west-3.s3"
}
