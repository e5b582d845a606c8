"""Command line: arguments, exit codes and output files. No analysis logic lives here.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, configuration or internal
error. Imports are deferred so `ecrlint --version` starts instantly.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


class UsageError(Exception):
    """A bad command line or configuration: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, like every other usage error
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ecrlint", description="Static analysis for Amazon ECR configuration.")
    parser.add_argument("--version", action="version", version=f"ecrlint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="analyse files and directories")
    check.add_argument("paths", nargs="*", default=["."], help="files or directories (default: .)")
    check.add_argument("-f", "--format", action="append", choices=FORMATS, help="output format (repeatable)")
    check.add_argument("-o", "--output", action="append", help="write the matching --format to FILE")
    check.add_argument("--fail-on", choices=("critical", "high", "medium", "low", "info"), default="low")
    check.add_argument("--select", action="append", default=[], help="only these rule ids, prefixes or names")
    check.add_argument("--ignore", action="append", default=[], help="skip these rule ids, prefixes or names")
    check.add_argument("--rules", action="append", default=[], metavar="DIR", help="add a folder of custom rules")
    check.add_argument("--exclude", action="append", default=[], help="gitignore-style pattern to skip")
    check.add_argument("--var-file", action="append", default=[], help="Terraform variable file")
    check.add_argument("--account-id", help="the AWS account the configuration deploys to")
    check.add_argument("--internal-marker", action="append", default=[], help="word that marks internal images")
    check.add_argument("--protected-tag", action="append", default=[], help="tag glob lifecycle must keep")
    check.add_argument("--lifecycle-budget", type=int, help="examples per lifecycle property search")
    check.add_argument("--show-unknown", action="store_true", help="list where rules could not decide, and why")
    check.add_argument("--show-suppressed", action="store_true", help="show suppressed findings in text output")
    check.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

    sub.add_parser("rules", help="list the rules")
    explain = sub.add_parser("explain", help="explain one rule")
    explain.add_argument("rule", help="rule id or name")

    lifecycle = sub.add_parser("lifecycle", help="lifecycle policy tools")
    lifecycle.add_argument("action", choices=("simulate",))
    lifecycle.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _matches(rule, selectors: list[str]) -> bool:
    return any(rule.id.startswith(s.upper()) or rule.name == s for s in selectors)


def _choose_rules(catalog, select: list[str], ignore: list[str]):
    known = {r.id for r in catalog} | {r.name for r in catalog}
    for selector in select + ignore:
        if not any(r.id.startswith(selector.upper()) for r in catalog) and selector not in known:
            raise UsageError(f"unknown rule or prefix: {selector}")
    chosen = [r for r in catalog if not select or _matches(r, select)]
    return [r for r in chosen if not _matches(r, ignore)]


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _read_lines(path: str) -> list[str] | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def run_check(args) -> int:
    from .catalog import CatalogError, load_catalog
    from .checks import DEFAULT_INTERNAL_MARKERS, Options
    from .discover import discover_files, display_path
    from .engine import build_model, evaluate
    from .findings import SEVERITY_RANK
    from .render import RenderContext, render

    formats = args.format or ["text"]
    outputs = args.output or []
    if len(outputs) > len(formats):
        raise UsageError("each --output needs its own --format")
    try:
        catalog = load_catalog(tuple(args.rules))
    except CatalogError as err:
        raise UsageError(str(err)) from None
    rules = _choose_rules(catalog, _split(args.select), _split(args.ignore))
    options = Options(
        account_id=args.account_id,
        internal_markers=tuple(args.internal_marker) or DEFAULT_INTERNAL_MARKERS,
        protected_tags=tuple(args.protected_tag) or ("latest",),
    )
    if args.lifecycle_budget is not None:
        if args.lifecycle_budget < 1:
            raise UsageError("--lifecycle-budget must be at least 1")
        options.lifecycle_budget = args.lifecycle_budget
    discovery = discover_files(args.paths, tuple(args.exclude))
    if discovery.missing:
        raise UsageError(f"no such file or directory: {discovery.missing[0]}")
    for var_file in args.var_file:
        if not os.path.isfile(var_file):
            raise UsageError(f"no such variable file: {var_file}")
    model, _ = build_model(discovery, options, [os.path.abspath(v) for v in args.var_file], display_path)
    findings, undecided = evaluate(rules, model, options)
    ctx = RenderContext(
        version=__version__,
        rules=catalog,
        files_scanned=len(discovery.files),
        show_suppressed=args.show_suppressed,
        read_lines=_read_lines,
        undecided=undecided,
        show_unknown=args.show_unknown,
    )
    for index, fmt in enumerate(formats):
        text = render(fmt, findings, ctx)
        target = outputs[index] if index < len(outputs) else None
        if target:
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
    threshold = SEVERITY_RANK[args.fail_on]
    failing = [f for f in findings if not f.suppressions and SEVERITY_RANK[f.severity] >= threshold]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def run_rules() -> int:
    from .catalog import load_catalog

    catalog = load_catalog()
    width = max(len(r.name) for r in catalog)
    for rule in catalog:
        sys.stdout.write(f"{rule.id}  {rule.name:<{width}}  {rule.severity:<8}  {rule.title}\n")
    return EXIT_CLEAN


def run_explain(selector: str) -> int:
    from .catalog import load_catalog

    catalog = load_catalog()
    rule = next((r for r in catalog if r.id == selector.upper() or r.name == selector), None)
    if rule is None:
        raise UsageError(f"unknown rule: {selector}")
    out = [f"{rule.id} {rule.name} [{rule.severity}]", rule.title, "", "Why", rule.rationale, "", "How to fix"]
    out.append(rule.remediation_text())
    out += ["", f"More: {rule.help_uri}"]
    for fixture in rule.fixtures():
        name = os.path.basename(fixture)
        if os.path.isfile(fixture) and os.path.getsize(fixture) < 4000:
            label = "Flagged" if name.startswith("bad_") else "Accepted"
            with open(fixture, encoding="utf-8") as handle:
                out += ["", f"{label} ({name}):", handle.read().rstrip()]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        args = _parser().parse_args(argv)
        if args.command == "check":
            return run_check(args)
        if args.command == "rules":
            return run_rules()
        if args.command == "explain":
            return run_explain(args.rule)
        if args.command == "lifecycle":
            from .lifecycle.simulate import run as simulate

            return simulate(args.rest)
        _parser().print_help()
        return EXIT_ERROR
    except UsageError as err:
        sys.stderr.write(f"ecrlint: error: {err}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as err:  # a bug in ecrlint: say so briefly, unless --debug asks for the trace
        if debug:
            raise
        sys.stderr.write(f"ecrlint: internal error: {type(err).__name__}: {err} (rerun with --debug for details)\n")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
