"""The ``claimbench`` command: draft a ledger, export its schema, re-render or compare saved results."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from claimbench import ledger

__all__ = ["compare_records", "main"]

Record = Mapping[str, Any]


def _read_results(path: Path) -> dict[str, Any]:
    """A claims JSON written by ``--claims-json``; a ``SystemExit`` naming the file when it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document.get("claims"), list):
            raise ValueError("no 'claims' list")
    except (OSError, ValueError, AttributeError) as error:
        raise SystemExit(f"claimbench: {path}: not a claims JSON written by --claims-json ({error})") from None
    return document


def _draft(arguments: argparse.Namespace) -> int:
    from claimbench import draft

    argv = [str(arguments.report), *(["--slug", arguments.slug] if arguments.slug else []),
            *(["-o", str(arguments.output)] if arguments.output else [])]
    return draft.main(argv)


def _report(arguments: argparse.Namespace) -> int:
    from claimbench import report

    document = _read_results(arguments.results)
    try:
        reports = ledger.load_reports(arguments.claims_dir)
    except ledger.LedgerError as error:
        raise SystemExit(f"claimbench: {error}") from None
    written = report.write_all(document["claims"], reports, document.get("environment", {}),
                               markdown=arguments.markdown, badges=arguments.badges, plots=arguments.plots,
                               readme=arguments.readme)
    for path in written:
        print(f"wrote {path}")
    return 0


def compare_records(old: Sequence[Record], new: Sequence[Record]) -> list[tuple[str, str, str, str, str]]:
    """(claim id, old verdict, new verdict, old shown, new shown) of every claim whose verdict or
    measurement changed, sorted by claim id; a claim in one run only shows ``—`` for the other."""
    before, after = {r["id"]: r for r in old}, {r["id"]: r for r in new}
    rows = []
    for claim_id in sorted(before.keys() | after.keys()):
        a, b = before.get(claim_id, {}), after.get(claim_id, {})
        if (a.get("verdict"), a.get("shown")) != (b.get("verdict"), b.get("shown")):
            rows.append((claim_id, a.get("verdict", "—"), b.get("verdict", "—"), _shown(a), _shown(b)))
    return rows


def _shown(record: Record) -> str:
    shown = record.get("shown")
    return "—" if shown is None else str(shown)


def _compare(arguments: argparse.Namespace) -> int:
    from claimbench import report

    old, new = _read_results(arguments.old)["claims"], _read_results(arguments.new)["claims"]
    rows = compare_records(old, new)
    print(report.compare_table(old, new, rows))
    return 1 if arguments.fail_on_regression and any(b in ("refuted", "error") for _, _, b, _, _ in rows) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimbench", description="Published model claims, re-measured.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    draft = commands.add_parser("draft", help="draft a v2 ledger from a markdown report (reads it as text only)")
    draft.add_argument("report", type=Path, metavar="REPORT.md")
    draft.add_argument("--slug", help="the report's slug (default: from the file name)")
    draft.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output")
    draft.set_defaults(run=_draft)

    rerender = commands.add_parser("report", help="re-render markdown, badges and plots from a saved claims JSON")
    rerender.add_argument("results", type=Path, metavar="RESULTS.json")
    rerender.add_argument("--claims-dir", type=Path, default=Path("reference"), metavar="DIR",
                          help="the ledger the results were measured against (default: reference/)")
    rerender.add_argument("--markdown", type=Path, metavar="PATH.md")
    rerender.add_argument("--badges", type=Path, metavar="DIR")
    rerender.add_argument("--plots", type=Path, metavar="DIR")
    rerender.add_argument("--readme", type=Path, metavar="README.md")
    rerender.set_defaults(run=_report)

    compare = commands.add_parser("compare", help="what changed between two runs, verdict by verdict")
    compare.add_argument("old", type=Path, metavar="OLD.json")
    compare.add_argument("new", type=Path, metavar="NEW.json")
    compare.add_argument("--fail-on-regression", action="store_true",
                         help="exit 1 when a claim became refuted or error")
    compare.set_defaults(run=_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``claimbench`` command and return its exit code."""
    arguments = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = arguments.run
    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
