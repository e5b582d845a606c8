"""The network path to ECR: endpoint services, endpoints and route tables grouped per VPC.

- `service_of(value)` / `parse_service_name(text)`: which service (`ecr.api`, `ecr.dkr`, `s3`,
  ...) an endpoint's service name names, however it is built;
- `network_of(model)`: every endpoint with its service, type and VPC, grouped per VPC with the
  VPC's route tables and the route table associations of the analysed set;
- `may_be_same(a, b)`: whether two VPC identities are the same VPC (True/False/None).
"""

from .services import ECR_API, ECR_DKR, ECR_SERVICES, GATEWAY, INTERFACE, S3, Service, parse_service_name, service_of
from .topology import Endpoint, Group, Network, VpcIdentity, build_network, may_be_same, network_of, vpc_identity

__all__ = [
    "ECR_API",
    "ECR_DKR",
    "ECR_SERVICES",
    "GATEWAY",
    "INTERFACE",
    "S3",
    "Endpoint",
    "Group",
    "Network",
    "Service",
    "VpcIdentity",
    "build_network",
    "may_be_same",
    "network_of",
    "parse_service_name",
    "service_of",
    "vpc_identity",
]
