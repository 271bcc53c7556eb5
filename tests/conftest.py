"""The instruments' tests see every model of this repository's ledgers: the modules each ledger names
are imported, as the plugin does at collection. Tests of the engine take ``device``: the CPU everywhere, and
CUDA where this machine has it. Training tests take ``small_ledger`` and ``cifar_root`` (see small_runs.py)."""

import builtins
import io
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import torch
from small_runs import EPOCHS, HELD_OUT, IOT_ML, TEST_IMAGES, TRAIN_IMAGES, write_cifar10

from claimbench import ledger, registry

REFERENCE = Path(__file__).resolve().parent.parent / "reference"
NO_CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")

registry.import_modules(m for report in ledger.load_reports(REFERENCE) for m in report.modules)


@pytest.fixture(autouse=True, scope="session")
def own_store_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The run store's key (``claimbench.runs.signing``) lives in a state folder of the test session's, never the
    user's, and comes from no ``CLAIMBENCH_STORE_KEY`` of theirs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
        patch.delenv("CLAIMBENCH_STORE_KEY", raising=False)
        yield


@pytest.fixture(autouse=True)
def own_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pytest run inside a test (pytester, in-process or a subprocess) is a session of its own, not a worker of
    this one's pytest-xdist (``make test``): pytest-benchmark reads ``PYTEST_XDIST_WORKER`` to tell."""
    for name in ("PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_XDIST_TESTRUNUID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["cpu", pytest.param("cuda", marks=NO_CUDA)])
def device(request: pytest.FixtureRequest) -> str:
    """The device an engine test trains on."""
    return request.param


@pytest.fixture
def ctrl_c() -> Iterator[None]:
    """A SIGINT raises KeyboardInterrupt, as at a terminal (a process a shell started in the background, without job
    control, inherits it ignored), for the test only."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, int], None]:
    """``unreadable(path, number)`` makes opening ``path`` fail with errno ``number``, as for another user's file
    (EACCES: as root, ``chmod 000`` stops no read), an I/O error or no file descriptor left, for the test only."""
    real = io.open

    def refuse(path: Path, number: int) -> None:
        def opened(file: object, *args: object, **kwargs: object) -> object:
            if isinstance(file, (str, os.PathLike)) and os.fspath(file) == os.fspath(path):
                raise OSError(number, os.strerror(number), os.fspath(path))
            return real(file, *args, **kwargs)

        monkeypatch.setattr(io, "open", opened)  # pathlib's
        monkeypatch.setattr(builtins, "open", opened)  # torch.load's

    return refuse


@pytest.fixture(scope="module")
def small_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The IoT-ML ledger with its recipes cut to ``EPOCHS`` epochs and a ``HELD_OUT`` hold-out: the same
    models, claims and code paths, in seconds. Its epoch times lose their ``unverifiable`` status (the author's
    GPU is unknown), so that they are timed here."""
    text = re.sub(r"(?m)^(epochs\s*)=\s*\d+", rf"\1= {EPOCHS}", IOT_ML.read_text(encoding="utf-8"))
    text, timed = re.subn(r', status = "unverifiable", why = "[^"]*"', "", text)
    assert timed == 1, "the Time per Epoch column no longer says why it is unverifiable"
    text = re.sub(r"(?m)^(val_size\s*)=\s*[\d_]+", rf"\1= {HELD_OUT}", text)
    path = tmp_path_factory.mktemp("ledger") / IOT_ML.name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cifar_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic CIFAR-10 with the hold-out plus ``TRAIN_IMAGES`` training images."""
    return write_cifar10(tmp_path_factory.mktemp("data"), per_batch=(HELD_OUT + TRAIN_IMAGES) // 5, test=TEST_IMAGES)
