"""Registry replication, for the rules ECR501-ECR503 (their checks are in their folders, `rules/replication/`).

- `destinations`: the rules and destinations of a replication configuration, and its source account;
- `registries`: which registry (account, Region) a registry policy governs, and what it permits a
  replicating source account.
"""
