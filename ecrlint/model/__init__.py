"""The ECR estate as one model, whatever the input format.

Adapters (one per input format) create these objects; `ecrlint.relations` links them; rules read
them. Every field is a located `Value` (or None when absent and without an AWS default), so
rules never branch on the format a value came from.
"""

from .objects import *  # noqa: F401,F403
from .objects import MODEL_TYPES, Model, ModelObject  # noqa: F401
from .policy import PolicyDocument, Statement, parse_policy_document  # noqa: F401
