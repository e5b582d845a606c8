provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "nodes" {
  name = "platform-nodes"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "worker" {
  role       = aws_iam_role.nodes.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
}

resource "aws_iam_role_policy_attachment" "cni" {
  role       = aws_iam_role.nodes.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
}

# No AmazonEC2ContainerRegistryReadOnly / PullOnly: the nodes cannot pull from ECR.
resource "aws_eks_node_group" "default" {
  cluster_name    = "platform"
  node_group_name = "default"
  # expect: ECR602
  node_role_arn = aws_iam_role.nodes.arn
  subnet_ids    = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  scaling_config {
    desired_size = 2
    max_size     = 4
    min_size     = 2
  }
}
