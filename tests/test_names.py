"""The run store's file names: portable to Windows, and a file stored under its former name moved to it."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from claimbench.runs import names

WINDOWS_FORBIDS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
WINDOWS_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]) *(\.|$)")


@given(st.text())
def test_a_portable_name_holds_nothing_windows_forbids_and_is_its_own(name: str) -> None:
    portable = names.portable(name)
    assert not WINDOWS_FORBIDS.search(portable) and not WINDOWS_DEVICE.match(portable)
    assert names.portable(portable) == portable


def test_a_reference_keeps_its_words() -> None:
    assert names.portable("torchvision:resnet18-cifar10-seed0-cuda-0123456789ab.json") == (
        "torchvision~resnet18-cifar10-seed0-cuda-0123456789ab.json")
    assert names.portable('a/b\\c<d>e"f|g?h*i\tj.json') == "a_b_c_d_e_f_g_h_i_j.json"
    assert names.portable("aux.models:build-0123456789ab.json") == "_aux.models~build-0123456789ab.json"
    assert names.portable("core_collapse.vgg16-cifar10-seed0-cpu-0123456789ab.json") == (
        "core_collapse.vgg16-cifar10-seed0-cpu-0123456789ab.json"), "a registered name is as it was"


def test_a_move_never_replaces_a_file_there(tmp_path: Path) -> None:
    former, path = tmp_path / "a:b.json", tmp_path / "a~b.json"
    former.write_text("former")
    path.write_text("new")
    names.move(former, path)
    assert (former.read_text(), path.read_text()) == ("former", "new")
    path.unlink()
    names.move(former, path)
    assert path.read_text() == "former" and not former.exists()
    names.move(former, path)  # moved by another process first: nothing to do
    assert path.read_text() == "former"
