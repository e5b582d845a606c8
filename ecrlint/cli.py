"""Command line: arguments, exit codes and output files. No analysis logic lives here.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, configuration or internal
error. Imports are deferred so `ecrlint --version` starts instantly.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
ACCOUNT_ID = re.compile(r"[0-9]{12}")
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
    check.add_argument(
        "--select", action="append", default=[], help="only these rule ids, prefixes or names (ALL: every rule)"
    )
    check.add_argument(
        "--extend-select", action="append", default=[], help="add these rules to the default set (or to --select)"
    )
    check.add_argument("--ignore", action="append", default=[], help="skip these rule ids, prefixes or names")
    check.add_argument("--rules", action="append", default=[], metavar="DIR", help="add a folder of custom rules")
    check.add_argument(
        "--module-models",
        action="append",
        default=[],
        metavar="DIR",
        help="add a folder of Terraform module models (for modules not on disk before terraform init)",
    )
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
    check.add_argument(
        "--parameters", metavar="FILE", help="CloudFormation parameter values (the AWS CLI's JSON parameters file)"
    )
    check.add_argument("--internal-marker", action="append", default=[], help="word that marks internal images")
    check.add_argument("--protected-tag", action="append", default=[], help="tag glob lifecycle must keep")
    check.add_argument("--lifecycle-budget", type=int, help="examples per lifecycle property search")
    check.add_argument(
        "--lifecycle-histories",
        choices=("realistic", "any"),
        help="repository histories ECR402/ECR404 may use as counterexamples (default: realistic)",
    )
    check.add_argument("--show-unknown", action="store_true", help="list where rules could not decide, and why")
    check.add_argument(
        "--show-suppressed", action="store_true", help="include suppressed findings in text, SARIF and JUnit output"
    )
    check.add_argument(
        "--jobs", "-j", type=int, help="processes for modelling and lifecycle analyses (default: the CPU count)"
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="do not read or write the cache (pieces of the model, lifecycle answers)",
    )
    check.add_argument("--cache-dir", help="cache folder (default: $ECRLINT_CACHE_DIR or the user cache folder)")
    # Habits from other linters: how much is printed, how, and what the exit code means.
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only: no summary, no notes")
    check.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour text output (auto: a terminal)"
    )
    check.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead")
    check.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--rules", action="append", default=[], metavar="DIR", help="include a folder of custom rules")
    docs = sub.add_parser("docs", help="write one Markdown page per rule")
    docs.add_argument("directory", help="output folder, e.g. docs/rules")
    explain = sub.add_parser("explain", help="explain one rule")
    explain.add_argument("rule", help="rule id or name")
    explain.add_argument("--rules", action="append", default=[], metavar="DIR", help="include a folder of custom rules")
    explain.add_argument("--full", action="store_true", help="also show the flagged and accepted examples")
    test_rules = sub.add_parser("test-rules", help="run a custom rules folder's bad_/good_ fixtures")
    test_rules.add_argument("directory", help="folder of custom rules, as given to --rules")
    test_rules.add_argument("--update-snapshots", action="store_true", help="write each rule's findings.snap.json")

    lifecycle = sub.add_parser("lifecycle", help="lifecycle policy tools")
    lifecycle.add_argument("action", choices=("simulate",), help="see `ecrlint lifecycle simulate --help`")
    lifecycle.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)  # parsed by the action
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
    from .config import ConfigError, load_config
    from .options import DEFAULT_INTERNAL_MARKERS, Options
    from .pipeline import Settings

    try:
        config = load_config(args.config, args.paths[0] if args.paths else ".")
    except ConfigError as err:
        raise UsageError(str(err)) from None
    if args.account_id is not None and not ACCOUNT_ID.fullmatch(args.account_id):
        raise UsageError(f"--account-id must be 12 digits, not {args.account_id!r}")
    options = Options(
        account_id=args.account_id or config.get("account-id"),
        internal_markers=tuple(args.internal_marker or config.get("internal-markers", DEFAULT_INTERNAL_MARKERS)),
        protected_tags=tuple(args.protected_tag or config.get("protected-tags", ["latest"])),
        replication_account_threshold=config.get("replication-threshold", 3),
        lifecycle_histories=args.lifecycle_histories or config.get("lifecycle-histories", "realistic"),
    )
    module_models = [os.path.abspath(d) for d in args.module_models] or config.paths("module-models")
    for folder in module_models:
        if not os.path.isdir(folder):
            raise UsageError(f"no such module model folder: {folder}")
    if module_models:
        options.extra["module_models"] = tuple(module_models)
    parameters_file = os.path.abspath(args.parameters) if args.parameters else None
    if parameters_file is None and config.get("parameters"):
        parameters_file = os.path.normpath(os.path.join(config.directory, config.get("parameters")))
    if parameters_file:
        from .model.adapters.cfn_parameters import ParametersError, read_parameters_file

        try:
            options.cfn_parameters = tuple(sorted(read_parameters_file(parameters_file).items()))
        except ParametersError as err:
            raise UsageError(str(err)) from None
    budget = args.lifecycle_budget if args.lifecycle_budget is not None else config.get("lifecycle-budget")
    if budget is not None:
        if budget < 1:
            raise UsageError("--lifecycle-budget must be at least 1")
        options.lifecycle_budget = budget
    var_files = [os.path.abspath(v) for v in args.var_file] or config.paths("var-files")
    for var_file in var_files:
        if not os.path.isfile(var_file):
            where = "" if args.var_file else f"{config.path}: var-files: "
            raise UsageError(f"{where}no such variable file: {var_file}")
    # The file's `baseline` is one path, relative to the file's folder (not a list like rules-dirs).
    configured = config.get("baseline")
    baseline = args.baseline or (os.path.normpath(os.path.join(config.directory, configured)) if configured else None)
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
        scenarios={
            os.path.normpath(os.path.join(config.directory, root)): named
            for root, named in config.get("scenarios", {}).items()
        },
        select=_split(args.select) or config.get("select", []),
        extend_select=[*config.get("extend-select", []), *_split(args.extend_select)],
        ignore=_split(args.ignore) or config.get("ignore", []),
        rules_dirs=tuple(args.rules) or tuple(config.paths("rules-dirs")),
        python_rules=_python_rules_allowed(args.rules, config),
        severity=config.get("severity", {}),
        per_path_ignores=config.get("per-path-ignores", {}),
        config_path=config.path,
        baseline=None if args.write_baseline else baseline,
        cache_dir=None if args.no_cache else (args.cache_dir or default_directory()),
        jobs=jobs,
        not_inputs=tuple(
            p for p in (config.path, baseline, args.write_baseline, *(args.output or [])) if p and p != "-"
        ),
    )
    return settings, args.fail_on or config.get("fail-on", "low")


def _python_rules_allowed(command_line_dirs: list[str], config) -> bool:
    """Python checks run from rule folders the user named (`--rules`); from folders a configuration
    names only when that configuration says `allow-python-rules: true` and the environment agrees
    (ECRLINT_ALLOW_PYTHON_RULES=1): a scanned repository's own file cannot grant itself consent."""
    from .catalog import PYTHON_RULES_VARIABLE

    if command_line_dirs:
        return True
    return config.get("allow-python-rules") is True and os.environ.get(PYTHON_RULES_VARIABLE) == "1"


