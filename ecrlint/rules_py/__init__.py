"""Python checks for rules that a query cannot express."""
