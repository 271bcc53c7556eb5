"""The ``--claims-*`` options and their ini values: declared, read from where they were written, checked before
any test runs, and turned into the session's training settings. The plugin's hooks hand off here."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from claimbench.atomic import unreadable, unwritable
from claimbench.user_paths import setting_path, user_path

if TYPE_CHECKING:
    from claimbench.runs.retrains import Retrain
    from claimbench.runs.settings import Settings

ledger_path_key = pytest.StashKey[Path]()
"""The configured ledger: a folder of ``*.toml`` or one file. Set only when claimbench is on."""
session_key = pytest.StashKey[str]()
"""The controller's session id, which its pytest-xdist workers share (their ``testrunuid``)."""
retrain_key: pytest.StashKey[Retrain] = pytest.StashKey()
"""The retrain a ``--claims-retrain`` controller carries on, once a run may train (``retrain_begun_by``)."""
selected_key = pytest.StashKey[list[str]]()
"""The training claims a ``--claims-retrain`` controller's session selected, once its items are collected (its
pytest-xdist workers': ``select_for_retrain``)."""
RETRAIN = "claimbench_retrain"
"""The pytest-xdist worker input naming the session that began the controller's retrain."""

OUTPUTS = ("report", "json", "badges", "plots", "readme")
"""The files a run may write, each ``--claims-<name>`` / ini ``claims_<name>``."""
FOLDERS = ("badges", "plots", "results_dir")
"""The path options that name a folder to write files into; the other written ones name a file."""
_SEPARATORS = tuple(filter(None, (os.sep, os.altsep)))
"""What ends a path that names a folder (``reports/``)."""
PATHS = ("dir", *OUTPUTS, "data_root", "results_dir")
"""Every path option, each ``--claims-<name>`` (underscores as dashes) / ini ``claims_<name>``."""
BOOLEANS = ("download", "allow_unverified_data", "train_compile")
"""The flags with an ini equivalent, a boolean."""
NUMBER_INI = tuple(map(int, pytest.__version__.split(".")[:2])) >= (8, 4)
"""Whether pytest types ini numbers (8.4 on): ``claims_train_seeds = 2`` in a TOML configuration is then a number,
and a string an error of pytest's own."""
NUMBERS = ("train_seeds", "train_min_seeds", "train_budget")
"""The numeric options: read as written on the command line, typed by pytest in the ini (``NUMBER_INI``), and
checked against ``WANTED``."""
TYPED = (*BOOLEANS, *NUMBERS)
"""The ini values pytest converts, and may refuse to."""
FLAGS = ("--claims-download", "--claims-allow-unverified-data", "--claims-train-compile", "--claims-retrain")
"""The options that take no value; every other ``--claims-*`` option takes one."""
COMMAND_LINE_ONLY = ("claims_retrain",)
"""The options with no ini equivalent."""
_DEVICE = re.compile(r"cpu|cuda(:\d+)?|mps")