def run_check(args) -> int:
    from dataclasses import replace

    from .catalog import CatalogError
    from .findings import SEVERITY_RANK
    from .pipeline import RunError, run, severity_overrides
    from .render import RenderContext, render_chunks
    from .suppress import write_baseline

    formats = args.format or ["text"]
    outputs = args.output or []
    if len(outputs) > len(formats):
        raise UsageError("each --output needs its own --format")
    for target in outputs + ([args.write_baseline] if args.write_baseline else []):
        check_output_path(target)  # before the analysis: a typo must not cost a whole run
    named = [os.path.abspath(t) for t in outputs if t != "-"]
    if len(set(named)) < len(named):
        raise UsageError("the same file is given to --output twice")
    settings, fail_on = _settings(args)
    catalog = _catalog(args, settings)
    try:
        result = run(settings, catalog)
    except (CatalogError, RunError) as err:  # CatalogError: a custom check file that fails to load
        raise UsageError(str(err)) from None
    if args.write_baseline:
        write_baseline(args.write_baseline, result.findings)
        if not args.quiet:
            sys.stderr.write(f"ecrlint: wrote {args.write_baseline}\n")
        return EXIT_CLEAN
    from .pipeline import project_root

    ctx = RenderContext(
        version=__version__,
        rules=result.catalog,
        files_scanned=result.files_scanned,
        files_skipped=result.files_skipped,
        show_suppressed=args.show_suppressed,
        read_lines=_read_lines,
        undecided=result.undecided,
        show_unknown=args.show_unknown,
        selected=tuple(r.id for r in result.rules),
        severities=severity_overrides(result.catalog, settings.severity),
        fail_on=fail_on,
        project_root=project_root(settings, os.getcwd()),
        cwd=os.getcwd(),
        quiet=args.quiet,
    )
    for index, fmt in enumerate(formats):
        target = outputs[index] if index < len(outputs) else "-"
        if target != "-":
            write_output(target, render_chunks(fmt, result.findings, ctx))
        elif args.statistics:
            continue  # the counts below take the place of the report on stdout
        else:
            colored = replace(ctx, color=fmt == "text" and _use_color(args.color))
            write_stdout(render_chunks(fmt, result.findings, colored))
    if args.statistics:
        from .render.statistics import render as statistics

        write_stdout([statistics(result.findings, ctx)])
    threshold = SEVERITY_RANK[fail_on]
    failing = [f for f in result.findings if not f.suppressions and SEVERITY_RANK[f.severity] >= threshold]
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def _catalog(args, settings):
    """The rule catalogue. A rule folder or rule name from the configuration file that does not
    exist is an error naming that file."""
    from .catalog import CatalogError, load_catalog
    from .pipeline import RunError, choose_rules

    config = settings.config_path
    try:
        catalog = load_catalog(settings.rules_dirs, python_rules=settings.python_rules)
    except CatalogError as err:
        raise UsageError(f"{config}: rules-dirs: {err}" if config and not args.rules else str(err)) from None
    if config:
        for key, from_config in (("select", not _split(args.select)), ("ignore", not _split(args.ignore))):
            if from_config:
                try:
                    choose_rules(catalog, getattr(settings, key), [])
                except RunError as err:
                    raise UsageError(f"{config}: {key}: {err}") from None
        known = {r.id for r in catalog} | {r.name for r in catalog}
        for key in settings.severity:
            if key.upper() not in known and key not in known:
                raise UsageError(f"{config}: severity: unknown rule {key!r}")
    return catalog


