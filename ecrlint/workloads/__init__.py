"""Workloads and pipelines that consume ECR images, for the rules ECR504 and ECR601-ECR606.

One module per job:

- `text`: scripts (buildspecs, user data, Dockerfiles) as numbered lines with exact spans;
- `commands`: what a line of such a script does (`aws ecr get-login`, `docker push`, an agent install);
- `consumers`: every image reference a workload names (ECS containers, Lambda, CodeBuild);
- `buildspecs`: the buildspec a CodeBuild project runs, and the images it pushes;
- `dockerfiles`: `FROM` lines of Dockerfiles;
- `permissions`: whether a role's identity policies allow a list of ECR actions.

The rules' checks are in their folders (`rules/workloads/`, and ECR504 in `rules/replication/`).
"""