def add(parser: pytest.Parser) -> None:
    """Declare the ``--claims-*`` options, each with its ini value (``claims_<name>``)."""
    group = parser.getgroup("claimbench", "claimbench: published model claims as tests")

    def option(name: str, help: str, *, ini: str = "string", **kwargs: Any) -> None:
        """``--claims-<name>`` with ini ``claims_<name>`` of type ``ini`` (none for ``COMMAND_LINE_ONLY``); one
        of ``FLAGS`` takes no value, and its ini value is a boolean."""
        dest, flag = f"claims_{name.replace('-', '_')}", f"--claims-{name}"
        if flag in FLAGS:
            kwargs["action"] = "store_true"
            ini = "bool"
        if dest in COMMAND_LINE_ONLY:
            ini = ""
        group.addoption(flag, dest=dest, default=None, help=help, **kwargs)
        if ini:
            parser.addini(dest, help, type=ini, default=None)

    option("dir", "the ledger: a directory of *.toml or one file; turns claimbench on", metavar="DIR")
    option("report", "write the markdown verdict report here", metavar="PATH.md")
    option("json", "write one JSON record per claim here (claims not run keep their last record)", metavar="PATH")
    option("badges", "write shields.io endpoint JSON and SVG badges into DIR", metavar="DIR")
    option("plots", "write PNG plots into DIR", metavar="DIR")
    option("readme", "replace the summary between the README's claims-summary markers", metavar="README.md")
    option("data-root", "where datasets live in their standard layouts (default: $CLAIMBENCH_DATA)", metavar="DIR")
    option("download", "download a missing dataset (never done otherwise)")
    option("allow-unverified-data", "run on data whose checksums differ; verdicts are marked 'unverified data', "
           "and one refuted on it turns no badge red")
    option("train-device", "device for train and timing claims (default: cuda; cpu trains what fits the budget)",
           metavar="DEVICE")
    option("train-seeds", "seeds per training claim (default: the runs the claim averages, else 1, at least "
           "--claims-train-min-seeds)", metavar="N", ini="int" if NUMBER_INI else "string")
    option("train-min-seeds", "the fewest seeds a training claim trains, its runs raised to N, unless "
           "--claims-train-seeds is given (default: 1; one seed outside the band is an error, never refuted)",
           metavar="N", ini="int" if NUMBER_INI else "string")
    option("train-budget", "skip training claims estimated above this (default: none on a GPU, CUDA or mps; 600 s "
           "on a CPU)", metavar="SECONDS", ini="float" if NUMBER_INI else "string")
    option("train-compile", "torch.compile the model for training claims")
    option("retrain", "train again even where a stored run exists")
    option("results-dir", "where training runs and checkpoints are stored (default: runs/)", metavar="DIR")
    option("cluster", "train the runs on a Ray cluster: ray://HOST:PORT, or auto ($RAY_ADDRESS)", metavar="ADDRESS")
    option("train-precision", "auto (bf16 where measured 1.2x faster), fp32 or bf16", metavar="PRECISION")


def setting(config: pytest.Config, name: str) -> Any:
    """An option's value: the command line's, else the ini's (``None`` when neither is given)."""
    value = config.getoption(name)
    if value is not None or name in COMMAND_LINE_ONLY:
        return value
    return config.getini(name)  # a value pytest cannot convert raises (``_typed_problems`` says which)


def written(config: pytest.Config) -> tuple[Path, ...]:
    """The files and folders the session writes but the README (whose summary alone it writes)."""
    return tuple(path for name in OUTPUTS if name != "readme" and (path := path_setting(config, f"claims_{name}")))


def path_setting(config: pytest.Config, name: str) -> Path | None:
    """A path option: from the invocation directory on the command line, from the ini file's directory
    in the ini, never from wherever the rootdir landed; ``~`` (and ``$VAR`` in the ini) expanded, as pytest
    reads its ``cache_dir``."""
    if config.getoption(name) is not None:
        return config.invocation_params.dir / user_path(config.getoption(name))
    value = setting(config, name)
    if not value:
        return None
    base = config.inipath.parent if config.inipath else config.invocation_params.dir
    return setting_path(base, value)


def option_problems(config: pytest.Config, writes_report: bool = True) -> list[str]:
    """What is wrong with the session's claimbench options, each as ``<option>: problem`` (``named``); a session that
    cannot write the verdict report (``writes_report`` false) is not refused for the file that report would replace."""
    problems = _typed_problems(config)
    if problems:  # the values below cannot be read
        return problems + _path_problems(config)
    for name in NUMBERS:
        value = setting(config, f"claims_{name}")
        if value is not None and not WANTED[name][1](value):
            problems.append(_wrong_number(config, name, value))
    device = setting(config, "claims_train_device")
    if device is not None and not _DEVICE.fullmatch(device):
        problems.append(f"{named(config, 'train_device')}: must be cpu, cuda, cuda:N or mps, got {device!r}")
    precision = setting(config, "claims_train_precision")
    if precision not in (None, "auto", "fp32", "bf16"):
        problems.append(f"{named(config, 'train_precision')}: must be auto, fp32 or bf16, got {precision!r}")
    if setting(config, "claims_cluster"):
        problems.extend(_cluster_problems(config))
    overwrite = _overwrite_problems(config) if writes_report else []
    return problems + _path_problems(config) + overwrite + _data_root_problems(config)


