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
    check.add_argument("--fail-on", choices=("critical", "high", "medium", "low", "info"))
    check.add_argument("--config", help="configuration file (default: nearest .ecrlint.yaml or pyproject.toml)")
    check.add_argument("--baseline", help="suppress findings recorded in this baseline file")
    check.add_argument("--write-baseline", metavar="FILE", help="record the current findings as a baseline")
    check.add_argument("--select", action="append", default=[], help="only these rule ids, prefixes or names")
    check.add_argument("--ignore", action="append", default=[], help="skip these rule ids, prefixes or names")
    check.add_argument("--rules", action="append", default=[], metavar="DIR", help="add a folder of custom rules")
    check.add_argument(
        "--exclude", action="append", default=[], help="gitignore-style pattern to skip, relative to the current folder"
    )
    check.add_argument(
        "--force-exclude", action="store_true", default=None, help="apply excludes to files named explicitly too"
    )
    check.add_argument(
        "--include-test-snapshots",
        action="store_true",
        default=None,
        help="read CDK integ-runner snapshot folders (*.snapshot/), skipped by default",
    )
    check.add_argument("--var-file", action="append", default=[], help="Terraform variable file")
    check.add_argument("--account-id", help="the AWS account the configuration deploys to")
    check.add_argument("--internal-marker", action="append", default=[], help="word that marks internal images")
    check.add_argument("--protected-tag", action="append", default=[], help="tag glob lifecycle must keep")
    check.add_argument("--lifecycle-budget", type=int, help="examples per lifecycle property search")
    check.add_argument("--show-unknown", action="store_true", help="list where rules could not decide, and why")
    check.add_argument(
        "--show-suppressed", action="store_true", help="include suppressed findings in text, SARIF and JUnit output"
    )
    check.add_argument(
        "--jobs", "-j", type=int, help="processes for modelling and lifecycle analyses (default: the CPU count)"
    )
    check.add_argument(
        "--no-cache", action="store_true", help="do not read or write the cache (whole runs, lifecycle searches)"
    )
    check.add_argument("--cache-dir", help="cache folder (default: $ECRLINT_CACHE_DIR or the user cache folder)")
    check.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

    sub.add_parser("rules", help="list the rules")
    docs = sub.add_parser("docs", help="write one Markdown page per rule")
    docs.add_argument("directory", help="output folder, e.g. docs/rules")
    explain = sub.add_parser("explain", help="explain one rule")
    explain.add_argument("rule", help="rule id or name")

    lifecycle = sub.add_parser("lifecycle", help="lifecycle policy tools")
    lifecycle.add_argument("action", choices=("simulate",))
    lifecycle.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _split(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _read_lines(path: str) -> list[str] | None:
    """Source lines for code frames; never through a symlink, which may lead out of the scanned tree,
    and only from a regular file within the size limit."""
    from .source import read_text_limited

    if os.path.islink(path):
        return None
    try:
        return read_text_limited(path).splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def _flag(given: bool | None, configured: bool | None) -> bool:
    return bool(given if given is not None else configured)


def _settings(args):
    """Settings from the configuration file, overridden by the command line."""
    from .checks import DEFAULT_INTERNAL_MARKERS, Options
    from .config import ConfigError, load_config
    from .runner import Settings

    try:
        config = load_config(args.config, args.paths[0] if args.paths else ".")
    except ConfigError as err:
        raise UsageError(str(err)) from None
    options = Options(
        account_id=args.account_id or config.get("account-id"),
        internal_markers=tuple(args.internal_marker or config.get("internal-markers", DEFAULT_INTERNAL_MARKERS)),
        protected_tags=tuple(args.protected_tag or config.get("protected-tags", ["latest"])),
        replication_account_threshold=config.get("replication-threshold", 3),
    )
    budget = args.lifecycle_budget if args.lifecycle_budget is not None else config.get("lifecycle-budget")
    if budget is not None:
        if budget < 1:
            raise UsageError("--lifecycle-budget must be at least 1")
        options.lifecycle_budget = budget
    var_files = [os.path.abspath(v) for v in args.var_file] or config.paths("var-files")
    for var_file in var_files:
        if not os.path.isfile(var_file):
            raise UsageError(f"no such variable file: {var_file}")
    baseline = args.baseline or (config.paths("baseline")[0] if config.get("baseline") else None)
    from .cache import default_directory

    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    settings = Settings(
        paths=args.paths,
        options=options,
        exclude=tuple(args.exclude or config.get("exclude", [])),
        exclude_base=os.getcwd() if args.exclude else config.directory,
        force_exclude=_flag(args.force_exclude, config.get("force-exclude")),
        include_test_snapshots=_flag(args.include_test_snapshots, config.get("include-test-snapshots")),
        var_files=var_files,
        select=_split(args.select) or config.get("select", []),
        ignore=_split(args.ignore) or config.get("ignore", []),
        rules_dirs=tuple(args.rules) or tuple(config.paths("rules-dirs")),
        severity=config.get("severity", {}),
        per_path_ignores=config.get("per-path-ignores", {}),
        config_path=config.path,
        baseline=None if args.write_baseline else baseline,
        cache_dir=None if args.no_cache else (args.cache_dir or default_directory()),
        jobs=jobs,
    )
    return settings, args.fail_on or config.get("fail-on", "low")


def run_check(args) -> int:
    from .catalog import CatalogError
    from .findings import SEVERITY_RANK
    from .render import RenderContext, render_chunks
    from .runner import RunError, run
    from .suppress import write_baseline

    formats = args.format or ["text"]
    outputs = args.output or []
    if len(outputs) > len(formats):
        raise UsageError("each --output needs its own --format")
    settings, fail_on = _settings(args)
    try:
        result = run(settings)
    except (CatalogError, RunError) as err:
        raise UsageError(str(err)) from None
    if args.write_baseline:
        write_baseline(args.write_baseline, result.findings)
        sys.stderr.write(f"ecrlint: wrote {args.write_baseline}\n")
        return EXIT_CLEAN
    ctx = RenderContext(
        version=__version__,
        rules=result.catalog,
        files_scanned=result.files_scanned,
        files_skipped=result.files_skipped,
        show_suppressed=args.show_suppressed,
        read_lines=_read_lines,
        undecided=result.undecided,
        show_unknown=args.show_unknown,
    )
    for index, fmt in enumerate(formats):
        chunks = render_chunks(fmt, result.findings, ctx)
        target = outputs[index] if index < len(outputs) else None
        if target:
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(chunks)
        else:
            sys.stdout.writelines(chunks)
    threshold = SEVERITY_RANK[fail_on]
    failing = [f for f in result.findings if not f.suppressions and SEVERITY_RANK[f.severity] >= threshold]
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
        if args.command == "docs":
            from .catalog import load_catalog
            from .docs import write_pages

            write_pages(load_catalog(), args.directory)
            return EXIT_CLEAN
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
