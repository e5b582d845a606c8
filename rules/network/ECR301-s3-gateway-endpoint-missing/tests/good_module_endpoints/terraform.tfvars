vpc_id                  = "vpc-0f1e2d3c4b5a69788"
private_subnet_ids      = ["subnet-0aa1bb2cc3dd4ee5f", "subnet-0ff1ee2dd3cc4bb5a"]
private_route_table_ids = ["rtb-0aa1bb2cc3dd4ee5f", "rtb-0ff1ee2dd3cc4bb5a"]
