"""`claimbench draft REPORT.md [--slug NAME] [-o FILE]`: a first v2 ledger from a markdown report.

The report is read with markdown-it-py (CommonMark plus GFM tables) as text only: nothing in it is imported or
executed. The draft copies every table verbatim, makes one claim per numeric cell (value, scale and tolerance parsed
from the printed form, kind guessed from the column header; "60-65%" an interval, "88.7 ± 0.3" a value with the
author's band), writes an explicit ``TODO`` for what only the author knows (model, count convention, recipe, how
many runs a mean of runs averages, ...), which the ledger loader rejects until it is filled in, a training claim's
``dataset`` and an epoch time's ``hardware`` where the report names one alone, a ``split`` its header names, Keras's
count and layout in a table Keras printed, the recipe's settings its running text and its tables of hyperparameters
state (draft_recipe.py), a commented-out ``input`` line on a table of parameter counts (needed only where a lazy
model's whole count is built), and lists as commented-out candidate claims the numbers of the running text, beside
their sentence, the totals of a model summary in a code block, beside their line, and each cell with a digit that it
cannot read as a number. A table written in HTML is not read as one: the command says how many it left.
A table's claims are made in draft_tables.py; this module writes the ledger. Torch-free.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from claimbench import (atomic, draft_recipe, draft_tables, draft_text, draft_values, markdown_tables, model_summaries,
                        numerals, report_text, vocab)
from claimbench.draft_tables import EARLIER_EPOCH, FLOPS_COUNT, INPUT_SIZE, SIZE_INPUT, UNREAD, Context
from claimbench.draft_values import (BOUND_COUNT_UNIT, COUNT_UNIT, FRACTION_BAND, FRACTION_SCALE, PERCENT_KINDS,
                                     PERCENT_OR_FRACTION_BAND, PERCENT_OR_FRACTION_SCALE, RELATIVE_BAND, RELATIVE_KINDS,
                                     SIZE_UNIT, TIME_UNIT, TRAINING_BAND, UNIT_TODOS, UNKNOWN_FRACTION_BAND,
                                     UNKNOWN_KIND_BAND)
from claimbench.hardware_names import named_machine
from claimbench.kind_words import UNKNOWN_KIND, UNMEASURED_KIND, named_dataset
from claimbench.markdown_tables import Scan, Table, slug, unique
from claimbench.toml_lines import Guess, keys, toml
from claimbench.user_paths import shown

__all__ = ["BOUND_COUNT_UNIT", "COUNT_UNIT", "FLOPS_COUNT", "FRACTION_BAND", "FRACTION_SCALE", "INPUT_SIZE",
           "LAZY_PARAMS_INPUT", "PERCENT_KINDS", "PERCENT_OR_FRACTION_BAND", "PERCENT_OR_FRACTION_SCALE",
           "RELATIVE_BAND", "RELATIVE_KINDS", "SIZE_INPUT", "SIZE_UNIT", "TIME_UNIT", "TRAINING_BAND",
           "UNKNOWN_FRACTION_BAND", "UNKNOWN_KIND_BAND", "draft", "html_tables", "slug_argument", "source_name",
           "unread_html", "write"]


def draft(markdown_text: str, *, slug: str, source: str | None, unsourced: str | None = None) -> str:
    """A v2 ledger (TOML text) for the markdown report ``markdown_text``; ``source`` is its file name; ``unsourced``:
    the path of a report no ``source`` can name, written in a comment."""
    scan = markdown_tables.scan(markdown_text)
    sentences = tuple(sentence for _, text in scan.prose for sentence in draft_text.sentences(text))
    texts = tuple(_texts(scan))
    context = Context(slug=slug, source=source, sentences=sentences, dataset=named_dataset(texts),
                      hardware=named_machine(texts), models=draft_tables.row_models(scan.tables))
    found = scan.tables
    lines = [
        "# Drafted by `claimbench draft`. Fill in every TODO (the ledger loader rejects any left)",
        "# and delete the claims that are not claims.",
        "format = 2",
        "",
        "[report]",
        *keys({"title": scan.title or slug, **({"source": source} if source else {})}),
        *([f"# no source: a run reads one only from the ledger's folder, the one above it or the project's, and "
           f"{toml(unsourced)} lies in none of them (or another file there has its path): its claims are not "
           "compared with what it prints; set source to its URL for REPORT.md to name it (a URL is not compared)"]
          if unsourced else []),
        '# modules = ["your_package.models"]  # the modules whose import registers the names claims use as model',
    ]
    claims = [(table, list(draft_tables.table_claims(table, context))) for table in found]
    candidates = _candidates(scan.prose, context)
    trained = [claim for _, group in (*claims, *candidates) for claim in group if "recipe" in claim]
    if trained:  # live where a live claim names it; else commented out, as its TODOs would stop the loader
        live = any(not _commented(claim) for _, group in claims for claim in group if "recipe" in claim)
        rows = tuple(row for table in found for row in draft_tables.setting_rows(table))
        lines += ["", *_recipe_lines(slug, sentences, tuple(scan.headings), rows, commented=not live)]
    for table, table_claims in claims:
        shared = _shared(table, table_claims)
        lines += ["", "[[table]]", *_table_lines(table), *keys(shared), *_lazy_input_lines(table_claims, shared),
                  *_settings_lines(table)]
        for claim in table_claims:
            lines += ["", *_claim_lines({key: value for key, value in claim.items() if key not in shared})]
    lines += _candidate_lines(candidates) + _summary_lines(scan.code, context)
    return "\n".join(lines) + "\n"


def _texts(scan: Scan) -> Iterator[str]:
    """The report's texts that may name the dataset it trains on and the machine it timed on: its headings, its
    running text (an HTML block's too) and its tables' cells; not its code, which may load several."""
    yield from scan.headings
    yield from (text for _, text in (*scan.prose, *scan.html))
    for table in scan.tables:
        yield from map(numerals.plain_text, (*table.columns, *(cell for row in table.rows for cell in row)))


def html_tables(markdown_text: str) -> int:
    """How many tables of numbers the report's HTML blocks hold that the draft does not read as tables (not plain:
    a cell spanning others, rows of unequal length, a table inside)."""
    return markdown_tables.scan(markdown_text).html_tables


def unread_html(count: int) -> str:
    """The line that says ``count`` HTML tables were not read as tables, so their numbers need claims by hand."""
    return (f"{count} HTML table(s) not read as tables (draft reads markdown tables, and HTML ones with a header row, "
            "rows of equal length and no cell spanning others): write the claims of their numbers by hand, each with "
            "its printed text and no cell")


def source_name(report: Path, folders: Sequence[Path]) -> str | None:
    """``[report] source``: the report's path from the first of ``folders`` (those a run looks for it in to compare
    it with the ledger, first found first) that holds it, where a run finds this very file by that path; None where
    none does, as a run would compare the ledger with another file, or none. ``ValueError`` for a name that is not
    UTF-8 (bytes a Linux file name may hold), which no TOML string can hold."""
    from claimbench.drift import first_file, same_file

    target = report.resolve()
    for folder in map(Path.resolve, folders):
        name = target.relative_to(folder).as_posix() if target.is_relative_to(folder) else None
        if name is not None and (found := first_file(name, folders)) is not None and same_file(found, target):
            return _utf8(name)
    return None


def _utf8(text: str) -> str:
    """``text``, which a ledger can hold; ``ValueError`` where it is no UTF-8 (bytes a Linux file name may hold)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"its name {shown(text)!r} is not UTF-8, which a ledger's source cannot hold: rename the "
                         "file") from None
    return text


