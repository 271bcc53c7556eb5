"""Training runs on a real two-node Ray cluster (``ray.cluster_utils.Cluster``, one CPU per node) against the
same runs done serially: identical stored results, a killed worker resumed from its checkpoint, a failed run
as an ``error``, and the pytest path's verdicts."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from small_runs import EPOCHS, MODEL1_CLAIMS, REPO, claim

from claimbench import errors, ledger
from claimbench.results import NOT_SELECTED
from claimbench.history import Epoch, History
from claimbench.runs import cluster, cost, local, plan, signing, splits, store
from claimbench.runs.settings import Settings

ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:cifar10 .*running on unverified data")]

MODULES = ["models.iot_ml_hw2"]
NODE = {"num_cpus": 1, "object_store_memory": 80 * 2**20}
WORKER_NICENESS = ("RAY_worker_niceness", "0")
"""Ray starts its workers at niceness 15, under every other process of the machine: beside two busy ones (the other
pytest-xdist worker and a load beside the run) a one-CPU task waited minutes for a core, and a cluster test took
over 10 minutes where it takes 20 s. The tests' workers take their share of the cores as the tests do."""


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    """A head and one more node, one CPU each, this process connected as the driver."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(*WORKER_NICENESS)  # read by each node's raylet as it starts
        local = cluster_utils.Cluster(initialize_head=True, connect=True,
                                      head_node_args={**NODE, "include_dashboard": False})
        try:
            local.add_node(**NODE)
            local.wait_for_nodes()
            yield local
        finally:
            ray.shutdown()
            local.shutdown()


@pytest.fixture
def one_thread() -> Iterator[None]:
    """Serial runs with one torch thread, as each one-CPU task has."""
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def settings_for(results: Path, data_root: Path, **changes: Any) -> Settings:
    return Settings(device="cpu", data_root=data_root, allow_unverified=True, results_dir=results,
                         session="one session", precision="fp32", **changes)


def without_seconds(history: dict[str, Any]) -> dict[str, Any]:
    """The history with its timings dropped: what equal weights must reproduce exactly."""
    return {**history, "epochs": [{k: v for k, v in epoch.items() if k != "seconds"} for epoch in history["epochs"]]}


def test_cluster_runs_equal_serial_runs(ray_cluster: Any, cifar_root: Path, small_ledger: Path, tmp_path: Path,
                                       one_thread: None, record_property: Any) -> None:
    """Model 1 and Model 2, two seeds each: four runs, trained on the cluster and serially."""
    claims = [claim(MODEL1_CLAIMS[1], small_ledger), claim("iot_ml_hw2/accuracy/model2/val", small_ledger)]
    lines: list[str] = []
    on_cluster = settings_for(tmp_path / "cluster", cifar_root, seeds=2, cluster=ray_cluster.address,
                              progress=lines.append)
    started = time.perf_counter()
    cluster.train_claims(claims, on_cluster, MODULES, pythonpath=[str(REPO)])
    cluster_seconds = time.perf_counter() - started
    serial = settings_for(tmp_path / "serial", cifar_root, seeds=2)
    started = time.perf_counter()
    outcomes = [local.measure(c, serial) for c in claims]
    serial_seconds = time.perf_counter() - started

    stored = sorted((tmp_path / "cluster").glob("*.json"))
    assert [p.name for p in stored] == sorted(p.name for o in outcomes for p in o.results)
    for path in stored:
        ours, theirs = (json.loads(p.read_text()) for p in (path, tmp_path / "serial" / path.name))
        assert ours["weights_sha256"] == theirs["weights_sha256"], path.name
        assert without_seconds(ours["history"]) == without_seconds(theirs["history"])
        assert ours["threads"] == theirs["threads"] == 1 and ours["precision"]["chosen"] == "fp32"
    assert len({json.loads(p.read_text())["weights_sha256"] for p in stored}) == 4
    epoch_line = r"iot_ml_hw2\.model\d seed \d \(\d of 2\) epoch \d/2  .*  \(\S+\)$"
    epochs = [line for line in lines if re.match(epoch_line, line)]
    assert len(epochs) == 4 * 2, lines
    assert sum(bool(re.search(r"\.json: stored \(\S+, fp32\)$", line)) for line in lines) == 4, lines
    record_property("cluster_seconds_4_runs", round(cluster_seconds, 1))
    record_property("serial_seconds_4_runs", round(serial_seconds, 1))


def test_killed_worker_resumes_from_its_checkpoint(ray_cluster: Any, cifar_root: Path, small_ledger: Path,
                                                   tmp_path: Path, one_thread: None) -> None:
    """SIGKILL the worker once its first checkpoint exists (when it reports epoch 2: it writes epoch 1's
    checkpoint after reporting epoch 1, before training epoch 2): Ray retries the task, which resumes there and
    stores one complete record, the same as an uninterrupted run; no checkpoint or temporary file is left."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    # 40 epochs of a few images, so that ~2 s of epochs are left when the driver reads "epoch 2" and kills: the
    # progress line crosses Ray's queue asynchronously, and a worker done by then could not be killed mid-run
    model1 = dataclasses.replace(model1, recipe=dataclasses.replace(model1.recipe, epochs=40))
    lines: list[str] = []
    pids: dict[str, int] = {}
    killed: list[int] = []

    def kill_once(line: str) -> None:
        lines.append(line)
        started = re.match(r"(\S+): training on \S+ \(pid (\d+)\)", line)
        if started:
            pids[started[1]] = int(started[2])
        if killed or " epoch 2/40 " not in line:
            return
        (pid,) = pids.values()
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    settings = settings_for(tmp_path / "cluster", cifar_root, cluster=ray_cluster.address, progress=kill_once)
    cluster.train_claims([model1], settings, MODULES, pythonpath=[str(REPO)])

    assert killed, lines
    resumed = next(i for i, line in enumerate(lines) if line.endswith("resuming from its checkpoint"))
    first_after = next(line for line in lines[resumed:] if " epoch " in line)
    assert re.match(r"iot_ml_hw2\.model1(?: seed 0 \(1 of \d+\))? epoch \d+/", first_after), first_after
    assert not re.match(r"iot_ml_hw2\.model1(?: seed 0 \(1 of \d+\))? epoch 1/", first_after), lines
    files = sorted(p.name for p in (tmp_path / "cluster").iterdir())
    path = tmp_path / "cluster" / next(name for name in files if name.endswith(".json"))
    assert files == sorted([path.name, path.with_suffix(".session").name, path.with_suffix(".lock").name]), \
        "one record, no partial file (and the run's lock, empty, as on one machine)"
    record = json.loads(path.read_text())
    assert [e["epoch"] for e in record["history"]["epochs"]] == list(range(1, 41))
    serial = local.measure(model1, settings_for(tmp_path / "serial", cifar_root))
    uninterrupted = json.loads(serial.results[0].read_text())
    assert record["weights_sha256"] == uninterrupted["weights_sha256"]
    assert without_seconds(record["history"]) == without_seconds(uninterrupted["history"])


