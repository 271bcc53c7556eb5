"""The package's long description, the page PyPI shows: the file pyproject.toml's ``readme`` names stands alone
(PyPI resolves no relative link or image), and every option, command and extra it names exists."""

from __future__ import annotations

import argparse
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from claimbench import cli

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
ABSOLUTE = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
"""A URL with a scheme (``https:``, ``mailto:``): the only kind of link PyPI's page can follow."""
HTML_REFERENCE = re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
COMMAND = re.compile(r"(?m)^[ \t]*(?:\$[ \t]+)?(?:python -m[ \t]+)?claimbench[ \t]+(--?[\w-]+|[a-z][\w-]*)")
"""``claimbench <command>`` (or a top-level option) where a line of code begins with it, as a command typed;
``python -m claimbench`` takes the same."""
EXTRA = re.compile(r"(?<![\w./-])claimbench\[([\w,-]+)\]")


def _description() -> Path:
    """The file pyproject.toml's ``readme`` names, as a string or as a table with ``file``."""
    readme = PYPROJECT["project"]["readme"]
    return REPO / (readme if isinstance(readme, str) else readme["file"])


def _tokens(text: str) -> Iterator[Token]:
    """Every token of a markdown text, inline children included, as PyPI's CommonMark with tables parses it."""
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        yield token
        yield from token.children or ()


def _relative_references(text: str) -> list[str]:
    """The links and images of ``text`` (markdown or raw HTML) whose target has no scheme: on PyPI, broken."""
    targets = []
    for token in _tokens(text):
        if token.type == "link_open":
            targets.append(str(token.attrGet("href")))
        elif token.type == "image":
            targets.append(str(token.attrGet("src")))
        elif token.type in ("html_inline", "html_block"):
            targets.extend(HTML_REFERENCE.findall(token.content))
    return [target for target in targets if not ABSOLUTE.match(target)]


def _code(text: str) -> str:
    """The code of ``text``, its fenced and indented blocks and its inline spans, one piece a line."""
    return "\n".join(token.content for token in _tokens(text)
                     if token.type in ("fence", "code_block", "code_inline"))


def _commands() -> set[str]:
    """What may follow ``claimbench``: the console script's commands and its top-level options."""
    parser = cli._parser()
    (commands,) = [action.choices for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    return set(commands) | {option for action in parser._actions for option in action.option_strings}


def _unknown_commands(text: str) -> list[str]:
    return [command for command in COMMAND.findall(_code(text)) if command not in _commands()]


def _unknown_extras(text: str) -> list[str]:
    extras = PYPROJECT["project"]["optional-dependencies"]
    return [extra for named in EXTRA.findall(text) for extra in named.split(",") if extra not in extras]


def test_pyproject_names_a_markdown_description_of_its_own() -> None:
    """Not the repository's README, whose links lead into the repository and whose verdicts are its own run's."""
    readme = PYPROJECT["project"]["readme"]
    assert isinstance(readme, dict) and readme["content-type"] == "text/markdown", readme
    assert _description().is_file() and _description() != REPO / "README.md"


def test_the_description_has_no_relative_link_or_image() -> None:
    assert _relative_references(_description().read_text(encoding="utf-8")) == []


def test_every_option_the_description_names_is_the_plugins(pytester: pytest.Pytester) -> None:
    """Each ``--claims-*`` it names is one ``pytest --help`` lists, as the README's options table is checked."""
    shown = set(re.findall(r"--claims-[a-z-]+", pytester.runpytest_subprocess("--help").stdout.str()))
    named = set(re.findall(r"--claims-[a-z-]+", _description().read_text(encoding="utf-8")))
    assert len(shown) > 10 and named and named - shown == set(), named - shown


def test_every_command_the_description_names_is_the_console_scripts() -> None:
    text = _description().read_text(encoding="utf-8")
    assert {"init", "check", "draft"} <= set(COMMAND.findall(_code(text)))
    assert _unknown_commands(text) == []


def test_every_extra_the_description_names_is_pyprojects() -> None:
    text = _description().read_text(encoding="utf-8")
    assert EXTRA.findall(text) and _unknown_extras(text) == []


def test_a_page_that_would_break_on_pypi_is_caught() -> None:
    """The checks find what they look for: relative links and images (markdown and HTML, an anchor too), a command
    and an extra no one defines; code, absolute URLs and a known command pass."""
    page = ("# Page\n\n[docs](docs/options.md) [anchor](#page) ![badge](badges/claims.svg) "
            "[web](https://example.org) ![shield](https://img.shields.io/x.svg) <img src=\"plots/a.png\">\n\n"
            "`[in code](docs/x.md)` `claimbench init` `claimbench frobnicate` `claimbench --version`\n\n"
            "```sh\npip install claimbench[timing,gpu]\nclaimbench check -q\npython -m claimbench modles\n"
            "echo claimbench loads no ImageNet\n```\n")
    assert _relative_references(page) == ["docs/options.md", "#page", "badges/claims.svg", "plots/a.png"]
    assert _unknown_commands(page) == ["frobnicate", "modles"]
    assert _unknown_extras(page) == ["gpu"]
