"""Human-readable output: one header per finding, a short code frame, a summary line.

infra/ecr.tf:3:26: ECR101 [high] aws_ecr_repository.app allows image tags to be overwritten (MUTABLE)
   2 | resource "aws_ecr_repository" "app" {
   3 |   image_tag_mutability = "MUTABLE"
     |                          ^^^^^^^^^
   4 | }

1 finding (1 high) in 1 file
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import MODULE_NOT_ANALYSED, SEVERITIES, Finding
from . import RenderContext, ordered, ordered_undecided, severity_counts, split_suppressed, suppression_reason

MAX_WIDTH = 160  # longer source lines are cut to a window around the span
LEAD = 40  # columns kept before the span when a line is cut
ELLIPSIS = "..."
# Control characters (other than tab) from messages or source would reach the terminal raw, and a
# newline in a value could start a line that CI reads as a command (`::error ...` on GitHub);
# each becomes one replacement character so columns stay aligned.
_CONTROLS = {code: "\ufffd" for code in (*range(0x09), *range(0x0A, 0x20), 0x7F, *range(0x80, 0xA0))}
# ANSI colours, only when the context asks for them (a terminal, not NO_COLOR).
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY_COLORS = {"critical": "\x1b[1;31m", "high": "\x1b[31m", "medium": "\x1b[33m", "low": "\x1b[36m"}


def _printable(text: str) -> str:
    return text.translate(_CONTROLS)


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and code else text


def render(findings: list[Finding], ctx: RenderContext) -> str:
    kept, suppressed = split_suppressed(findings)
    shown = ordered(kept + suppressed) if ctx.show_suppressed else kept
    lines_of = _LineCache(ctx.read_lines)
    out: list[str] = []
    for finding in shown:
        out.extend(_finding_block(finding, lines_of, ctx.color))
        out.append("")
    undecided = ordered_undecided(ctx.undecided) if ctx.show_unknown else []
    if undecided:
        out.append(f"Undecided ({len(undecided)}): these rules could not decide on an unknown value")
        for rule_id, und in undecided:
            out.append(_printable(f"{und.span}: {rule_id} undecided: {und.reason}"))
        out.append("")
    stale = sorted(ctx.baseline_stale)
    if stale:
        out.append(f"Stale baseline entries ({len(stale)}): they match no finding any more")
        out.extend(_printable(f"  {entry}") for entry in stale)
        out.append("")
    if ctx.quiet:  # findings only: no summary, and nothing at all for a clean run
        while out and out[-1] == "":
            out.pop()
        return "".join(line + "\n" for line in out)
    out.append(_paint(_summary(kept, suppressed, ctx, len(ctx.undecided), len(stale)), _BOLD, ctx.color))
    return "\n".join(out) + "\n"


def _header(finding: Finding, color: bool = False) -> str:
    location = _paint(_printable(str(finding.span)), _BOLD, color)
    severity = _paint(f"[{finding.severity}]", _SEVERITY_COLORS.get(finding.severity, ""), color)
    header = f"{location}: {finding.rule_id} {severity} {_printable(finding.message)}"
    if finding.callers:
        header += _printable(f" [called from {', '.join(finding.callers)}]")
    if finding.suppressions:
        header += _printable(f" [suppressed: {suppression_reason(finding)}]")
    return header


def _finding_block(finding: Finding, lines_of: _LineCache, color: bool = False) -> list[str]:
    block = [_header(finding, color)]
    if finding.construct_path:
        block.append(_printable(f"  construct: {finding.construct_path}"))
    block.extend(_code_frame(finding, lines_of(finding.span.path)))
    return block


def _code_frame(finding: Finding, lines: list[str] | None) -> list[str]:
    span = finding.span
    if not lines or not 1 <= span.start_line <= len(lines):
        return []
    first = max(1, span.start_line - 1)
    last = min(len(lines), span.start_line + 1)
    width = len(str(last))
    line = lines[span.start_line - 1]
    start = min(max(span.start_col, 1), len(line) + 1) - 1  # 0-based, may point just past the end
    if span.end_line == span.start_line:
        end = min(max(span.end_col - 1, start + 1), len(line))
    else:
        end = len(line)
    end = max(end, start + 1)  # always at least one caret
    offset = 0 if len(line) <= MAX_WIDTH else max(0, start - LEAD)
    frame = []
    for number in range(first, last + 1):
        text = _window(lines[number - 1], offset)
        frame.append(f"  {number:>{width}} |{' ' + text if text else ''}")
        if number == span.start_line:
            prefix = ELLIPSIS if offset else ""
            pad = "".join("\t" if ch == "\t" else " " for ch in prefix + line[offset:start])
            visible_end = min(end, offset + MAX_WIDTH)
            carets = "^" * max(1, visible_end - start)
            frame.append(f"  {'':>{width}} | {pad}{carets}")
    return frame


def _window(line: str, offset: int) -> str:
    text = line[offset : offset + MAX_WIDTH]
    if offset:
        text = ELLIPSIS + text
    if len(line) > offset + MAX_WIDTH:
        text += ELLIPSIS
    return text.rstrip()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


_SKIPPED = {  # why files were left out quietly (discover.QUIET_REASONS)
    "not-input": "{} skipped: not ECR inputs",
    "template-input": "{} skipped as read by Terraform file() or templatefile()",
    "test-snapshot": "{} skipped as test snapshots",
}


def _summary(kept: list[Finding], suppressed: list[Finding], ctx: RenderContext, undecided: int, stale: int) -> str:
    files = _plural(ctx.files_scanned, "file")
    extras = [_SKIPPED[reason].format(_plural(n, "file")) for reason, n in sorted(ctx.files_skipped.items()) if n]
    if suppressed:
        extras.append(f"{len(suppressed)} suppressed")
    modules = sum(1 for _, und in ctx.undecided if und.pointer == MODULE_NOT_ANALYSED)
    undecided -= modules
    if undecided:  # counted in every run: a rule that could not decide is never silent
        extras.append(f"{undecided} undecided" + ("" if ctx.show_unknown else " (--show-unknown lists them)"))
    if modules:
        # Said in every run: code that was never read is a blind spot, not a clean result.
        extras.append(f"{_plural(modules, 'module')} not analysed (sources not available)")
    if stale:
        extras.append(f"{stale} stale baseline {'entry' if stale == 1 else 'entries'}")
    tail = "".join(f"; {extra}" for extra in extras)
    if not kept:
        return f"No findings in {files}{tail}."
    counts = severity_counts(kept)
    parts = [f"{counts[sev]} {sev}" for sev in SEVERITIES if counts[sev]]
    parts += [f"{n} {sev}" for sev, n in sorted(counts.items()) if sev not in SEVERITIES and n]
    return f"{_plural(len(kept), 'finding')} ({', '.join(parts)}) in {files}{tail}"


class _LineCache:
    """Reads each file once; lines lose their line endings. A file that cannot be read gets no frame."""

    def __init__(self, read_lines: Callable[[str], list[str] | None]):
        self._read = read_lines
        self._cache: dict[str, list[str] | None] = {}

    def __call__(self, path: str) -> list[str] | None:
        if path not in self._cache:
            try:
                lines = self._read(path)
            except (OSError, UnicodeError):
                lines = None
            self._cache[path] = None if lines is None else [_printable(line.rstrip("\r\n")) for line in lines]
        return self._cache[path]