def write(report: Path, *, slug_name: str | None = None, output: Path | None = None, force: bool = False,
          project: Path | None = None) -> int:
    """`claimbench draft REPORT.md [--slug NAME] [-o FILE [--force]]`: write the draft to stdout or ``output``; its
    ``source`` is the report's path from the folder of ``output``, the one above it or ``project`` (default: this
    folder), where a run finds it (only ``project`` for stdout), else a comment gives its path. The exit status."""
    try:
        text = report_text.read(report)
    except report_text.NotText as error:
        return _said(error)
    except OSError as error:
        return _fail(report, error.strerror or error)
    named = _slug_source(report, output)
    project = project or Path.cwd()
    here = Path(os.path.abspath(output)).parent if output is not None else None  # "../x.toml": .. made a folder
    folders = [here, here.parent, project] if here is not None else [project]
    try:
        source = source_name(report, folders)
        unsourced = None if source else _utf8(str(report.resolve()))
    except ValueError as error:
        return _fail(report, error)
    ledger = draft(text, slug=slug_name or slug(named) or "report", source=source, unsourced=unsourced)
    if count := html_tables(text):
        print(f"claimbench draft: {shown(report)}: {unread_html(count)}", file=sys.stderr)
    elif not _DRAFTED.search(ledger):
        print(f"claimbench draft: {shown(report)}: {NOTHING_FOUND}", file=sys.stderr)
    if output is None:
        sys.stdout.write(ledger)
        return 0
    from claimbench.drift import same_file

    if same_file(output, report):  # --force or not: the draft would replace what it is drafted from
        return _fail(output, "is the report the ledger is drafted from: name another file")
    if output.is_file() and not force:
        return _fail(output, "exists, and may hold an author's edits: pass --force to replace it")
    try:
        atomic.write_text(output, ledger)
    except OSError as error:
        return _fail(output, error)
    return 0


