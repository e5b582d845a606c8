"""`ecrlint lifecycle simulate POLICY.json --images IMAGES.json [--now ISO] [--format text|json]`.

Shows what a lifecycle policy would do to a real repository today: which images each rule expires
or archives and which stay, and why. POLICY is the policy JSON or the output of
`aws ecr get-lifecycle-policy` (its `lifecyclePolicyText`). IMAGES is the output of
`aws ecr describe-images` (`{"imageDetails": [...]}`): `imageDigest`, `imageTags`, `imagePushedAt`
(ISO 8601 text or epoch seconds), `lastRecordedPullTime`, `imageStatus` (`ARCHIVED` means archive
storage), and where present `lastArchivedAt` and `lastActivatedAt`.

Exit status: 0 after printing the result, 2 with a one-line message on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from typing import Any

from ..parse.json import JsonError, parse_json_value
from .evaluate import Evaluation, Image, evaluate, format_age
from .policy import ARCHIVE, STANDARD, compile_policy
from .validate import evaluation_data, validate

PROG = "ecrlint lifecycle simulate"


class InputError(Exception):
    """Bad input: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise InputError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Show what a lifecycle policy would do to the images of a repository.")
    parser.add_argument(
        "policy", metavar="POLICY.json", help="lifecycle policy JSON, or `aws ecr get-lifecycle-policy` output"
    )
    parser.add_argument("--images", required=True, metavar="IMAGES.json", help="`aws ecr describe-images` output")
    parser.add_argument("--now", metavar="ISO", help="evaluate at this time instead of the current time")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _read_json(path: str, what: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as err:
        raise InputError(f"cannot read {what} {path}: {err.strerror or err}") from None
    try:
        return parse_json_value(text, path)
    except JsonError as err:
        raise InputError(f"{path}:{err.line}:{err.col}: not valid JSON: {err.message}") from None


def load_policy(path: str) -> dict[str, Any]:
    document = _read_json(path, "policy")
    text = document.get("lifecyclePolicyText") if document.is_map else None
    if text is not None:  # `aws ecr get-lifecycle-policy` output
        if not (text.is_known and isinstance(text.data, str)):
            raise InputError(f"{path}: lifecyclePolicyText is not a string")
        try:
            document = parse_json_value(text.data, path, origin=text.span)
        except JsonError as err:
            raise InputError(f"{path}: lifecyclePolicyText is not valid JSON: {err.message}") from None
    problems = validate(document)
    if problems:
        first = problems[0]
        where = f" at {first.pointer}" if first.pointer else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{path}: invalid lifecycle policy{where}: {first.message}{more}")
    data, reason = evaluation_data(document)
    if data is None:
        raise InputError(f"{path}: {reason}")
    return data


def parse_time(value: Any, where: str) -> datetime:
    """ISO 8601 text or epoch seconds (what the AWS CLI prints); a time without a zone is UTC."""
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value, tz=timezone.utc)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.strip())
            return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError, OSError):
        pass
    raise InputError(f"{where}: not a time: {json.dumps(value)}")


def _optional_time(item: dict[str, Any], key: str, where: str) -> datetime | None:
    value = item.get(key)
    return None if value is None else parse_time(value, f"{where}.{key}")