def _use_color(choice: str) -> bool:
    """--color always/never decide; auto means a terminal, unless NO_COLOR is set (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


# -- output files ----------------------------------------------------------------------------------


def check_output_path(target: str) -> None:
    """A path that cannot be written is a user mistake, found before the analysis runs."""
    if target == "-":
        return  # stdout
    if os.path.isdir(target):
        raise UsageError(f"cannot write {target}: it is a directory")
    folder = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write {target}: no such folder {folder}")
    if os.path.exists(target):
        if not _is_regular(target):
            return  # a device or pipe such as /dev/stdout: written in place
        if not os.access(target, os.W_OK):
            raise UsageError(f"cannot write {target}: the file is read-only")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {target}: the folder {folder} is read-only")


def _is_regular(path: str) -> bool:
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def write_output(target: str, chunks) -> None:
    """Write to a temporary file in the same folder, then rename: a reader never sees half a report,
    and a failed run leaves the previous one in place."""
    import tempfile

    path = os.path.realpath(target)  # through a symlink, as an ordinary write would
    try:
        if os.path.exists(path) and not _is_regular(path):
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(chunks)
            return
        mode = _file_mode(path)
        fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=f".{os.path.basename(path)}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(chunks)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as err:
        raise UsageError(f"cannot write {target}: {err.strerror or err}") from None


def _file_mode(path: str) -> int:
    """The mode a plain `open(path, "w")` would leave: the existing file's, else 0666 less the umask."""
    import stat

    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_stdout(chunks) -> None:
    """Write to stdout; a reader that stops early (`| head`) ends the output quietly."""
    try:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()