def _slug_source(report: Path, output: Path | None) -> str:
    """The name a draft's default slug is made of: ``output``'s stem, which the loader takes its claims' id prefix
    from; else the report's file name, a README's folder's."""
    if output is not None and slug(output.stem):
        return output.stem
    return report.resolve().parent.name if report.stem.lower() == "readme" else report.stem


SLUG = re.compile(r"[a-z0-9_-]+")
"""A report's slug: its ledger's file name, its claims' id prefix and its recipe's name, a bare TOML key."""


def slug_argument(text: str) -> str:
    """``--slug``'s value, when it is a ``SLUG``; else the one-line reason, as argparse shows it."""
    if not SLUG.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r}: use lower-case letters, digits, '_' and '-' (it names the "
                                         "ledger's file, its claims' ids and its recipe)")
    return text


NOTHING_FOUND = "no table and no number found in it: the ledger drafted holds no claim"
"""What ``draft`` says of a report (empty, blank, words alone) that gives no claim, live or commented out."""
_DRAFTED = re.compile(r"^(?:# )?\[\[(?:claim|table)\]\]$", re.MULTILINE)
"""A table or claim, live or commented out, in a drafted ledger."""


def _fail(path: Path, error: Exception | str) -> int:
    """Say in one line what went wrong with ``path``; the exit status 1."""
    return _said(f"{shown(path)}: {error}")


def _said(error: Exception | str) -> int:
    """Say in one line what went wrong (``error`` names its file); the exit status 1."""
    print(f"claimbench draft: {error}", file=sys.stderr)
    return 1


def _recipe_lines(name: str, sentences: tuple[str, ...], headings: tuple[str, ...],
                  rows: tuple[list[str], ...] = (), *, commented: bool = False) -> list[str]:
    """A ``[recipe.<name>]`` table of the keys every recipe needs, each a TODO naming its allowed values (the
    others, and their defaults, are in the ledger format's section 6), or the value the report's ``sentences`` and
    its tables' setting ``rows`` state, with a comment (``draft_recipe``), under a comment that quotes the sentences
    and rows read (its ``headings`` read for the framework they name); ``commented`` out, with a line that says so,
    where only commented-out claims name it."""
    recipe = draft_recipe.drafted(sentences, headings, rows)
    table = [f"[recipe.{name}]"]
    for key, line in zip(recipe.keys, keys(recipe.keys)):
        table += [*(f"# {note}" for note in recipe.notes.get(key, ())), line]
    quoted = [f"#   {toml(draft_text.comment(sentence))}" for sentence in recipe.sentences]
    read = ["# Its settings are read from the report's words (check each guess):", *quoted] if quoted else []
    if not commented:
        return ["# The training the report states, named by the claims that it trains for (recipe = ...).", *read,
                *table]
    return ["# The training the report states, named by the claims that it trains for (recipe = ...): commented out,",
            "# as every claim that names it is; uncomment it with the first of them you keep.", *read,
            *(f"# {line}" for line in table)]


