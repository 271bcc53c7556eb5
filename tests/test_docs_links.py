"""The repository's documents: every relative link in README.md, docs/*.md and reference/README.md leads to a file
that exists, and a link's ``#anchor`` to a heading of that file, as GitHub names its anchors."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from claimbench import cli

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "reference" / "README.md"]
FENCE = re.compile(r"(?ms)^ *(```|~~~).*?^ *\1[^\n]*$")
INLINE_CODE = re.compile(r"`+[^`\n]*`+")
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")
"""A markdown link's target; an image's (the badges a run draws again) is no link a reader follows."""


def _prose(path: Path) -> str:
    """The document without its code: fenced blocks and inline code spans blanked."""
    return INLINE_CODE.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_anchor(heading) for heading in re.findall(r"(?m)^#{1,6} +(.+?) *#*$", FENCE.sub("", path.read_text(
        encoding="utf-8")))}


def _broken(document: Path) -> list[str]:
    """The relative links of ``document`` that lead to no file, or to no heading of it."""
    broken = []
    for target in LINK.findall(_prose(document)):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (document.parent / file).resolve() if file else document
        if not linked.exists() or anchor and (linked.suffix != ".md" or anchor not in _anchors(linked)):
            broken.append(target)
    return broken


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(REPO)))
def test_every_relative_link_leads_somewhere(document: Path) -> None:
    assert document.is_file(), f"{document.relative_to(REPO)} is missing"
    assert _broken(document) == [], f"{document.relative_to(REPO)}: links that lead nowhere"


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# A page\n\n[here](#a-page) [there](other.md) [gone](#no-such-heading)\n"
                    "```\n[in code](nowhere.md)\n```\n![badge](badges/none.svg) [web](https://example.org)\n",
                    encoding="utf-8")
    assert _broken(page) == ["other.md", "#no-such-heading"]
    (tmp_path / "other.md").write_text("# Other\n", encoding="utf-8")
    assert _broken(page) == ["#no-such-heading"]


def test_the_readme_links_every_document_of_docs() -> None:
    """The README keeps one line per verdict; what each means in full, and how the report reads, lie in docs/."""
    linked = {target.partition("#")[0] for target in LINK.findall(_prose(REPO / "README.md"))}
    assert {"docs/verdicts.md", "docs/report.md"} <= linked
    assert {f"docs/{path.name}" for path in (REPO / "docs").glob("*.md")} <= linked


def test_the_readme_options_table_gives_each_option_one_short_row_linking_its_section() -> None:
    """The README's options table is scanned, not read: one option a row, what it does in a few words, and a link to
    the option's own section of docs/options.md, which holds the rest (its cells had grown to paragraphs)."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Options\n", 1)[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) > 10
    for row in rows:
        cells = row.strip(" |").split(" | ")
        (option,) = re.findall(r"--claims-[a-z-]+", cells[0])
        assert len(cells) == 4, row
        assert f"docs/options.md#{option}" in LINK.findall(cells[-1]), row
        assert option in _anchors(REPO / "docs" / "options.md")
        assert len(LINK.sub("", cells[-1]).split()) <= 25, row


def _commands() -> dict[str, argparse.ArgumentParser]:
    """The console script's commands, by name, as its parser knows them."""
    (commands,) = [action.choices for action in cli._parser()._actions
                   if isinstance(action, argparse._SubParsersAction)]
    return commands


def _options_left_out(command: str, synopsis: str) -> list[list[str]]:
    """The options of ``claimbench COMMAND`` (``--help`` aside) that ``synopsis`` names by none of their spellings."""
    given = set(re.findall(r"(?<![\w-])-{1,2}[\w-]+", synopsis))
    actions = _commands()[command]._actions if command in _commands() else []
    return [action.option_strings for action in actions if action.option_strings
            and not isinstance(action, argparse._HelpAction) and not given & set(action.option_strings)]


def test_the_readme_commands_table_gives_each_command_one_short_row_linking_its_section() -> None:
    """The README's command table is scanned, not read: one command a row, its synopsis naming every option of the
    command, what it does in a few words, and a link to the command's own section of docs/commands.md, which holds
    the rest (its cells had grown to paragraphs)."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n## The command line\n", 1)[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `claimbench ")]
    named = []
    for row in rows:
        cells = row.strip(" |").split(" | ")
        command = cells[0].strip("`").split()[1]
        named.append(command)
        assert len(cells) == 2, row
        assert f"docs/commands.md#{_anchor(f'claimbench {command}')}" in LINK.findall(cells[-1]), row
        assert _anchor(f"`claimbench {command}`") in _anchors(REPO / "docs" / "commands.md"), row
        assert len(LINK.sub("", cells[-1]).split()) <= 25, row
        assert _options_left_out(command, cells[0]) == [], row
    assert sorted(named) == sorted([*_commands(), "--version"])


def test_the_documents_call_the_secret_that_signs_runs_the_signing_key() -> None:
    """One name for the secret: "the run store's key" is a run's identity, so no page says "run-store key"; the
    README's own section on it is linked from the page on the run store."""
    assert [str(path.relative_to(REPO)) for path in DOCUMENTS
            if "run-store key" in " ".join(path.read_text(encoding="utf-8").split())] == []
    assert "the-signing-key" in _anchors(REPO / "README.md")
    assert "../README.md#the-signing-key" in LINK.findall(_prose(REPO / "docs" / "review.md"))