def _discard_stdout() -> None:
    # What is still buffered would fail again when Python flushes stdout at exit: send it nowhere.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass


def _catalog_with(rules_dirs: list[str]):
    """The shipped rules and the custom ones named on the command line."""
    from .catalog import CatalogError, load_catalog

    try:
        return load_catalog(tuple(rules_dirs), python_rules=True)
    except CatalogError as err:
        raise UsageError(str(err)) from None


def run_rules(rules_dirs: list[str]) -> int:
    catalog = _catalog_with(rules_dirs)
    width = max(len(r.name) for r in catalog)
    lines = []
    for rule in catalog:
        selection = "default" if rule.default else "opt-in"
        lines.append(f"{rule.id}  {rule.name:<{width}}  {rule.severity:<8}  {selection:<7}  {rule.title}\n")
    lines.append("\nopt-in rules run with --extend-select ID (or --select ALL)\n")
    write_stdout(lines)
    return EXIT_CLEAN


def run_explain(selector: str, rules_dirs: list[str], full: bool = False) -> int:
    """What a rule flags, why and how to fix it; `full` adds its flagged and accepted examples."""
    catalog = _catalog_with(rules_dirs)
    rule = next((r for r in catalog if r.id == selector.upper() or r.name == selector), None)
    if rule is None:
        raise UsageError(f"unknown rule: {selector}")
    out = [f"{rule.id} {rule.name} [{rule.severity}]", rule.title, ""]
    if rule.default_reason:
        selection = "On by default" if rule.default else "Opt-in (--extend-select " + rule.id + ")"
        out += [f"{selection}: {rule.default_reason}", ""]
    out += ["Why", rule.rationale, "", "How to fix"]
    out.append(rule.remediation_text())
    out += ["", f"More: {rule.help_uri}"]
    for fixture in rule.fixtures() if full else ():
        name = os.path.basename(fixture)
        if os.path.isfile(fixture) and os.path.getsize(fixture) < 4000:
            label = "Flagged" if name.startswith("bad_") else "Accepted"
            with open(fixture, encoding="utf-8") as handle:
                out += ["", f"{label} ({name}):", handle.read().rstrip()]
    if not full and rule.fixtures():
        out += ["", f"Examples: ecrlint explain {rule.id} --full"]
    write_stdout(["\n".join(out) + "\n"])
    return EXIT_CLEAN


def run_test_rules(directory: str, update_snapshots: bool) -> int:
    from .catalog import CatalogError
    from .ruletest import run_rule_tests

    if not os.path.isdir(directory):
        raise UsageError(f"{directory}: rules directory not found")
    try:
        outcomes = run_rule_tests(directory, update_snapshots)
    except CatalogError as err:
        raise UsageError(str(err)) from None
    if not outcomes:
        raise UsageError(f"{directory}: no rule.yaml found")
    for outcome in outcomes:
        sys.stdout.write(outcome.line() + "\n")
    failed = sum(1 for o in outcomes if o.problem is not None)
    sys.stdout.write(f"{len(outcomes) - failed} passed, {failed} failed\n")
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        args = _parser().parse_args(argv)
        if args.command == "check":
            return run_check(args)
        if args.command == "rules":
            return run_rules(args.rules)
        if args.command == "explain":
            return run_explain(args.rule, args.rules, args.full)
        if args.command == "test-rules":
            return run_test_rules(args.directory, args.update_snapshots)
        if args.command == "docs":
            from .catalog import load_catalog
            from .docs import write_pages

            if os.path.exists(args.directory) and not os.path.isdir(args.directory):
                raise UsageError(f"cannot write pages into {args.directory}: it is a file, not a folder")
            try:
                write_pages(load_catalog(), args.directory)
            except OSError as err:
                raise UsageError(f"cannot write pages into {args.directory}: {err.strerror or err}") from None
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
    except BrokenPipeError:  # the reader went away (`| head`): nothing to say, and nobody to say it to
        _discard_stdout()
        return EXIT_ERROR
    except Exception as err:  # a bug in ecrlint: say so briefly, unless --debug asks for the trace
        if debug:
            raise
        sys.stderr.write(f"ecrlint: internal error: {type(err).__name__}: {err} (rerun with --debug for details)\n")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