def _table_lines(table: Table) -> list[str]:
    """The `[[table]]` body: id, title, columns, then one row per line."""
    lines = keys({"id": table.id, "title": table.title, "columns": table.columns})
    if not table.rows:
        return [*lines, "rows = []"]
    return [*lines, "rows = [", *(f"  {toml(row)}," for row in table.rows), "]"]


def _claim_lines(claim: dict[str, object]) -> list[str]:
    """A `[[claim]]` block, commented out where ``_commented``."""
    lines = ["[[claim]]", *keys(claim)]
    return [f"# {line}" for line in lines] if _commented(claim) else lines


def _commented(claim: dict[str, object]) -> bool:
    """Whether a table's claim is written commented out: its value is left to the author (``UNREAD``), its column
    names what claimbench does not measure ("Top-5", "Latency (ms)": ``UNMEASURED_KIND``), or it is of a row of a log
    of epochs before its last (``EARLIER_EPOCH``), which most authors would delete."""
    unmeasured = str(claim["kind"]).startswith(f"{UNKNOWN_KIND}; {UNMEASURED_KIND}")
    earlier = str(claim.get("note", "")).startswith(EARLIER_EPOCH)
    return claim.get("value") == UNREAD or unmeasured or earlier


LAZY_PARAMS_INPUT = ("# input = [C, H, W]  # only for a params claim of a model with lazy layers (nn.LazyLinear) that "
                     "registers no input size (one imported by path): the whole model's count builds its copy by a "
                     "forward on it; the table gives it to each claim that gives none")
"""The line that says, once on a table of params claims, where such a claim needs an input: only the forward that builds
a lazy model's copy runs on it, so a claim of any other model needs none, and a TODO would be one for most authors to
delete."""


LAYER_TABLE_KEYS = ("model", "input")
"""What the layers of one model share, written once on their table rather than on each claim."""


def _shared(table: Table, table_claims: list[dict[str, object]]) -> dict[str, object]:
    """The ``LAYER_TABLE_KEYS`` that every claim of a per-layer table holding them holds alike: the table gives them
    (to the claims whose kind takes them), and the author fills each in once."""
    if not draft_tables.per_layer(table):
        return {}
    shared = {}
    for key in LAYER_TABLE_KEYS:
        values = [claim[key] for claim in table_claims if key in claim]
        if len(values) > 1 and all(value == values[0] for value in values):
            shared[key] = values[0]
    return shared


def _lazy_input_lines(table_claims: list[dict[str, object]], shared: dict[str, object]) -> list[str]:
    """``LAZY_PARAMS_INPUT`` where the table holds a params claim and gives its claims no input (``shared``)."""
    held = any(claim["kind"] == "params" for claim in table_claims)
    return [LAZY_PARAMS_INPUT] if held and "input" not in shared else []


def _settings_lines(table: Table) -> list[str]:
    """A comment that names the table's settings (``draft_tables.settings``), whose cells draft no claim."""
    where, named = draft_tables.settings(table)
    if not named:
        return []
    return [f"# No claim is drafted of the cells {where} {', '.join(map(repr, named))}: a setting of a run or of a "
            "model, which claimbench does not measure."]


# --- running text: candidate claims -----------------------------------------------------------


def _candidates(prose: list[tuple[str | None, str]], context: Context) -> list[tuple[str, list[dict[str, object]]]]:
    """The candidate claims of the numbers of the running text, by sentence (those with one at least)."""
    found = []
    for section, text in prose:
        for sentence in draft_text.sentences(text):
            mentions = [mention for mention in draft_text.mentions(sentence)
                        if draft_text.is_candidate(mention, sentence)]
            if mentions:
                found.append((sentence, [_candidate(section, sentence, mention, context) for mention in mentions]))
    return found