def test_a_retrain_on_the_cluster_replaces_an_earlier_sessions_run(ray_cluster: Any, cifar_root: Path,
                                                                   small_ledger: Path, tmp_path: Path) -> None:
    """The task reads the run under its lock before training: under ``--claims-retrain`` the run an earlier session
    stored is not this session's, and the task trains it again."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    settings = settings_for(tmp_path, cifar_root, cluster=ray_cluster.address, retrain=True)
    path = store.path_for(model1, model1.recipe, 0, settings, data_identity(model1, settings))
    epoch = Epoch(epoch=1, lr=1e-3, seconds=1.0, train_loss=1.0, train_running_acc=50.0, val=None, test=None)
    store.write(path, {"history": History(epochs=[epoch]).to_dict(), "verified_data": False},
                dataclasses.replace(settings, session="an earlier session"))
    cluster.train_claims([model1], settings, MODULES, pythonpath=[str(REPO)])
    record = json.loads(path.read_text())
    assert record["session"] == "one session" and len(record["history"]["epochs"]) == EPOCHS


def test_the_workers_sign_their_runs_with_the_drivers_key(ray_cluster: Any, cifar_root: Path, small_ledger: Path,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The nodes started with a key of their own (the test session's key file); the driver's key, here
    ``CLAIMBENCH_STORE_KEY``, reaches the task, so that the run it stores is one the driver reads as its own."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    monkeypatch.setenv(signing.ENV, "the driver's key")
    settings = settings_for(tmp_path, cifar_root, cluster=ray_cluster.address)
    cluster.train_claims([model1], settings, MODULES, pythonpath=[str(REPO)])
    path = store.path_for(model1, model1.recipe, 0, settings, data_identity(model1, settings))
    assert store.read(path, settings) is not None and not list(tmp_path.glob("*.unsigned-*"))


def test_a_failed_run_is_its_claims_error(ray_cluster: Any, cifar_root: Path, small_ledger: Path,
                                          tmp_path: Path) -> None:
    """A run that diverges on the cluster is stored as its reason; its claims raise it as a MeasurementError."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    diverging = dataclasses.replace(model1, recipe=dataclasses.replace(model1.recipe, lr=1e30))
    lines: list[str] = []
    settings = settings_for(tmp_path, cifar_root, cluster=ray_cluster.address, progress=lines.append)
    cluster.train_claims([diverging], settings, MODULES, pythonpath=[str(REPO)])
    assert any(": failed: iot_ml_hw2.model1: training loss is nan at epoch 1" in line for line in lines), lines
    with pytest.raises(errors.MeasurementError, match=r"^iot_ml_hw2.model1: training loss is nan at epoch 1"):
        local.measure(diverging, settings)
    retried = dataclasses.replace(settings, session="a later session", cluster=None, budget_seconds=1e-9)
    with pytest.raises(errors.NotRunnable, match="over the training budget"):  # another session tries again
        local.measure(diverging, retried)


