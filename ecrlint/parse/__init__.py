"""Parsers: text to located trees. Third-party parser shapes do not leave this package."""

from dataclasses import dataclass

MAX_DEPTH = 200  # nesting deeper than this is refused as ECR900, not recursed into


class ParseError(Exception):
    """A file that could not be parsed; line and column are 1-based where known."""

    def __init__(self, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True)
class ParseFailure:
    """A remembered ParseError, so a cached bad file fails the same way without being parsed."""

    message: str
    line: int
    col: int


def parse_cached(kind: str, path: str, text: str, parse):
    """`parse()` for this exact text, through the run's cache; ParseErrors are remembered too."""
    from ..cache import cached, content_key

    def outcome():
        try:
            return parse()
        except ParseError as err:
            return ParseFailure(err.message, err.line, err.col)

    result = cached("parse", content_key(kind, path, text), outcome)
    if isinstance(result, ParseFailure):
        raise ParseError(result.message, result.line, result.col)
    return result