def _whole(value: object) -> bool:
    """Whether an option's value (an int, or a string as written) is a whole number of at least 1."""
    return str(value).isdecimal() and int(str(value)) >= 1


def _positive(value: object) -> bool:
    """Whether an option's value (a number, or a string as written) is a finite number above 0."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except ValueError:
        return False
    return math.isfinite(number) and number > 0


WANTED: dict[str, tuple[str, Callable[[object], bool]]] = {
    "train_seeds": ("a whole number >= 1", _whole), "train_min_seeds": ("a whole number >= 1", _whole),
    "train_budget": ("a positive number of seconds", _positive)}
"""What each of ``NUMBERS`` must be, in words, and the check of a value."""


def named(config: pytest.Config, name: str) -> str:
    """An option as a problem names it: ``--claims-<name>``, after its ini key when the ini gave its value (a user
    who never typed the option is told which key to fix). Every problem of an option's value begins with it."""
    flag = f"--claims-{name.replace('_', '-')}"
    return flag if config.getoption(f"claims_{name}") is not None else f"claims_{name} (ini) / {flag}"


def _wrong_number(config: pytest.Config, name: str, value: object) -> str:
    """The problem of a number option's value: a string quoted as written, a number the ini typed as its text
    would read (``0``, not ``0.0``)."""
    shown = f"{value:g}" if isinstance(value, float) else repr(value)
    return f"{named(config, name)}: must be {WANTED[name][0]}, got {shown}"


def _data_root_problems(config: pytest.Config) -> list[str]:
    """A data root given (the option, or its ini key) that is no folder: said now, not by every training claim's
    skip. ``--claims-download`` creates a missing one. A stale ``$CLAIMBENCH_DATA`` is no option given, and stops
    no session that needs no data: the claims that need it say so (``data.DataMissing``)."""
    root, where = path_setting(config, "claims_data_root"), named(config, "data_root")
    if root is None or os.path.isdir(root):
        return []
    if os.path.lexists(root):
        return [f"{where}: {root}: not a folder"]
    return [] if setting(config, "claims_download") else [f"{where}: {root}: no such directory"]


def _typed_problems(config: pytest.Config) -> list[str]:
    """The typed ini values that pytest cannot read as their type (``claims_download = maybe``,
    ``claims_train_seeds = two``)."""
    problems = []
    for name in TYPED:
        try:
            setting(config, f"claims_{name}")
        except (pytest.UsageError, ValueError, TypeError) as error:  # pytest's own "invalid truth value 'maybe'"
            raw = _raw(config, f"claims_{name}", error)
            if name in BOOLEANS:
                problems.append(f"{named(config, name)}: {error}; give true or false")
            elif raw is not None and not WANTED[name][1](raw):
                problems.append(_wrong_number(config, name, raw))
            else:  # a number, of the wrong TOML type ("2" for 2): pytest's own words
                problems.append(f"{named(config, name)}: {str(error).splitlines()[0]}")
    return problems


def _raw(config: pytest.Config, name: str, error: Exception) -> str | None:
    """An ini value as written: the last ``-o name=value``, else the configuration file's, which pytest's own
    error quotes last ("... got str: 'two'", "invalid literal for int() ...: 'two'")."""
    overrides = [o.partition("=")[2] for o in config.getoption("override_ini") or () if o.partition("=")[0] == name]
    quoted = re.search(r"'([^']*)'$", str(error).splitlines()[0])
    return overrides[-1] if overrides else quoted[1] if quoted else None


def _path_problems(config: pytest.Config) -> list[str]:
    """The path options given empty on the command line, the written ones that a run could not write, and a claims
    JSON it could not read."""
    problems = []
    for name in PATHS:
        given = config.getoption(f"claims_{name}")
        if given is not None and not given.strip():
            problems.append(f"{named(config, name)}: empty; give a path")
            continue
        path, written = path_setting(config, f"claims_{name}"), name in OUTPUTS or name in FOLDERS
        problem = unwritable(path, folder=name in FOLDERS) if path and written else None
        text = given if given is not None else setting(config, f"claims_{name}")
        if name in OUTPUTS and name not in FOLDERS and isinstance(text, str) and text.endswith(_SEPARATORS):
            problem = f"{text} names a folder (it ends in {os.sep}), not a file"  # a Path drops the separator
        if not problem and name == "json" and path and os.path.isfile(path) and not os.access(path, os.R_OK):
            problem = unreadable(path)  # its records are carried over
        if problem:
            problems.append(f"{named(config, name)}: {problem}")
    return problems