def _candidate_lines(candidates: list[tuple[str, list[dict[str, object]]]]) -> list[str]:
    """The ``candidates`` commented out, each sentence's under it."""
    lines: list[str] = []
    for sentence, claims in candidates:
        lines += ["", f"# {draft_text.comment(sentence)}"]
        for claim in claims:
            lines += ["# [[claim]]", *(f"# {line}" for line in keys(claim))]
    if not lines:
        return []
    return ["", "# --- Numbers in the running text: candidate claims, commented out. ---", *lines]


def _summary_lines(code: list[tuple[str | None, str]], context: Context) -> list[str]:
    """Commented-out candidate claims for the totals of the model summaries in code blocks, each under its line and
    named by it ("params/code/<section>/trainable_params"); the input of those that take one is the summary's, where it
    states one (``model_summaries.input_shape``); a size torchinfo does not print takes none."""
    lines: list[str] = []
    for section, text in code:
        shape = model_summaries.input_shape(text)
        for total in model_summaries.totals(text):
            where = f"section '{section}', code block" if section else "introduction, code block"
            asked = draft_tables.todos(total.kind, total.kind, total.line, (), context)
            if isinstance(size := total.keys.get("size"), Guess) and size.value not in vocab.TORCHINFO_SIZES:
                del asked["input"]  # counted without running the model, as families.needs_input says
            claim: dict[str, object] = {
                "id": unique(f"{total.kind}/code/{slug(section or '') or 'top'}/{slug(total.words)}", context.ids),
                "kind": total.kind, "model": draft_tables.model_todo(context),
                **asked, **({"input": shape} if shape and "input" in asked else {}),
                **total.keys, **draft_values.claimed(total.number, total.kind),
                **({"scale": total.scale} if total.scale else {}), "printed": total.printed,
                "source": f"{context.source}, {where}" if context.source else where,
                **draft_values.tolerance_keys(total.number, total.kind), **({"note": total.note} if total.note else {})}
            lines += ["", f"# {draft_text.comment(total.line)}", "# [[claim]]", *(f"# {line}" for line in keys(claim))]
    return ["", "# --- Totals of model summaries in code blocks: candidate claims, commented out. ---", *lines] if (
        lines) else []


def _candidate(section: str | None, sentence: str, mention: draft_text.Mention, context: Context) -> dict[str, object]:
    """The claim a number of the running text would be."""
    kind = draft_text.kind_of(sentence, mention)
    fraction = kind in PERCENT_KINDS and not mention.near and draft_values.fractions([mention.number])
    where = f"section '{section}'" if section else "introduction"
    sized = draft_tables.byte_scale(mention.number, None, (sentence,)) if kind == "size" else None
    claimed = draft_values.as_printed(mention.number, sized) if isinstance(sized, Guess) else draft_values.claimed(
        mention.number, kind, "it" if fraction else None, named=bool(mention.noun))
    claim: dict[str, object] = {
        "id": unique(f"{kind or 'claim'}/text/{slug(section or '') or 'top'}", context.ids),
        "kind": kind or draft_text.kind_todo(sentence, mention),
        "model": draft_tables.model_todo(context, draft_tables.named_model(sentence, context.models)),
        **draft_tables.todos(kind, kind, draft_text.noun_words(sentence, mention), (sentence,), context),
        **draft_values.near_bound(claimed, mention.printed, mention.near),
        "printed": mention.printed,
        "source": f"{context.source}, {where}" if context.source else where,
    }
    claim |= draft_tables.unjudged(claim, draft_values.runs(kind, mention.number, [("its sentence", sentence)]))
    claim |= draft_tables.unjudged(claim, draft_values.tolerance_keys(mention.number, kind, fraction,
                                                                       claim.get("scale") in UNIT_TODOS))
    if isinstance(sized, str):
        claim["note"] = f"{sized}. {claim['note']}" if "note" in claim else sized
    return claim
