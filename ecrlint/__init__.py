"""ecrlint: a policy-as-code static analyzer for Amazon ECR configuration."""

__version__ = "0.1.0"
