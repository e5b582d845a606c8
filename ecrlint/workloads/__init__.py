"""Workloads and pipelines that consume ECR images: rules ECR504 and ECR601-ECR606.

One module per job:

- `outcomes`: the values a possibly conditional attribute can take;
- `text`: scripts (buildspecs, user data, Dockerfiles) as numbered lines with exact spans;
- `commands`: what a line of such a script does (`aws ecr get-login`, `docker push`, an agent install);
- `consumers`: every image reference a workload names (ECS containers, Lambda, CodeBuild);
- `buildspecs`: the buildspec a CodeBuild project runs, and the images it pushes;
- `dockerfiles`: `FROM` lines of Dockerfiles;
- `permissions`: whether a role's identity policies allow a list of ECR actions;
- one module per rule (`docker_hub`, `lambda_image`, `execution_role`, `codedeploy_agent`,
  `mutable_reference`, `ecr_login`, `build_push`), gathered in `checks` for `rule.yaml`.
"""