def _overwrite_problems(config: pytest.Config) -> list[str]:
    """The verdict report given the README's path, or that of any other file of the author's: writing it would
    replace that file (a folder: ``_path_problems`` says so)."""
    from claimbench.drift import same_file

    report, readme = (path_setting(config, f"claims_{name}") for name in ("report", "readme"))
    if report and readme and not report.is_dir() and same_file(report, readme):
        return [f"{named(config, 'report')}: {report} is also {named(config, 'readme')}: the verdict report would "
                "replace the README; name another file"]
    foreign = replaced_problem(report) if report else None
    return [f"{named(config, 'report')}: {foreign}"] if foreign else []


def replaced_problem(report: Path) -> str | None:
    """Why the verdict report may not be written to ``report``: a file of the author's that it would replace
    (``readme_markers.not_a_verdict_report``); None where it may."""
    from claimbench.readme_markers import not_a_verdict_report

    foreign = not_a_verdict_report(report)
    if foreign is None:
        return None
    return (f"{foreign}: the verdict report would replace it; name another file, or delete it if it is an old "
            "claimbench report")


def _cluster_problems(config: pytest.Config) -> list[str]:
    """The cluster's address cannot be resolved, or pytest-xdist would plan the runs once per worker."""
    from claimbench.runs import cluster

    if getattr(config.option, "numprocesses", None):
        return [f"{named(config, 'cluster')}: the cluster trains the runs in parallel; drop -n"]
    try:
        cluster.address(setting(config, "claims_cluster"))
    except ValueError as error:
        return [f"{named(config, 'cluster')}: {error}"]
    return []


def _read_before_the_ini(config: pytest.Config) -> list[tuple[str, str]]:
    """The arguments pytest read before it chose its ini file, each with where it was given: ``PYTEST_ADDOPTS``'s
    (split as pytest splits them), then the command line's. The ini file's own ``addopts`` are read after pytest
    chose it, and so hide nothing."""
    given = [(arg, " in PYTEST_ADDOPTS") for arg in shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))]
    return given + [(str(arg), "") for arg in config.invocation_params.args]


def _after_a_space(config: pytest.Config) -> list[tuple[str, str, str]]:
    """Each ``--claims-*`` option that pytest read before its ini file with its value after a space
    (``separated``): the option, the value and where the option was given (``_read_before_the_ini``)."""
    given = _read_before_the_ini(config)
    return [(option, value, where) for (option, where), (value, _) in zip(given, given[1:])
            if separated(option, value)]


def separated(option: str, value: str) -> bool:
    """Whether ``option value`` is a ``--claims-*`` option given its value after a space: pytest looks for its ini
    file before it knows plugin options, and takes such a value for a path to test."""
    return option.startswith("--claims-") and "=" not in option and option not in FLAGS and not value.startswith("-")


def taken_for_a_path(config: pytest.Config) -> str | None:
    """Why pytest read another project's configuration: a ``--claims-*`` value given after a space, on the command line
    or in ``PYTEST_ADDOPTS``, that names an existing path (``--claims-dir ../B/claims``) is, to pytest's first look at
    its arguments, which knows no plugin option yet, a path to test, and pytest looks for its ini file from the paths to
    test (pytest issue #8846). A plugin cannot take part in that look, so it says so: None where the ini file (else the
    rootdir) pytest chose lies above the paths tested (the current folder when none is named), as it would without the
    value, and where ``-c`` chose it, or ``--rootdir`` with no ini file found (an ini file is looked for from the paths
    to test under ``--rootdir`` too)."""
    if config.option.inifilename or config.option.rootdir and config.inipath is None:
        return None
    here = config.invocation_params.dir
    chosen = (config.inipath.parent if config.inipath else config.rootpath).resolve()
    named = [here / str(arg).partition("::")[0] for arg in config.option.file_or_dir or ()]
    folders = [str(path if path.is_dir() else path.parent) for path in named if path.exists()]
    tested = Path(os.path.commonpath(folders)) if folders else here
    if tested.resolve().is_relative_to(chosen):
        return None
    for option, value, where in _after_a_space(config):
        if (here / value).exists() and (here / value).resolve().is_relative_to(chosen):
            read = f"read {config.inipath}" if config.inipath else f"took {config.rootpath} for its rootdir"
            return (f"write {option}={value}, not {option} {value}{where}: pytest looks for its ini file before it "
                    f"knows plugin options, took {value!r} for a path to test and {read}, another project's "
                    "configuration")
    return None


