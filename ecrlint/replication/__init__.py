"""Registry replication: rules ECR501-ECR503.

- `destinations`: the rules and destinations of a replication configuration, and its source account;
- `registries`: which registry (account, Region) a registry policy governs, and what it permits a
  replicating source account;
- `checks`: the rule checks (`check: ecrlint.replication.checks:<function>` in rule.yaml).
"""
