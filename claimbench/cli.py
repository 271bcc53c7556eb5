"""The ``claimbench`` command: draft a ledger, export its schema, re-render or compare saved results."""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import shlex
import signal
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import claimbench
from claimbench import pytest_ini
from claimbench.user_paths import setting_path, shown, user_path

if TYPE_CHECKING:
    from claimbench.ledger import Report

__all__ = ["main"]

Record = Mapping[str, Any]


COMPARED_FIELDS = ("id", "verdict", "shown", "measured")
"""The fields of a record that ``compare`` reads: those of any claimbench's JSON."""


def _read_results(command: str, path: Path, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """A claims JSON written by ``--claims-json`` in a format this claimbench reads; a ``SystemExit`` of ``command``
    naming the file, and the claim and field where a record lacks one of ``fields`` (``results.RECORD_FIELDS`` where
    None) or holds a value of the wrong type there (in any field the report reads, where ``fields`` is None), when it
    is not one."""
    from claimbench.results import JSON_FORMAT, RECORD_FIELDS, record_problem

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = getattr(error, "strerror", None) or error
        raise SystemExit(f"claimbench {command}: {path}: cannot read it: {why}") from None
    try:
        document = json.loads(text)
        if not isinstance(document.get("claims"), list):
            raise ValueError("no 'claims' list")
    except (ValueError, AttributeError) as error:
        raise SystemExit(f"claimbench {command}: {path}: not a claims JSON written by --claims-json ({error})"
                         ) from None
    written = document.get("format", JSON_FORMAT)  # the JSONs before the first format change had none
    if not isinstance(written, int) or isinstance(written, bool) or written > JSON_FORMAT:
        raise SystemExit(f"claimbench {command}: {path}: format {written!r} is newer than this claimbench reads "
                         f"(format {JSON_FORMAT}): upgrade claimbench")
    for number, record in enumerate(document["claims"], 1):
        problem = record_problem(record, fields or RECORD_FIELDS, only=fields)
        if problem:
            named = isinstance(record, dict) and isinstance(record.get("id"), str)
            name = record["id"] if named else f"claim #{number}"
            raise SystemExit(f"claimbench {command}: {path}: {name}: {problem}")
    return document


REPORT, OWN_REPORT = "REPORT.md", "CLAIMS.md"
"""The verdict report ``claimbench init`` configures, and the one it configures when ``REPORT.md`` is the author's
(the report the ledger is drafted from, or any file that is not claimbench's verdict report: the verdicts would
replace it)."""
INIT_PATHS = ("claims_dir", "claims_report", "claims_json", "claims_badges")
"""The settings of ``claimbench init`` that are paths, written relative to the configuration file."""
INIT_COMMENTS = {"claims_train_precision": "fp32, the author's numerics, so that a training number can be refuted: "
                                           "auto may choose bf16 where it is faster, which never refutes one"}
"""The comment ``claimbench init`` writes above a setting of its own, where the value alone does not say why."""


def _found_config() -> pytest_ini.Found | None:
    """The configuration pytest would read here (``pytest_ini.found``); one that cannot be read is one line."""
    try:
        return pytest_ini.found(Path.cwd())
    except ValueError as error:
        raise SystemExit(f"claimbench: {error}") from None


def _sectioned_config() -> pytest_ini.Found | None:
    """The configuration pytest would read here where it has a section for pytest; None for none, and for a
    ``pyproject.toml`` pytest reads for want of one: it holds no settings for a ``pytest.ini`` written here to hide."""
    found = _found_config()
    return found if found is not None and found[1] is not None else None


def _ledger_dir(given: Path | None, command: str) -> Path:
    """``--claims-dir``, else the ``claims_dir`` of the configuration pytest would read here (from this folder
    up), relative to that file, with ``~`` and ``$VAR`` expanded as a run expands them."""
    if given is not None:
        return given
    found = _found_config()
    if found is None:
        raise SystemExit(f"claimbench {command}: no pytest configuration here: pass --claims-dir=DIR")
    configured = _setting_path(found, "claims_dir")
    if configured is None:
        raise SystemExit(f"claimbench {command}: {found[0]} sets no claims_dir: add it, or pass --claims-dir=DIR")
    return configured


def _ledger(command: str, given: Path | None) -> tuple[Path, list[Report]]:
    """The ledger ``command`` reads (``_ledger_dir``) and its reports; a ``SystemExit`` where it cannot: one line
    naming the option and the absolute path where nothing is there, as a run's option checks name it."""
    from claimbench import ledger

    folder = _ledger_dir(given, command)
    if not folder.is_dir() and not folder.is_file():
        option = "--claims-dir" if given is not None else "claims_dir (ini) / --claims-dir"
        what = "not a regular file or a folder" if folder.exists() else "no such file or folder"
        raise SystemExit(f"claimbench {command}: {option}: {Path(os.path.abspath(folder))}: {what}")
    try:
        return folder, ledger.load_reports(folder)
    except ledger.LedgerError as error:
        raise SystemExit(f"claimbench {command}: {error}") from None


def _setting_path(found: pytest_ini.Found | None, name: str) -> Path | None:
    """A path setting of the configuration ``found`` as a run reads it (``options.path_setting``): ``$VAR`` and
    ``~`` expanded, relative to the file; None where it is not set."""
    value = found[2].get(name, "").strip() if found else ""
    return setting_path(found[0].parent, value) if found and value else None


def _configured_outputs() -> dict[str, Path | None]:
    """The files the pytest configuration read from here has a run write, relative to that file."""
    found = _found_config()
    names = {"markdown": "claims_report", "badges": "claims_badges", "plots": "claims_plots", "readme": "claims_readme"}
    return {key: _setting_path(found, name) for key, name in names.items()}


def _draft(arguments: argparse.Namespace) -> int:
    from claimbench import draft

    report = _input("draft", arguments.report, "REPORT.md")
    _refuse_unwritable(_file(arguments.output))
    return draft.write(report, slug_name=arguments.slug, output=_file(arguments.output),
                       force=arguments.force, project=_project(_found_config()))


STDOUT = "-"
"""``-o -``: standard output, as Unix tools read it; told by the argument as typed, since ``./-`` names a file called
``-`` and ``Path("./-") == Path("-")``."""


def _file(output: str | None) -> Path | None:
    """``-o``'s file; None for standard output (``-`` or none given)."""
    return None if output is None or output == STDOUT else _named_file(output)


def _named_file(text: str) -> Path:
    """The file an output path names, as typed; an ``OSError`` (one line, status 1) where it ends in a separator,
    which names a folder: ``Path`` drops it, and ``-o claims/`` would write a file called ``claims``."""
    if text.endswith(tuple(filter(None, (os.sep, os.altsep)))):
        raise OSError(f"{text} names a folder (it ends in {os.sep}), not a file")
    return user_path(text)


def _input(command: str, text: str, what: str) -> Path:
    """A file ``command`` reads, as typed (``what``: the argument); a ``SystemExit`` for ``-``: standard input is not
    read, and ``./-`` names a file called ``-``."""
    if text == STDOUT:
        raise SystemExit(f"claimbench {command}: {what} -: {command} reads files, not standard input; name a file "
                         "(./- for one called -)")
    return user_path(text)


def _refuse_unwritable(path: Path | None, *, folder: bool = False) -> None:
    """An ``OSError`` saying why ``path`` (a file, or a folder to write files into) could not be written, as the
    plugin's option checks say it (``cannot create afile/x.toml: afile is not a folder``), before anything is
    written; not the system's words for the folder it failed to create ("File exists"). ``main`` writes it as a
    file it cannot write: one line, status 1."""
    from claimbench.atomic import unwritable

    problem = unwritable(path, folder=folder) if path is not None else None
    if problem:
        raise OSError(problem)


def _slug(text: str) -> str:
    """``--slug``'s value (``draft.slug_argument``), the draft module imported only when one is given."""
    from claimbench import draft

    return draft.slug_argument(text)


def _project(found: pytest_ini.Found | None) -> Path:
    """The project's folder: that of the pytest configuration read from here (``_found_config``), else this one."""
    return found[0].parent if found else Path.cwd()


def _report(arguments: argparse.Namespace) -> int:
    from claimbench import report, results, verdict

    typed = {"markdown": arguments.markdown, "badges": arguments.badges, "plots": arguments.plots,
             "readme": arguments.readme}
    given = next((f"--{key} -" for key, text in typed.items() if text == STDOUT), None)
    if given:
        raise SystemExit(f"claimbench report: {given}: report writes files, not standard output; name a file or "
                         "folder (./- for one called -)")
    results_path = _input("report", arguments.results, "RESULTS.json")
    given_dir = None if arguments.claims_dir is None else _input("report", arguments.claims_dir, "--claims-dir")
    files = ("markdown", "readme")  # the others are folders
    outputs = {key: None if text is None else _named_file(text) if key in files else user_path(text)
               for key, text in typed.items()}
    if not any(outputs.values()):
        outputs = _configured_outputs()
    if not any(outputs.values()):
        raise SystemExit("claimbench report: nothing to write: give --markdown, --badges, --plots or --readme, or "
                         "set claims_report, claims_badges, claims_plots or claims_readme in the pytest configuration")
    for key, path in outputs.items():
        _refuse_unwritable(path, folder=key not in files)
    document = _read_results("report", results_path)
    try:
        if outputs["readme"]:
            report.check_readme(outputs["readme"])  # before anything is written
    except ValueError as error:  # a README without its summary markers
        raise SystemExit(f"claimbench report: {error}") from None
    claims_dir, reports = _ledger("report", given_dir)
    _refuse_overwriting(outputs["markdown"], outputs["readme"], reports, claims_dir)
    claims = {claim.id: claim for each in reports for claim in each.claims}
    strangers = sorted({record["id"] for record in document["claims"]} - claims.keys())
    if strangers:
        raise SystemExit(f"claimbench report: {results_path}: {len(strangers)} of its claims "
                         f"{'is' if len(strangers) == 1 else 'are'} not in the ledger (first: {strangers[0]}): "
                         "give the --claims-dir its run read")
    changed = {record["id"] for record in document["claims"]
               if record.get("claim_digest") != results.claim_digest(claims[record["id"]])}
    if changed:
        print(f"claimbench report: {len(changed)} claim(s) of {results_path} changed in the ledger since that run "
              f"(first: {min(changed)}): shown as not run", file=sys.stderr)
    misjudged = {record["id"] for record in document["claims"]
                 if record["id"] not in changed and not verdict.follows(record, claims[record["id"]])}
    if misjudged:
        print(f"claimbench report: {len(misjudged)} claim(s) of {results_path} judged otherwise than their own "
              f"figures say (first: {min(misjudged)}): shown as not run", file=sys.stderr)
    why = dict.fromkeys(changed, results.LEDGER_CHANGED) | dict.fromkeys(misjudged, results.JUDGED_OTHERWISE)
    records = [results.record_for(claims[record["id"]], results.Outcome(skipped=why[record["id"]]), None)
               if record["id"] in why else {**record, "note": claims[record["id"]].note}
               for record in document["claims"] if record["id"] not in why or record.get("date")]
    written = report.write_all(records, reports, document.get("environment", {}), **outputs)
    for path in written:
        print(f"wrote {path}")
    return 0


def _refuse_overwriting(markdown: Path | None, readme: Path | None, reports: Sequence[Report],
                        claims_dir: Path) -> None:
    """A ``SystemExit`` when the verdict report would replace the README, a ledger's own report (its ``[report]
    source``, looked for where a run looks) or any other file that is not a verdict report, before anything is
    written."""
    from claimbench import drift
    from claimbench.readme_markers import not_a_verdict_report

    if markdown is None:
        return
    if readme is not None and drift.same_file(markdown, readme):
        raise SystemExit(f"claimbench report: the markdown report {markdown} is also the README: it would replace "
                         "the README; name another --markdown or claims_report")
    folder = claims_dir if claims_dir.is_dir() else claims_dir.parent
    source = drift.read_from(markdown, reports, [folder, folder.parent, _project(_found_config())])
    if source is not None:
        raise SystemExit(f"claimbench report: the markdown report {markdown} is the [report] source of "
                         f"{folder / f'{source.slug}.toml'}: it would overwrite it; name another --markdown or "
                         "claims_report")
    foreign = not_a_verdict_report(markdown)
    if foreign is not None:
        raise SystemExit(f"claimbench report: {foreign}: the markdown report would replace it; name another "
                         "--markdown or claims_report, or delete it if it is an old claimbench report")


def _compare(arguments: argparse.Namespace) -> int:
    from claimbench import compare, report

    paths = _input("compare", arguments.old, "OLD.json"), _input("compare", arguments.new, "NEW.json")
    old, new = (_judged(path, _read_results("compare", path, COMPARED_FIELDS)["claims"]) for path in paths)
    rows, missing = compare.compare_records(old, new), compare.missing_claims(old, new)
    print(report.compare_table(old, new, rows, len(compare.retimed_claims(old, new)), missing))
    regressed, lost = compare.regressed(rows), compare.lost(missing)
    if old and not new:  # a run that wrote no record vouches for nothing: every claim was lost
        print(f"claimbench compare: {paths[1]} holds no claim record, {paths[0]} {len(old)}: every claim "
              "was lost", file=sys.stderr)
        return 1 if arguments.fail_on_regression else 0
    if not arguments.fail_on_regression:
        return 0
    if regressed:
        print(f"claimbench compare: {len(regressed)} claim(s) became refuted or error: {', '.join(regressed)}",
              file=sys.stderr)
    if lost:
        print(f"claimbench compare: {len(lost)} claim(s) reproduced or a known error in {paths[0]} have no "
              f"record in {paths[1]}: {', '.join(lost)}", file=sys.stderr)
    return 1 if regressed or lost else 0


def _judged(path: Path, records: Sequence[Record]) -> list[Record]:
    """The records of ``path``, each whose verdict is not what its own figures say compared as not run
    (``compare.judged``), with one line on stderr that says so."""
    from claimbench import compare

    taken, misjudged = compare.judged(records)
    if misjudged:
        print(f"claimbench compare: {len(misjudged)} claim(s) of {path} judged otherwise than their own figures say "
              f"(first: {min(misjudged)}): compared as not run", file=sys.stderr)
    return taken


def _schema(arguments: argparse.Namespace) -> int:
    from claimbench import atomic, schema

    text, output = schema.json_text(), _file(arguments.output)
    _refuse_unwritable(output)
    if output:
        if not arguments.force and not _replaceable_schema(output, json.loads(text)["title"]):
            raise SystemExit(f"claimbench schema: {output}: exists, and is no claimbench ledger schema: "
                             "pass --force to replace it")
        atomic.write_text(output, text)
    else:
        sys.stdout.write(text)
    return 0


def _replaceable_schema(path: Path, title: str) -> bool:
    """Whether ``schema -o`` may write ``path`` without ``--force``: it is absent or empty, or holds a JSON object
    titled ``title`` (an earlier ledger schema), so that no file of the author's is replaced; a folder was refused
    before (``_refuse_unwritable``)."""
    if not path.is_file() or path.stat().st_size == 0:
        return True
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(document, dict) and document.get("title") == title


def _models(arguments: argparse.Namespace) -> int:
    from claimbench import items, ledger, registry

    folder, reports = _ledger("models", arguments.claims_dir)
    found = _found_config()
    project = found[0].parent if found else Path.cwd()
    pythonpath = [str(project / path) for path in shlex.split(found[2].get("pythonpath", ""))] if found else []
    sys.path[:0] = [path for path in pythonpath if path not in sys.path]  # as pytest puts them, first
    hint = "; for another clone's ledger, set PYTHONPATH to the folder its modules import from"
    problems = items.import_problems(reports, project, hint, pythonpath, ledger.files(folder))
    if problems:
        raise SystemExit(f"claimbench models: {ledger.LedgerError(problems)}")
    names = registry.list_models(arguments.pattern)
    referenced = sorted({claim.model for each in reports for claim in each.claims if claim.model and ":" in claim.model
                         and _named_by(claim.model, arguments.pattern or "*")})
    if not names and not referenced:
        what = f"matches {arguments.pattern!r}" if arguments.pattern else "is registered by the ledger's modules"
        raise SystemExit(f"claimbench models: no model {what}, nor does a claim name one by reference")
    for name in names:
        size = registry.input_size(name)
        print(f"{name}  {'x'.join(map(str, size)) if size else ''}".rstrip())
    for reference in referenced:  # torchvision:<name>, timm:<name>, package.module:builder
        print(f"{reference}  (named by the ledger's claims)")
    return 0


def _named_by(reference: str, pattern: str) -> bool:
    """Whether fnmatch ``pattern`` matches ``reference`` whole (``torchvision:resnet*``) or its name alone
    (``resnet*``)."""
    return any(fnmatch.fnmatch(part, pattern) for part in (reference, reference.rpartition(":")[2]))


def _joined(arguments: Sequence[str]) -> list[str]:
    """``--claims-x VALUE`` as ``--claims-x=VALUE``: pytest looks for its rootdir before it knows plugin
    options, and would take a separated VALUE for a path to test."""
    from claimbench.options import separated

    joined: list[str] = []
    for argument in arguments:
        if joined and separated(joined[-1], argument):
            joined[-1] = f"{joined[-1]}={argument}"
        else:
            joined.append(argument)
    return joined


def _check(arguments: argparse.Namespace) -> int:
    import pytest

    sys.dont_write_bytecode = True  # a reviewer's run leaves no __pycache__ in the clone it checks,
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # nor do pytest-xdist's workers
    # claimbench named too: under PYTEST_DISABLE_PLUGIN_AUTOLOAD its entry point is not loaded by itself
    return int(pytest.main(["-p", "claimbench", "-p", "claimbench.collect_ledger", *_joined(arguments.pytest_args)]))


def _init(arguments: argparse.Namespace) -> int:
    from claimbench import atomic, draft, markdown_tables, report_text
    from claimbench.verdict import DECIDING_SEEDS

    name = arguments.slug or markdown_tables.slug(Path.cwd().name) or "report"  # a folder named without a letter
    existing = _sectioned_config()
    project = _project(existing)
    configured_dir = _setting_path(existing, "claims_dir")
    claims_dir = arguments.claims_dir or (Path(os.path.relpath(configured_dir)) if configured_dir else Path("claims"))
    target = claims_dir / f"{name}.toml"
    kept = _ledger_of(arguments.report, claims_dir, project)  # the author's, edited or not: init configures its run
    if kept is None and target.exists():
        raise SystemExit(f"claimbench init: {target} exists: draft into another file with claimbench draft")
    if kept is None:
        _refuse_unwritable(target)
    try:
        text = report_text.read(arguments.report)
        readme = draft.source_name(arguments.report, [project])  # from the project's folder: the configuration's
    except report_text.NotText as error:  # it names the file and the line
        raise SystemExit(f"claimbench init: {error}") from None
    except (OSError, ValueError) as error:
        raise SystemExit(f"claimbench init: {shown(arguments.report)}: {getattr(error, 'strerror', None) or error}"
                         ) from None
    if readme is None:
        raise SystemExit(f"claimbench init: {arguments.report} lies outside the project ({project}), where no run "
                         "compares the ledger with it: init from the project that holds it, or use claimbench draft")
    drafted_text = None if kept else _drafted(arguments.report, text, name, readme, target)
    configured_path = _setting_path(existing, "claims_report")
    keep = configured_path is not None and _taken(configured_path, arguments.report) is None  # free, or ours
    taken = {} if keep else {name: _taken(Path(name), arguments.report) for name in (REPORT, OWN_REPORT)}
    verdicts = next((name for name, why in taken.items() if why is None), None)
    if verdicts is None and not keep:
        raise SystemExit(f"claimbench init: neither {REPORT} nor {OWN_REPORT} can take the verdict report: "
                         f"{'; '.join(filter(None, taken.values()))}; move one of them away, then run claimbench "
                         "init again")
    settings: dict[str, str | int] = {  # fp32 and DECIDING_SEEDS seeds, or a wrong trained number is never refuted
        "claims_dir": claims_dir.as_posix(), **({"claims_report": verdicts} if verdicts else {}),
        "claims_json": "claims.json", "claims_badges": "badges", "claims_train_device": "cpu",
        "claims_train_min_seeds": DECIDING_SEEDS, "claims_train_precision": "fp32"}
    if drafted_text is not None:
        atomic.write_text(target, drafted_text)
    if existing is None:
        atomic.write_text("pytest.ini", "[pytest]\n" + _setting_lines(settings, toml=False))
        print(f"wrote pytest.ini (training claims on the CPU in fp32, {DECIDING_SEEDS} seeds each at least, since "
              "neither one seed nor bf16 that auto chose ever refutes a number, within claims_train_budget: 600 s a "
              "claim by default)")
        where, readme_line = "the [pytest] section of pytest.ini", f"claims_readme = {readme}"
    else:  # a second file would hide it from pytest, here or in the folder above that holds it
        path, section, options = existing
        toml = path.suffix == ".toml"
        where = f"the [{section}] section of {os.path.relpath(path)}"
        readme_line = f"claims_readme = {json.dumps(readme) if toml else readme}"
        settings = {key: Path(os.path.relpath(str(value), path.parent)).as_posix() if key in INIT_PATHS else value
                    for key, value in settings.items()}  # a path in an ini file is relative to the file
        moved = configured_dir is not None and configured_dir.resolve() != claims_dir.resolve()
        lacking: dict[str, str | int | list[str]] = {  # a value the configuration sets is the author's, and kept
            key: value for key, value in settings.items() if not options.get(key, "").strip()
            or key == "claims_report" and options[key].strip() != value or key == "claims_dir" and moved}
        testpaths = shlex.split(options.get("testpaths", ""))
        if testpaths and not any(claims_dir.resolve().is_relative_to((path.parent / p).resolve())
                                 for p in testpaths):
            lacking["testpaths"] = [*testpaths, str(settings["claims_dir"])]  # else plain pytest misses it
        if kept is not None and not lacking:  # nothing of init's left to do
            print(f"nothing to do: {kept} already holds the claims of {arguments.report}, and "
                  f"{os.path.relpath(path)} already reads it: edit it, or draft another report with claimbench draft")
            return 0
        if moved:  # only where --claims-dir named another folder
            written = options["claims_dir"].strip()
            print(f"{os.path.relpath(path)} sets claims_dir = {written}, another folder than --claims-dir "
                  f"{claims_dir}: a run reads the new ledger only with the claims_dir line below, and then no longer "
                  f"{written}")
        if lacking:
            print(f"set in {where}:\n" + _setting_lines(lacking, toml=toml))
    print(f"kept {kept}, which already holds the claims of {arguments.report}: fill in any TODOs left, then run "
          "`pytest` (or `claimbench check`)" if kept else
          f"wrote {target}: fill in its TODOs, then run `pytest` (or `claimbench check`)")
    if verdicts not in (None, REPORT):
        print(f"the verdict report goes to {verdicts}: {taken[REPORT]}")
    readme_set = existing[2].get("claims_readme", "").strip() if existing else ""  # the author's: kept
    if not readme_set:
        markers = _markers_advice(text.splitlines())
        print(f"for the verdicts and badges in {arguments.report}: {f'{markers}, and ' if markers else ''}set in "
              f"{where}:\n{readme_line}\n")
    elif markers := _markers_advice(_lines(_setting_path(existing, "claims_readme"))):
        print(f"for the verdicts and badges in {readme_set} (the configuration's claims_readme): {markers}\n")
    kept_out = _not_ignored({"runs/": "runs/ (stored training runs)", ".benchmarks/": ".benchmarks/",
                             atomic.GITIGNORE: f"{atomic.GITIGNORE} (a file's new version, left behind where its "
                                               "write was killed)"})
    if kept_out:
        listed = kept_out[0] if len(kept_out) == 1 else f"{', '.join(kept_out[:-1])} and {kept_out[-1]}"
        print(f"keep {listed} out of git: add {'it' if len(kept_out) == 1 else 'them'} to .gitignore")
    return 0


def _not_ignored(entries: Mapping[str, str]) -> list[str]:
    """The words of each of ``entries`` (a ``.gitignore`` line, and its words) that git would not ignore here: by
    ``git check-ignore`` in a git checkout, else by the lines of this folder's ``.gitignore``."""
    ignored = _git_ignored(list(entries))
    if ignored is None:
        ignored = _gitignore_holds(list(entries))
    return [words for entry, words in entries.items() if entry not in ignored]


def _gitignore_holds(entries: Sequence[str]) -> set[str]:
    """Those of the ``.gitignore`` lines ``entries`` that this folder's ``.gitignore`` holds as written (a leading or
    trailing ``/`` aside); none where it has none."""
    try:
        lines = Path(".gitignore").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    written = {line.strip().strip("/") for line in lines}
    return {entry for entry in entries if entry.strip("/") in written}


def _git_ignored(patterns: Sequence[str]) -> set[str] | None:
    """Those of the ``.gitignore`` ``patterns`` whose paths (a ``*`` read as one name) git ignores here; None
    outside a git checkout, or without git."""
    paths = {pattern.replace("*", "x"): pattern for pattern in patterns}
    try:
        found = subprocess.run(["git", "check-ignore", *paths], capture_output=True, text=True, check=False)
    except OSError:
        return None
    if found.returncode not in (0, 1):  # 128: not a git checkout
        return None
    return {paths[path] for path in found.stdout.splitlines() if path in paths}


def _setting_lines(settings: Mapping[str, str | int | list[str]], *, toml: bool) -> str:
    """``init``'s ``settings`` as lines of a configuration file, in TOML's syntax where ``toml`` (else an ini file's:
    a list shell-joined), each after its comment where it has one (``INIT_COMMENTS``)."""
    lines = []
    for key, value in settings.items():
        if key in INIT_COMMENTS:
            lines.append(f"# {INIT_COMMENTS[key]}\n")
        written = json.dumps(value) if toml else shlex.join(value) if isinstance(value, list) else value
        lines.append(f"{key} = {written}\n")
    return "".join(lines)


def _drafted(report: Path, text: str, name: str, readme: str, target: Path) -> str:
    """The ledger ``init`` drafts from ``report``'s ``text`` for ``target``; refused where it holds no claim."""
    from claimbench import draft

    drafted_text = draft.draft(text, slug=name, source=readme)
    unread = draft.html_tables(text)
    if "[[claim]]" not in drafted_text:  # not even a candidate of the text
        prints = (f"prints its numbers only in {unread} HTML table(s), which draft does not read as tables" if unread
                  else "prints no number to draft a claim from")
        raise SystemExit(f"claimbench init: {report} {prints}: write "
                         f"{target} by hand (its keys, described: `claimbench schema`, which ships with claimbench; "
                         "the format in full: reference/README.md of claimbench's source), or init from the file "
                         "that prints them")
    if unread:
        print(f"claimbench init: {report}: {draft.unread_html(unread)}", file=sys.stderr)
    return drafted_text


def _markers_advice(lines: Sequence[str]) -> str:
    """What ``init`` asks of a README for its summary: the marker lines it lacks, or, where it holds both but not
    as a run wants them, to keep one of each in order; "" where it holds them as a run wants."""
    from claimbench.readme_markers import missing_markers, summary_span

    missing = missing_markers(lines)
    if missing:
        return f"put {' and '.join(f'a {marker} line' for marker in missing)} in it"
    try:
        summary_span(lines)
    except ValueError as error:
        return f"it {error}"
    return ""


def _lines(path: Path | None) -> list[str]:
    """The lines of a text file; none where it cannot be read as UTF-8 text."""
    try:
        return path.read_text(encoding="utf-8-sig").splitlines() if path else []
    except (OSError, UnicodeDecodeError):
        return []


def _taken(path: Path, report: Path) -> str | None:
    """Why ``init`` may not send the verdict report to ``path``: it is ``report``, the author's report the ledger is
    drafted from, or something else that is not claimbench's verdict report; None where it is absent, empty or
    one."""
    from claimbench import drift
    from claimbench.readme_markers import not_a_verdict_report

    if drift.same_file(path, report):
        return f"{path} is your own report, which the ledger copies"
    if os.path.lexists(path) and not path.is_file():
        return f"{path} is not a file"
    foreign = not_a_verdict_report(path)
    return f"{foreign}, which it would replace" if foreign else None


def _ledger_of(report: Path, claims_dir: Path, project: Path) -> Path | None:
    """A ledger under ``claims_dir`` already drafted from ``report``: its ``[report] source`` names the file, from
    one of the folders a run looks in (the ledger's, the one above it, the project's)."""
    for path in sorted(claims_dir.glob("*.toml")):
        try:
            meta = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("report")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        source = meta.get("source") if isinstance(meta, dict) else None
        if isinstance(source, str) and any((folder / source).resolve() == report.resolve()
                                           for folder in (claims_dir, claims_dir.parent, project)):
            return path
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimbench", description="Published model claims, re-measured.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {claimbench.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    draft = commands.add_parser("draft", help="draft a v2 ledger from a markdown report (reads it as text only)")
    draft.add_argument("report", metavar="REPORT.md")
    draft.add_argument("--slug", type=_slug,
                       help="the report's slug (default: -o FILE's name, else the report's; a README's, its folder's)")
    draft.add_argument("-o", "--output", metavar="FILE",
                       help="write here instead of standard output (- is standard output)")
    draft.add_argument("--force", action="store_true", help="replace FILE if it exists")
    draft.set_defaults(run=_draft)

    rerender = commands.add_parser(
        "report", help="re-render markdown, badges and plots from a saved claims JSON",
        description="Re-render from a saved claims JSON. With none of --markdown, --badges, --plots and --readme, "
                    "the files the pytest configuration names are written (claims_report, claims_badges, "
                    "claims_plots, claims_readme).")
    rerender.add_argument("results", metavar="RESULTS.json")
    rerender.add_argument("--claims-dir", metavar="DIR",
                          help="the ledger the results were measured against (default: the ini's claims_dir)")
    rerender.add_argument("--markdown", metavar="PATH.md",
                          help="write the verdict report here (an empty file or an earlier verdict report only)")
    rerender.add_argument("--badges", metavar="DIR", help="write the badges' SVG and JSON files here")
    rerender.add_argument("--plots", metavar="DIR", help="write the plots here")
    rerender.add_argument("--readme", metavar="README.md",
                          help="update the summary between the README's claims-summary marker lines")
    rerender.set_defaults(run=_report)

    compare = commands.add_parser("compare", help="what changed between two runs, verdict by verdict")
    compare.add_argument("old", metavar="OLD.json")
    compare.add_argument("new", metavar="NEW.json")
    compare.add_argument("--fail-on-regression", action="store_true",
                         help="exit 1 when a claim became refuted or error, or one reproduced or a known error in "
                              "OLD.json has no record in NEW.json (or NEW.json holds none, where OLD.json holds some)")
    compare.set_defaults(run=_compare)

    schema = commands.add_parser("schema", help="the ledger's JSON Schema, for editors (Taplo, Even Better TOML)")
    schema.add_argument("-o", "--output", metavar="FILE",
                        help="write here instead of standard output (- is standard output)")
    schema.add_argument("--force", action="store_true",
                        help="replace FILE even where it holds something else than a claimbench ledger schema")
    schema.set_defaults(run=_schema)

    models = commands.add_parser("models", help="the registered models (of the ledger's modules), and the "
                                                "references its claims name, matching PATTERN")
    models.add_argument("pattern", nargs="?", help="an fnmatch pattern, e.g. 'iot_ml_hw2.*'")
    models.add_argument("--claims-dir", type=user_path, metavar="DIR",
                        help="the ledger whose modules register the models (default: the ini's claims_dir)")
    models.set_defaults(run=_models)

    check = commands.add_parser("check", help="run the configured ledger's claims (pytest options pass through)",
                                prefix_chars="+")
    check.add_argument("pytest_args", nargs=argparse.REMAINDER, metavar="PYTEST_ARGS")
    check.set_defaults(run=_check)

    init = commands.add_parser("init", help="draft a ledger from your README and write the ini lines")
    init.add_argument("report", type=Path, nargs="?", default=Path("README.md"), metavar="REPORT.md",
                      help="the report to draft the ledger from (default: README.md)")
    init.add_argument("--slug", type=_slug, help="the report's slug (default: this folder's name, else report)")
    init.add_argument("--claims-dir", type=user_path, metavar="DIR",
                      help="where the ledger goes (default: the configuration's claims_dir, else claims/)")
    init.set_defaults(run=_init)
    for command in commands.choices.values():  # an unknown argument is said with the command's usage, not the top's
        command.set_defaults(usage_error=command.error)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``claimbench`` command and return its exit code. A file or standard output that cannot be written
    is one line on stderr and the exit status 1; standard output closed by its reader before it is written
    (``claimbench schema | true``) ends the command quietly with status 1, as Python's documentation on SIGPIPE
    advises; a Ctrl-C is one line and the shell's status for it, 130."""
    arguments, unknown = _parser().parse_known_args(argv)
    if unknown:
        arguments.usage_error(f"unrecognized arguments: {' '.join(unknown)}")
    run: Callable[[argparse.Namespace], int] = arguments.run
    try:
        with _named_stdout(arguments.command != "check"):  # check's standard output is pytest's
            status = run(arguments)
            sys.stdout.flush()  # here, not at the interpreter's exit, where a failure is a traceback
    except BrokenPipeError:
        _drop_stdout()
        return 1
    except KeyboardInterrupt:  # a file being written is whole: old or new
        print(f"claimbench {arguments.command}: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except OSError as error:
        _drop_stdout()
        where = error.filename2 or error.filename
        print(f"claimbench {arguments.command}: {f'{where}: ' if where else ''}{error.strerror or error}",
              file=sys.stderr)
        return 1
    return status


STDOUT_NAME = "standard output"
"""How a failed write to standard output names it, as a failed write to a file names the file."""


class _NamedStdout:
    """Standard output, whose failed writes name it (``STDOUT_NAME``), as a file's name the file: the system's
    error for it names nothing. Everything else is the stream's own."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with _as_stdout_error():
            return self._stream.write(text)

    def flush(self) -> None:
        with _as_stdout_error():
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _as_stdout_error() -> Iterator[None]:
    """A system error of a write to standard output, as naming it; of the same class (``BrokenPipeError`` stays
    one)."""
    try:
        yield
    except OSError as error:
        if error.errno is None or error.filename is not None:
            raise
        raise OSError(error.errno, error.strerror, STDOUT_NAME) from None


@contextlib.contextmanager
def _named_stdout(named: bool) -> Iterator[None]:
    """Standard output as ``_NamedStdout`` while the command runs, where ``named``."""
    if not named:
        yield
        return
    with contextlib.redirect_stdout(_NamedStdout(sys.stdout)):
        yield


def _drop_stdout() -> None:
    """Point standard output at the null device when what it holds cannot be written, so that the flush at the
    interpreter's exit raises nothing more."""
    try:
        sys.stdout.flush()
    except OSError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