def unconfigured(config: pytest.Config) -> str | None:
    """Why a session given ``--claims-*`` options on its command line (or in ``PYTEST_ADDOPTS``) has no ledger, or
    None when it was given none (an ini file's output settings alone leave the plugin inert). A value after a space
    hid the ini file only where it names an existing path: pytest looks for its ini file from the paths it was given
    that exist."""
    for option, value, where in _after_a_space(config):
        if os.path.lexists(config.invocation_params.dir / value):
            return (f"no ledger configured; write {option}={value}, not {option} {value}{where}: pytest looks for "
                    f"its ini file before it knows plugin options, and took {value!r} for a path to test")
    wanted = [f"--claims-{name}" for name in OUTPUTS if config.getoption(f"claims_{name}")]
    if wanted:
        return f"{wanted[0]}: there is no ledger to report on: give --claims-dir=DIR, or claims_dir in the ini file"
    return None


def unconfigured_ledgers(config: pytest.Config) -> list[str]:
    """How to configure a ledger, a line for each file the command line names that reads as one (``_a_ledger``),
    where none is configured: pytest itself finds nothing there to collect, and says only "not found"."""
    lines = []
    for arg in config.args:
        typed = Path(arg.partition("::")[0])
        path = config.invocation_params.dir / typed
        if path.suffix != ".toml" or not _a_ledger(path):
            continue
        folder = typed.parent.as_posix()  # --claims-dir is read from the invocation directory
        ini = config.inipath or config.invocation_params.dir / "pytest.ini"  # where there is none, one written here
        value = Path(os.path.relpath(path.parent, ini.parent)).as_posix()  # claims_dir: from the ini file's folder
        line = f"claims_dir = {json.dumps(value) if ini.suffix == '.toml' else value}"
        named = os.path.relpath(ini, config.invocation_params.dir) if config.inipath else "a pytest.ini here"
        lines.append(f"{arg} is a claims ledger, but no ledger is configured: set {line} in the [{_ini_table(ini)}] "
                     f"section of {named}, or pass --claims-dir={shlex.quote(folder)}")
    return lines


