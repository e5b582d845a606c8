"""Parsers: text to located trees. Third-party parser shapes do not leave this package."""

MAX_DEPTH = 200  # nesting deeper than this is refused as ECR900, not recursed into


class ParseError(Exception):
    """A file that could not be parsed; line and column are 1-based where known."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