def load_images(path: str) -> list[Image]:
    data = _read_json(path, "images").plain()
    details = data.get("imageDetails") if isinstance(data, dict) else data
    if not isinstance(details, list):
        raise InputError(f'{path}: expected the output of `aws ecr describe-images` (an "imageDetails" list)')
    images: list[Image] = []
    seen: set[str] = set()
    for n, item in enumerate(details):
        where = f"{path}: imageDetails[{n}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: not an object")
        digest = item.get("imageDigest")
        if not isinstance(digest, str) or not digest:
            raise InputError(f"{where}: imageDigest is missing")
        if digest in seen:
            raise InputError(f"{where}: image {digest} is listed twice")
        seen.add(digest)
        tags = item.get("imageTags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise InputError(f"{where}.imageTags: not a list of strings")
        if item.get("imagePushedAt") is None:
            raise InputError(f"{where}: imagePushedAt is missing")
        images.append(
            Image(
                digest=digest,
                tags=tuple(tags),
                pushed_at=parse_time(item["imagePushedAt"], f"{where}.imagePushedAt"),
                last_pulled_at=_optional_time(item, "lastRecordedPullTime", where),
                storage_class=ARCHIVE if str(item.get("imageStatus", "")).upper() == "ARCHIVED" else STANDARD,
                last_archived_at=_optional_time(item, "lastArchivedAt", where),
                last_activated_at=_optional_time(item, "lastActivatedAt", where),
            )
        )
    return images


# -- output ------------------------------------------------------------------------------------
def _short(digest: str) -> str:
    if digest.startswith("sha256:") and len(digest) > 19:
        return digest[:19]
    return digest


def _ordered(images: list[Image], result: Evaluation, priorities: dict[int, int]) -> list[Image]:
    """Acted-on images by rule priority, then the images that stay; oldest first within each."""

    def key(image: Image):
        decision = result.decisions[image.digest]
        rank = priorities[decision.rule.index] if decision.rule is not None else float("inf")
        return (rank, image.pushed_at, image.digest)

    return sorted(images, key=key)


def render_text(policy: dict[str, Any], images: list[Image], result: Evaluation, now: datetime) -> str:
    compiled = compile_policy(policy)
    priorities = {r.index: r.priority for r in compiled.rules}
    lines = [f"Lifecycle policy simulation at {now.isoformat()}: {len(images)} images, {len(compiled.rules)} rules"]
    for rule in compiled.rules:
        acted = result.by_rule(rule.index)
        verb = "archive" if rule.action == "transition" else "expire"
        count = f"{len(acted)} image{'s' if len(acted) != 1 else ''} to {verb}" if acted else "nothing to do"
        lines.append(f"  {rule.summary()}: {count}")
    kept = [d for d in result.decisions.values() if not d.acted]
    lines.append(f"  {len(kept)} image{'s' if len(kept) != 1 else ''} stay")
    lines.append("")
    header = ("IMAGE", "TAGS", "PUSHED", "PULLED", "STORAGE", "RESULT", "RULE", "REASON")
    rows = [header]
    for image in _ordered(images, result, priorities):
        decision = result.decisions[image.digest]
        rows.append(
            (
                _short(image.digest),
                ",".join(image.tags) or "-",
                format_age(now - image.pushed_at),
                format_age(now - image.last_pulled_at) if image.last_pulled_at else "-",
                image.storage_class,
                decision.action or "keep",
                str(decision.rule.priority)
                if decision.rule
                else (str(decision.owner.priority) if decision.owner else "-"),
                decision.reason,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1])
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_json(policy: dict[str, Any], images: list[Image], result: Evaluation, now: datetime) -> str:
    compiled = compile_policy(policy)
    rules = []
    for rule in compiled.rules:
        acted = result.by_rule(rule.index)
        rules.append(
            {
                "rule": rule.pointer,
                "rule_priority": rule.priority,
                "description": rule.description,
                "summary": rule.summary(),
                "action": rule.action,
                "images": [d.digest for d in acted],
            }
        )
    rows = []
    for image in images:
        decision = result.decisions[image.digest]
        rows.append(
            {
                "digest": image.digest,
                "tags": list(image.tags),
                "pushed_at": image.pushed_at.isoformat(),
                "last_pulled_at": image.last_pulled_at.isoformat() if image.last_pulled_at else None,
                "storage_class": image.storage_class,
                "result": decision.action or "keep",
                "rule": decision.rule.pointer if decision.rule else None,
                "rule_priority": decision.rule.priority if decision.rule else None,
                "claimed_by": decision.owner.pointer if decision.owner else None,
                "reason": decision.reason,
            }
        )
    summary = {
        "images": len(images),
        "expire": len(result.expired()),
        "transition": len(result.transitioned()),
        "keep": sum(1 for d in result.decisions.values() if not d.acted),
    }
    out = {"now": now.isoformat(), "rules": rules, "images": rows, "summary": summary}
    return json.dumps(out, indent=2, sort_keys=True) + "\n"


def run(argv: list[str]) -> int:
    """Entry point; `argv` are the arguments after `simulate` (a leading `lifecycle simulate` is skipped)."""
    args = list(argv)
    if args[:2] == ["lifecycle", "simulate"]:
        args = args[2:]
    elif args[:1] == ["simulate"]:
        args = args[1:]
    try:
        options = _parser().parse_args(args)
        policy = load_policy(options.policy)
        images = load_images(options.images)
        now = parse_time(options.now, "--now") if options.now else datetime.now(timezone.utc)
        result = evaluate(policy, images, now)
    except InputError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 2
    except SystemExit as exit:  # --help
        return int(exit.code or 0)
    render = render_json if options.format == "json" else render_text
    sys.stdout.write(render(policy, images, result, now))
    return 0


def main() -> None:  # pragma: no cover - `python -m ecrlint.lifecycle.simulate`
    raise SystemExit(run(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