def _ini_table(ini: Path) -> str:
    """The section of the configuration file ``ini`` that pytest reads: of a ``pyproject.toml``, ``[tool.pytest]``
    where it holds more than ``ini_options`` (pytest 9's own), else ``[tool.pytest.ini_options]``."""
    if ini.name == "setup.cfg":
        return "tool:pytest"
    if ini.name != "pyproject.toml":
        return "pytest"
    try:
        table = tomllib.loads(ini.read_text(encoding="utf-8")).get("tool", {}).get("pytest", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        table = {}
    return "tool.pytest" if set(table) - {"ini_options"} else "tool.pytest.ini_options"


def _a_ledger(path: Path) -> bool:
    """Whether a file reads as a claims ledger: a ``[report]`` table beside a ``format`` key or ``[[claim]]``
    entries, which no other project's TOML (``pyproject.toml``) holds together; a regular file only (a FIFO's
    read may block for ever)."""
    if not path.is_file():
        return False
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(document.get("report"), dict) and ("format" in document or "claim" in document)


def project(config: pytest.Config) -> Path:
    """The project's folder: the ini file's, else the rootdir."""
    return config.inipath.parent if config.inipath else config.rootpath


def pythonpath(config: pytest.Config) -> list[str]:
    """The ``pythonpath`` ini's folders, which pytest put first on ``sys.path``."""
    return [str(path) for path in config.getini("pythonpath")]


def results_dir(config: pytest.Config) -> Path:
    """The run store: ``--claims-results-dir``, else the project's ``runs/``."""
    return path_setting(config, "claims_results_dir") or project(config) / "runs"


def session(config: pytest.Config) -> str:
    """The session's id, shared by the controller and its pytest-xdist workers."""
    return getattr(config, "workerinput", {}).get("testrunuid") or config.stash.setdefault(session_key,
                                                                                             uuid.uuid4().hex)


def retrain_begun_by(config: pytest.Config) -> str:
    """Under ``--claims-retrain``, the session that began the retrain this one carries on: an interrupted retrain's,
    whose record the run store keeps, else this session's, which the controller records (``claimbench.runs.retrains``)
    once it selects a training claim, and says, once it selects one, when it carries one on. Empty without
    ``--claims-retrain``."""
    from claimbench import progress
    from claimbench.runs import retrains

    if not config.getoption("claims_retrain"):
        return ""
    worker = getattr(config, "workerinput", None)
    if worker is not None:
        return str(worker.get(RETRAIN, ""))  # "": no controller's retrain, the session's own
    if retrain_key not in config.stash:
        config.stash[retrain_key] = retrains.begin(results_dir(config), session(config),
                                                   config.stash.get(selected_key, []), progress.reporter(config))
        _say_carried_on(config)
    return config.stash[retrain_key].session


def _say_carried_on(config: pytest.Config) -> None:
    """Say that the controller's retrain carries on an earlier one, once it has begun and selected a training claim:
    a session that selects none trains nothing, and says nothing of the retrain, with pytest-xdist or without."""
    from claimbench import progress

    retrain = config.stash[retrain_key]
    if retrain.carried_on and config.stash.get(selected_key, []):
        progress.reporter(config)(retrain.carried_on_line(results_dir(config)))


def select_for_retrain(config: pytest.Config, claims: list[str]) -> None:
    """Note the training claims a ``--claims-retrain`` controller's session selected, before any of them runs: its
    record owes them until a retrain of it that runs to its end measures them (under pytest-xdist, the retrain has
    begun, with its workers, before they collect)."""
    from claimbench import progress
    from claimbench.runs import retrains

    if not config.getoption("claims_retrain"):
        return
    before = config.stash.get(selected_key, [])
    config.stash[selected_key] = sorted({*before, *claims})
    if retrain_key in config.stash:
        retrains.owe(results_dir(config), config.stash[retrain_key], claims, progress.reporter(config))
        if not before:
            _say_carried_on(config)


def settings(config: pytest.Config) -> Settings:
    """The session's training settings, from the options and ini values."""
    from claimbench import progress
    from claimbench.runs import cluster
    from claimbench.runs.settings import Settings, worker_device

    worker = getattr(config, "workerinput", {})
    seeds, budget = setting(config, "claims_train_seeds"), setting(config, "claims_train_budget")
    least = setting(config, "claims_train_min_seeds")
    address = setting(config, "claims_cluster")
    return Settings(
        device=worker_device(setting(config, "claims_train_device") or "cuda", worker.get("workerid")),
        seeds=int(seeds) if seeds is not None else None,
        min_seeds=int(least) if least is not None else 1,
        data_root=path_setting(config, "claims_data_root"),
        budget_seconds=float(budget) if budget is not None else None,
        retrain=bool(config.getoption("claims_retrain")),
        retrain_begun_by=retrain_begun_by(config),
        results_dir=results_dir(config),
        allow_unverified=bool(setting(config, "claims_allow_unverified_data")),
        download=bool(setting(config, "claims_download")),
        compile=bool(setting(config, "claims_train_compile")),
        session=session(config),
        ledger=config.stash[ledger_path_key],
        written=written(config),
        readme=path_setting(config, "claims_readme"),
        progress=progress.reporter(config),
        precision=setting(config, "claims_train_precision") or "auto",
        cluster=cluster.address(address) if address else None,
    )