def test_two_sessions_tasks_on_one_run_train_it_once(cifar_root: Path, small_ledger: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sessions' tasks for one run at once (threads calling the task function on one run store): the run's lock
    makes the second wait and use the run the first stored, as on one machine; a retrain's task still trains."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    settings = settings_for(tmp_path, cifar_root)
    path = store.path_for(model1, model1.recipe, 0, settings, splits.load(model1, model1.recipe, 0, settings).identity)
    trained: list[str] = []

    def slow_train(claim_: ledger.Claim, seed: int, on_node: Settings, path_: Path, found: Any,
                   place: Any = None) -> dict[str, Any]:
        trained.append(on_node.session)
        time.sleep(1)  # the other session's task asks for the run meanwhile
        epoch = Epoch(epoch=1, lr=1e-3, seconds=1.0, train_loss=1.0, train_running_acc=50.0, val=None, test=None)
        return {"history": History(epochs=[epoch]).to_dict(), "verified_data": False, "session": on_node.session}

    monkeypatch.setattr(local, "train_run", slow_train)
    monkeypatch.setattr(cluster, "_prepare", lambda modules, on_node: None)
    monkeypatch.setattr(cluster, "_node", lambda: "node")
    lines: list[str] = []
    queue = types.SimpleNamespace(put=lines.append)
    run = plan.Run(model1, 0, path, 1.0)
    sessions = [dataclasses.replace(settings, session=name) for name in ("session A", "session B")]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        records = list(pool.map(lambda session: cluster._train(run, session, MODULES, None, queue), sessions))
    assert len(trained) == 1, lines
    assert [record["session"] for record in records] == trained * 2
    assert json.loads(path.read_text())["session"] == trained[0]
    retrain = dataclasses.replace(settings, session="session C", retrain=True)
    assert cluster._train(run, retrain, MODULES, None, queue)["session"] == "session C" == trained[-1]
    assert json.loads(path.read_text())["session"] == "session C"


class LostQueue:
    """The driver's progress queue after the node holding its actor died: every call raises Ray's error."""

    actor = "the queue's actor"

    def __init__(self) -> None:
        self.calls = 0

    def _died(self, *arguments: Any) -> Any:
        self.calls += 1
        raise ray.exceptions.ActorDiedError()

    empty = get_nowait = put = _died


def test_a_lost_progress_queue_is_one_warning_and_the_results_are_still_collected(
        cifar_root: Path, small_ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The queue's node dies (Ray stands in: its tasks return what each would): one warning and no more progress
    lines, and the session goes on collecting the tasks' results, a failed task being its run's stored failure."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    settings = settings_for(tmp_path, cifar_root, seeds=2, cluster="ray://head:10001")
    monkeypatch.setattr(cost, "PROBES", {})
    probe = cost.step_cost(model1.model, model1.recipe, splits.load(model1, model1.recipe, 0, settings).train,
                           settings)
    crashed = ray.exceptions.WorkerCrashedError()
    outcomes = {"probe": probe, "seed 0": {"session": settings.session, "wall_seconds": 1.0,
                                           "precision": {"chosen": "fp32"}}, "seed 1": crashed}

    class Remote:
        def options(self, **options: Any) -> Remote:
            return self

        def remote(self, first: Any, *arguments: Any) -> str:
            return f"seed {first.seed}" if isinstance(first, plan.Run) else "probe"

    def get(ref: str) -> Any:
        if isinstance(outcomes[ref], BaseException):
            raise outcomes[ref]
        return outcomes[ref]

    queue = LostQueue()
    monkeypatch.setattr(ray, "is_initialized", lambda: True)
    monkeypatch.setattr("ray.util.queue.Queue", lambda **options: queue)
    monkeypatch.setattr(ray, "remote", lambda function: Remote())
    monkeypatch.setattr(ray, "wait", lambda refs, num_returns, timeout: (refs[:num_returns], refs[num_returns:]))
    monkeypatch.setattr(ray, "get", get)
    monkeypatch.setattr(ray, "nodes", lambda: [{"Alive": True}])
    monkeypatch.setattr(ray, "kill", lambda actor: None)
    lines: list[str] = []
    with pytest.warns(errors.ClaimbenchWarning) as caught:
        cluster.train_claims([model1], dataclasses.replace(settings, progress=lines.append), MODULES)
    lost = ("ray cluster: the progress queue is lost (ActorDiedError: The actor died unexpectedly before finishing "
            "this task.): no more progress lines; the runs' results are still collected")
    assert [str(warning.message) for warning in caught if "progress queue" in str(warning.message)] == [lost]
    assert queue.calls == 1 and lines[0] == lost, lines
    assert lines[1].startswith("ray cluster ray://head:10001: training 2 run(s) on 1 node(s), estimated "), lines
    paths = {seed: store.path_for(model1, model1.recipe, seed, settings, data_identity(model1, settings))
             for seed in (0, 1)}
    assert lines[2:] == [f"{paths[0].name}: stored (1s, fp32)", f"{paths[1].name}: failed: WorkerCrashedError: "
                         "The worker died unexpectedly while executing this task. Check python-core-worker-*.log "
                         "files for more information."], lines
    with pytest.raises(errors.MeasurementError, match=r"^WorkerCrashedError: The worker died unexpectedly"):
        store.raise_failure(paths[1], settings)


def data_identity(claim_: ledger.Claim, settings: Settings) -> dict[str, Any]:
    return splits.load(claim_, claim_.recipe, 0, settings).identity


def test_a_task_whose_progress_queue_is_lost_still_stores_its_run(cifar_root: Path, small_ledger: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """On a worker, a progress line the lost queue cannot take is dropped; the run trains and is stored."""
    model1 = claim(MODEL1_CLAIMS[1], small_ledger)
    settings = settings_for(tmp_path, cifar_root)
    path = store.path_for(model1, model1.recipe, 0, settings, data_identity(model1, settings))

    def one_epoch(claim_: ledger.Claim, seed: int, on_node: Settings, path_: Path, found: Any,
                  place: Any = None) -> dict[str, Any]:
        on_node.progress("iot_ml_hw2.model1 epoch 1/1")
        epoch = Epoch(epoch=1, lr=1e-3, seconds=1.0, train_loss=1.0, train_running_acc=50.0, val=None, test=None)
        return {"history": History(epochs=[epoch]).to_dict(), "verified_data": False, "session": on_node.session}

    monkeypatch.setattr(local, "train_run", one_epoch)
    monkeypatch.setattr(cluster, "_prepare", lambda modules, on_node: None)
    monkeypatch.setattr(cluster, "_node", lambda: "node")
    queue = LostQueue()
    assert cluster._train(plan.Run(model1, 0, path, 1.0), settings, MODULES, None, queue)["session"] == "one session"
    assert queue.calls == 2 and store.read(path, settings) is not None


def test_pytest_path_gives_the_single_machine_verdicts(ray_cluster: Any, cifar_root: Path, small_ledger: Path,
                                                        tmp_path: Path) -> None:
    """`pytest benchmarks -m train --claims-cluster=auto ...` against the cluster, and without it."""
    verdicts = {}
    for name, extra, env in (("cluster", ["--claims-cluster=auto"], {"RAY_ADDRESS": ray_cluster.address}),
                             ("single", [], {})):
        report = tmp_path / f"{name}.json"
        command = [sys.executable, "-m", "pytest", "benchmarks", "-m", "train", "-k", "model1", *extra,
                   "--claims-train-device=cpu", f"--claims-dir={small_ledger}", f"--claims-data-root={cifar_root}",
                   "--claims-allow-unverified-data", "--claims-train-precision=fp32",
                   f"--claims-results-dir={tmp_path / name}", f"--claims-json={report}", "-p", "no:xdist",
                   "-p", "no:randomly"]
        finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False,
                                  env={**os.environ, "OMP_NUM_THREADS": "1", **env})
        assert report.exists(), finished.stdout[-3000:] + finished.stderr[-3000:]
        records = json.loads(report.read_text())["claims"]
        verdicts[name] = {r["id"]: (r["verdict"], r["measured"]) for r in records if r["reason"] != NOT_SELECTED}
        if name == "cluster":
            assert re.search(r"(?m)^ray cluster \S+: training 1 run\(s\) on 2 node\(s\)", finished.stdout), \
                finished.stdout[-3000:]
    assert set(verdicts["cluster"]) == set(MODEL1_CLAIMS[:3])
    assert verdicts["cluster"] == verdicts["single"]


def test_a_claim_whose_planning_raises_is_its_error_and_the_rest_run(cifar_root: Path, small_ledger: Path,
                                                                     tmp_path: Path) -> None:
    """An exception of any type raised outside claimbench while the driver plans a claim's runs (here a module of
    the session's, as an author's is, raising RuntimeError for the data loader) is that claim's `error`, with its
    type, as on one machine; the structural claims keep their verdicts. Every training claim fails to plan, so the
    cluster (unreachable) is never asked for."""
    (tmp_path / "broken_loader.py").write_text(
        "from claimbench.runs import splits\n\n\ndef _load(*arguments):\n"
        "    raise RuntimeError('Dataset not found or corrupted')\n\n\nsplits._load = _load\n", encoding="utf-8")
    report = tmp_path / "claims.json"
    command = [sys.executable, "-m", "pytest", "benchmarks", "-k", "model1", "--claims-cluster=ray://127.0.0.1:9",
               "-p", "broken_loader", "--claims-train-device=cpu", f"--claims-dir={small_ledger}",
               f"--claims-data-root={cifar_root}", f"--claims-results-dir={tmp_path / 'runs'}",
               f"--claims-json={report}", "-p", "no:xdist", "-p", "no:randomly"]
    pythonpath = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False,
                              env={**os.environ, "PYTHONPATH": pythonpath})
    assert "INTERNALERROR" not in finished.stdout + finished.stderr and finished.returncode == 1, \
        finished.stdout[-3000:] + finished.stderr[-3000:]
    records = {r["id"]: r for r in json.loads(report.read_text(encoding="utf-8"))["claims"]
               if r["reason"] != NOT_SELECTED}
    training = {claim_id: (r["verdict"], r["reason"]) for claim_id, r in records.items() if "/accuracy/" in claim_id}
    assert training == dict.fromkeys(MODEL1_CLAIMS[:3], ("error", "RuntimeError: Dataset not found or corrupted"))
    assert records["iot_ml_hw2/params/model1"]["verdict"] == "reproduced"


def test_a_gcs_address_where_nothing_listens_is_one_line_not_a_hang(cifar_root: Path, small_ledger: Path,
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """`RAY_ADDRESS=HOST:PORT` where nothing answers (here a port nothing listens on): the driver says so in one line
    before asking Ray, whose ``ray.init`` would wait for it forever."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", lambda *args, **kwargs: pytest.fail("ray.init asked for an unreachable GCS"))
    settings = settings_for(tmp_path, cifar_root, cluster=f"127.0.0.1:{port}")
    with pytest.raises(cluster.Unreachable, match=rf"^--claims-cluster: cannot connect to 127\.0\.0\.1:{port}: "
                                                   r"Connection refused \(is `ray start --head` running there"):
        cluster.train_claims([claim(MODEL1_CLAIMS[1], small_ledger)], settings, MODULES)

    def silent(address: tuple[str, int], timeout: float) -> socket.socket:
        assert address == ("head", 6379) and timeout == cluster.CONNECT_SECONDS
        raise TimeoutError("timed out")

    monkeypatch.setattr(cluster.socket, "create_connection", silent)  # a host that drops the packets
    elsewhere = dataclasses.replace(settings, cluster="head:6379")
    with pytest.raises(cluster.Unreachable, match=rf"^--claims-cluster: cannot connect to head:6379: no answer "
                                                   rf"within {cluster.CONNECT_SECONDS} s \(is `ray start --head`"):
        cluster.train_claims([claim(MODEL1_CLAIMS[1], small_ledger)], elsewhere, MODULES)
    for port in ("0", "65536", "99999999999999999999"):  # socket would raise OverflowError, or wrap the number round
        mistyped = dataclasses.replace(settings, cluster=f"head:{port}")
        with pytest.raises(cluster.Unreachable, match=rf"^--claims-cluster: head:{port}: port {port} is no TCP port"):
            cluster.train_claims([claim(MODEL1_CLAIMS[1], small_ledger)], mistyped, MODULES)


def test_cluster_option_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    with pytest.raises(ValueError, match=r"^auto reads \$RAY_ADDRESS, which is not set: give ray://HOST:PORT"):
        cluster.address("auto")
    with pytest.raises(ValueError, match=r"^expected ray://HOST:PORT or auto, got 'head:6379'$"):
        cluster.address("head:6379")
    assert cluster.address("ray://head:10001") == "ray://head:10001"
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.1:6379")
    assert cluster.address("auto") == "10.0.0.1:6379"
    monkeypatch.setattr(cluster.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ValueError, match=r"^Ray is not installed: pip install claimbench\[ray]$"):
        cluster.address("auto")


def test_cluster_option_without_an_address_is_a_usage_error() -> None:
    environment = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    finished = subprocess.run([sys.executable, "-m", "pytest", "benchmarks", "--co", "-q", "--claims-cluster=auto"],
                              cwd=REPO, capture_output=True, text=True, check=False, env=environment)
    assert finished.returncode == 4 and finished.stderr.strip() == (
        "ERROR: --claims-cluster: auto reads $RAY_ADDRESS, which is not set: give ray://HOST:PORT, or export the "
        "address `ray start --head` printed"), finished.stderr


def test_ledger_claims_pickle_for_the_workers(small_ledger: Path) -> None:
    """Tasks receive claims and settings by pickle (cloudpickle under Ray)."""
    import pickle

    claims = ledger.load(small_ledger)
    assert pickle.loads(pickle.dumps(claims)) == claims

