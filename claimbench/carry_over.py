"""Which records of an earlier run a run's files keep: its results JSON read back (or set aside where it cannot be
read), each record kept, dropped for what changed since (the claim, its model's code, the software), or hidden.

Records in, records out: no rendering. Imports neither pytest nor torch.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from claimbench import atomic
from claimbench.errors import ClaimbenchWarning, warn
from claimbench.ledger import Claim, Report
from claimbench.results import (DROPPED, JSON_FORMAT, Outcome, claim_digest, model_digest, model_files, record_for,
                                record_problem)
from claimbench.verdict import CHECKED, follows

__all__ = ["Unreadable", "carry_over", "dropped_summary"]

Record = Mapping[str, Any]


SOFTWARE = ("claimbench", "torch", "torchvision", "torchinfo")
"""What measures: a record measured by another version of any of them is not kept (claimbench's commit aside)."""


def _software(environment: Any) -> dict[str, str | None]:
    """The version of each of ``SOFTWARE`` an environment record names (None: it names none)."""
    named = environment if isinstance(environment, dict) else {}
    return {key: str(named[key]).split(" (")[0] if key in named else None for key in SOFTWARE}


def carry_over(records: Sequence[Record], previous: Path | str, reports: Sequence[Report],
               environment: Mapping[str, str], stale: Collection[str] = (), *, keep_earlier: bool = True
               ) -> list[Record]:
    """This run's records plus, for every other claim of the ledger, its record from ``previous`` (a JSON
    ``report.render_json`` wrote), marked ``carried``, when the claim, its model's code and the ``SOFTWARE`` of
    ``environment`` are unchanged since: a partial run blanks nothing, and an edited claim or model, or an upgraded
    torch, keeps no verdict it was not judged by. The note is the ledger's own. A record not kept for such a change
    becomes a ``not run`` one that says why, marked ``dropped`` with the words for the change, which hides it and the
    ``SOFTWARE`` and ledger it was measured with: a later partial run judges the hidden record again, so that the claim
    says why until it is measured, and the record comes back once what changed is as it was (a model file restored).
    A ``dropped`` record that hides none (of a claimbench before this one) is kept as it is.

    The record of a ``stale`` claim (its report no longer prints it as the ledger copies it) is this run's error,
    marked ``stale``; it hides the record it replaces, which comes back once the report prints the claim again.

    An earlier record with a field missing or of the wrong type (``results.record_problem``: a hand-edited JSON) is
    not kept, and a ``ClaimbenchWarning`` names the file, the claim and the field.

    Without ``keep_earlier`` (a ``--claims-retrain`` run) no earlier record is shown: each measured one becomes a
    ``not run`` record marked ``dropped`` with ``LEFT_OUT`` that hides it, as a dropped record does, so that a later
    run without ``--claims-retrain`` judges it again and nothing of an author's JSON is lost (an ``unverifiable``
    claim's is left to the ledger); the ``dropped`` ones that hide none are left out."""
    claims = {c.id: c for report in reports for c in report.claims}
    earlier, then, lost = _earlier(previous)
    if not keep_earlier:  # what nobody can check is the ledger's word, shown as ever (``results.complete``)
        earlier = {cid: r for cid, r in earlier.items() if cid in claims and not claims[cid].status}
    why = {cid: (_software_change(then[cid], environment) or _claim_change(r, claims[cid])) if keep_earlier
           else LEFT_OUT for cid, r in earlier.items() if cid in claims}
    kept = {cid: r for cid, r in earlier.items() if cid in why and not why[cid]}
    ran = [{**r, "stale": True, **({"hidden": kept[r["id"]]} if r["id"] in kept else {})} if r["id"] in stale
           else r for r in records]
    done = {r["id"] for r in records}
    carried = [{**r, "carried": True, "note": claims[cid].note} for cid, r in kept.items() if cid not in done]
    dropped = [_dropped(claims[cid], earlier[cid], then[cid], words) for cid, words in why.items()
               if words and cid not in done]
    still = [{**r, "note": claims[cid].note} for cid, r in lost.items()
             if keep_earlier and cid in claims and cid not in done]
    return [*ran, *carried, *dropped, *still]


class Unreadable(Exception):
    """A results JSON this process cannot read (another user's, an I/O error): renamed aside, its earlier records
    would be lost, so nothing is written; the message is one line naming it (``atomic.unreadable``)."""


def _earlier(previous: Path | str) -> tuple[dict[str, Any], dict[str, Mapping[str, Any]], dict[str, Any]]:
    """Of the JSON at ``previous``, by claim id: the measured records (a ``stale`` or ``dropped`` one's hidden
    record), the environment each was measured in (a dropped one's ``hidden_environment``, else the JSON's), and the
    ``dropped`` records that hide none; none where there is no file, or one ``_set_aside``. A drift error is never
    carried, not even one hidden under another. A file this process cannot read is ``Unreadable``, and left as it
    is."""
    path = Path(previous)
    try:
        document = jsonlib.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
            raise ValueError("no 'claims' list")
        written = document.get("format", JSON_FORMAT)
        if not isinstance(written, int) or isinstance(written, bool) or written > JSON_FORMAT:
            raise ValueError(f"format {written!r}, newer than this claimbench reads ({JSON_FORMAT})")
    except FileNotFoundError:
        return {}, {}, {}
    except OSError as error:  # no permission, an I/O error: ours to fail on, not a fault of what it holds
        raise Unreadable(atomic.unreadable(path, error)) from None
    except ValueError as error:  # a JSONDecodeError, a UnicodeDecodeError
        _set_aside(path, str(error))
        return {}, {}, {}
    claims, environment = document["claims"], document.get("environment")
    measured, measured_in, lost = {}, {}, {}
    for number, record in enumerate(claims, 1):
        within = environment
        if isinstance(record, dict) and (record.get("stale") or record.get("dropped") and "hidden" in record):
            record, within = record.get("hidden"), record.get("hidden_environment", environment)
        if not isinstance(record, dict) or not (record.get("date") or record.get("dropped")) or record.get("stale"):
            continue  # never measured, or a drift error
        problem = record_problem(record)
        if problem is not None:
            name = record["id"] if isinstance(record.get("id"), str) else f"claim #{number}"
            warn(f"{previous}: {name}: {problem}; not carried over", previous)
        elif record.get("date"):
            measured[record["id"]], measured_in[record["id"]] = record, within if isinstance(within, dict) else {}
        else:
            lost[record["id"]] = record
    return measured, measured_in, lost


UNREAD = "unread"
"""The label a results JSON that a run could not read is set aside under: ``<name>.unread-<n>``, the first free
(``atomic.set_aside``)."""


def _set_aside(path: Path, why: str) -> Path:
    """Rename a results JSON that this claimbench cannot read (cut short, not a claims JSON, of a newer
    ``JSON_FORMAT``) to its first free ``UNREAD`` name beside it, so that the file a run writes in its place loses
    nothing, and say so first in a ``ClaimbenchWarning``. Where the user's warning filter makes that warning an error
    (``-W error``), nothing is written, so the file is left where it is, and the error says so."""
    unread = f"{path}: not a claims JSON this claimbench reads ({why})"

    def warn_first(aside: Path) -> None:
        try:
            warn(f"{unread}: renamed to {aside.name}; no earlier record is carried over", path)
        except ClaimbenchWarning:
            raise ClaimbenchWarning(f"{unread}: left as it is (a warning filter makes renaming it to {aside.name} an "
                                    "error)") from None

    return atomic.set_aside(path, UNREAD, warn_first)


def _software_change(then: Mapping[str, Any], now: Mapping[str, str]) -> str:
    """How the ``SOFTWARE`` of two environments differ, in words (``measured with other software (torch 2.3)``);
    empty where they do not."""
    before, after = _software(then), _software(now)
    changed = [f"{name} {before[name] or 'unrecorded'}" for name in SOFTWARE if before[name] != after[name]]
    return f"measured with other software ({', '.join(changed)})" if changed else ""


LEFT_OUT = "left out, as --claims-retrain keeps no earlier record"
"""Why a retrain's files show none of the earlier records: a committed claims JSON is its author's file, unsigned."""
OTHER_CODE = "measured with other model code"
"""Why a record of a model whose code changed since is dropped; ``_files_change`` names the files."""
NAMED_FILES = 3
"""The most files ``_files_change`` names; it counts the others."""


def _claim_change(record: Record, claim: Claim) -> str:
    """Why a measured record is no record of this claim, in words: it was measured against another version of
    the claim (``claim_digest``) or other code of its model (``model_digest``, naming the files that changed where
    the record has their ``model_files``: a verdict on a number that names none, of a claim whose model has one, is
    of unknown code; so is a record of a model whose code cannot be read now, which may have changed), or its verdict
    is not the one the judge gives its figures (``verdict.follows``); empty where it is one."""
    if record.get("claim_digest") != claim_digest(claim):
        return "measured against another version of this claim in the ledger"
    then, now = record.get("model_digest"), model_digest(claim)
    if claim.model and now is None and (then is not None or record.get("verdict") in CHECKED):
        return "measured with model code that cannot be read now"
    if now is not None and then != now and (then is not None or record.get("verdict") in CHECKED):
        return OTHER_CODE + _files_change(record.get("model_files"), model_files(claim))
    return "" if follows(record, claim) else "judged otherwise than its own figures say"


def _files_change(then: Mapping[str, str] | None, now: Mapping[str, str] | None) -> str:
    """Which files of a model's code changed between two ``model_files``, in words (`` (changed: models/mlp.py;
    added: models/extra.py and 2 more)``); empty where either is unknown (a record of an older claimbench) or no
    file differs (a ``functools.partial``'s arguments did)."""
    if then is None or now is None:
        return ""
    groups = (("changed", sorted(name for name in then.keys() & now.keys() if then[name] != now[name])),
              ("added", sorted(now.keys() - then.keys())), ("removed", sorted(then.keys() - now.keys())))
    parts, left = [], NAMED_FILES
    for what, names in groups:
        if names and left:
            parts.append(f"{what}: {', '.join(names[:left])}")
            left -= len(names[:left])
    more = sum(len(names) for _, names in groups) - NAMED_FILES
    return f" ({'; '.join(parts)}{f' and {more} more' if more > 0 else ''})" if parts else ""


def _dropped(claim: Claim, record: Record, environment: Mapping[str, Any], words: str) -> dict[str, Any]:
    """The ``not run`` record of a claim whose earlier record, measured in ``environment``, is not kept, naming that
    record and ``words``, and hiding it with the ``SOFTWARE`` and ledger of its environment."""
    ledger = environment.get("ledger")
    when = f"{record['date']}, ledger {ledger}" if ledger else record["date"]
    reason = DROPPED.format(when=when, why=words)
    measured_with = {key: environment[key] for key in (*SOFTWARE, "ledger") if key in environment}
    return {**record_for(claim, Outcome(skipped=reason), None), "dropped": words, "hidden": record,
            "hidden_environment": measured_with}


def dropped_summary(records: Sequence[Record]) -> str:
    """One line on the earlier records a run dropped, counted by why (``words``; those of other model code together,
    whichever files changed); empty where it dropped none."""
    tally: dict[str, int] = {}
    for record in records:
        if words := record.get("dropped"):
            words = OTHER_CODE if words.startswith(OTHER_CODE) else words  # whichever files changed
            tally[words] = tally.get(words, 0) + 1
    if not tally:
        return ""
    total = sum(tally.values())
    return (f"claimbench: {total} earlier record{'s' * (total != 1)} dropped, shown as not run: "
            + "; ".join(f"{n} {words}" for words, n in sorted(tally.items())))
