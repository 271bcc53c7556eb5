"""The Ray executor: a session's training runs fanned out over a Ray cluster, each stored by the task that ran it.

``train_claims`` plans the runs the selected claims need (``claimbench.runs.plan``), probes each (model,
recipe) on a worker of the run's device (cost estimate, precision choice), submits every run within budget as a
task (``num_gpus=1`` on CUDA, ``num_cpus=1`` on the CPU), and prints the lines the tasks push to a queue
(one per finished epoch) until that queue is lost with its node (one warning; the runs go on). Each task stores
its run atomically under the run's lock, as one machine does, so that two sessions on one run store train it
once; the driver stores a failed run as its one-line reason, which its claims then raise as an ``error``. Claim
items read the stored runs.

Data: every node reads the datasets from the session's data root, at the same path, rather than the
driver shipping them through the object store. A GPU cluster already mounts its datasets (a shared
filesystem, or the same copy on every node); CIFAR-10 is 180 MB and ImageNet 150 GB, which an object
store (a fraction of each node's memory, spilled to disk) would copy to every node every session, from a
driver that need not hold the data at all. Each node checks the checksums and the data's digest itself: a
node whose copy differs from the driver's fails its runs with that reason instead of storing them under
the wrong key.

Checkpoints: ``<run>.ckpt`` beside the run's record in the run store, written by the worker after every
epoch. On a real cluster the run store must be a shared filesystem, mounted at the same path on every
node, where the driver and the claims read what the workers stored, the run's lock is shared, and a task
that Ray retries on another node (``max_retries``) resumes from the last epoch.

Code: workers import claimbench and the ledger's model modules from the same paths as the driver
(``PYTHONPATH`` in the tasks' runtime environment).
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import logging
import os
import re
import socket
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import torch

from claimbench import errors, precision, registry, train
from claimbench.runs import cost, local, plan, signing, splits, store
from claimbench.runs.settings import Settings

__all__ = ["CONNECT_SECONDS", "MAX_RETRIES", "Unreachable", "address", "train_claims"]

CONNECT_SECONDS = 15
"""How long the driver waits for a ``HOST:PORT`` cluster (a head's GCS) to accept a connection before giving up:
``ray.init`` itself waits for one forever."""

MAX_RETRIES = 3
"""Times Ray retries a task whose worker or node died (an exception raised by the run is not retried)."""
_WAIT_SECONDS = 0.2
"""How often the driver prints the lines the tasks pushed while it waits for them."""
_ADDRESS = re.compile(r"ray://[^\s:/]+:\d+")
_GCS = re.compile(r"\[?(?P<host>[^\s/\[\]]+?)\]?:(?P<port>\d+)")
"""A head's GCS address as ``$RAY_ADDRESS`` gives it: ``HOST:PORT`` (``[IPv6]:PORT``)."""


class Unreachable(ConnectionError):
    """The cluster named by ``--claims-cluster`` did not answer; the message is one line."""


def address(value: str) -> str:
    """The cluster ``--claims-cluster`` names: ``ray://HOST:PORT``, or ``auto`` for ``$RAY_ADDRESS``;
    ``ValueError`` with one line saying what is wrong, which the caller prefixes with where the value was given
    (``options.named``)."""
    if importlib.util.find_spec("ray") is None:
        raise ValueError("Ray is not installed: pip install claimbench[ray]")
    if value == "auto":
        found = os.environ.get("RAY_ADDRESS")
        if not found:
            raise ValueError("auto reads $RAY_ADDRESS, which is not set: give ray://HOST:PORT, or export the "
                             "address `ray start --head` printed")
        return found
    if not _ADDRESS.fullmatch(value):
        raise ValueError(f"expected ray://HOST:PORT or auto, got {value!r}")
    return value


# ----------------------------------------------------------------------------- on the workers


def _prepare(modules: Sequence[str], settings: Settings) -> None:
    """Register the ledger's models in this worker; on the CPU, one torch thread per CPU the task holds."""
    import ray

    registry.import_modules(modules)
    if torch.device(settings.device).type == "cpu":
        torch.set_num_threads(max(1, round(ray.get_runtime_context().get_assigned_resources().get("CPU", 1))))


def _node() -> str:
    import ray

    return ray.util.get_node_ip_address()


def _push(queue: Any, line: str) -> None:
    """Push a progress line to the driver; a lost queue (its actor died with its node) loses the line, not the run."""
    import ray

    with contextlib.suppress(ray.exceptions.RayActorError):
        queue.put(line)


def _probe(claim: Any, settings: Settings, modules: Sequence[str]) -> precision.Probe:
    """Time the claim's model where its runs train: cost and precision (``cost.step_cost``)."""
    _prepare(modules, settings)
    sets = splits.load(claim, claim.recipe, 0, settings)
    return cost.step_cost(claim.model, claim.recipe, sets.train, settings)


def _train(run: plan.Run, settings: Settings, modules: Sequence[str], probe: precision.Probe,
           queue: Any) -> dict[str, Any]:
    """Train and store one run, resuming its checkpoint, after checking this node's data is the driver's, holding
    the run's lock as on one machine (``local.stored_or_trained``: a run another session stored meanwhile is
    returned, not trained again); push one line when it starts (with this worker's pid) and one per finished
    epoch, naming its seed (``local.train_run``) and the node; the runs train in parallel, so each ETA is its
    run's."""
    _prepare(modules, settings)
    node = _node()
    resuming = ", resuming from its checkpoint" if run.path.with_suffix(".ckpt").exists() else ""
    _push(queue, f"{run.path.name}: training on {node} (pid {os.getpid()}){resuming}")
    sets = splits.load(run.claim, run.claim.recipe, 0, settings)
    if store.path_for(run.claim, run.claim.recipe, run.seed, settings, sets.identity) != run.path:
        raise errors.MeasurementError(f"{run.claim.dataset} under {settings.data_root} on {node} differs from "
                                       f"the driver's (digests {sets.identity['train'][:12]}…)")
    on_node = dataclasses.replace(settings, progress=lambda line: _push(queue, f"{line}  ({node})"))
    return local.stored_or_trained(run.claim, run.seed, on_node, run.path, probe)


# ----------------------------------------------------------------------------- on the driver


def _answers(cluster: str) -> None:
    """``Unreachable`` when ``cluster`` is a GCS address (``HOST:PORT``) where nothing accepts a connection within
    ``CONNECT_SECONDS``; a ``ray://`` address is left to Ray's client, which gives up by itself."""
    found = _GCS.fullmatch(cluster)
    if found is None:
        return
    if not 0 < int(found["port"]) < 2**16:
        raise Unreachable(f"--claims-cluster: {cluster}: port {found['port']} is no TCP port (1 to 65535)")
    try:
        socket.create_connection((found["host"], int(found["port"])), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        why = (f"no answer within {CONNECT_SECONDS} s" if isinstance(error, TimeoutError)
               else error.strerror or errors.described(error))
        raise Unreachable(f"--claims-cluster: cannot connect to {cluster}: {why} (is `ray start --head` running "
                          "there, and the port open?)") from None


def _reason(error: BaseException) -> str:
    """A failed task in one line: a ``MeasurementError``'s message, else the exception's type and first line."""
    import ray

    cause = error.cause if isinstance(error, ray.exceptions.RayTaskError) and error.cause is not None else error
    return errors.first_line(cause) if isinstance(cause, errors.MeasurementError) else errors.described(cause)


def _task_options(settings: Settings, pythonpath: Sequence[str]) -> dict[str, Any]:
    """The resources a run needs on its device, retries, where the workers find the code, and the signing key
    they sign their runs with (``signing``: the driver's, so that it reads them)."""
    paths = dict.fromkeys([*pythonpath, str(Path(__file__).resolve().parents[2])])
    resources = {"num_gpus": 1} if torch.device(settings.device).type == "cuda" else {"num_cpus": 1}
    return {**resources, "max_retries": MAX_RETRIES, "retry_exceptions": False,
            "runtime_env": {"env_vars": {"PYTHONPATH": os.pathsep.join(paths), signing.ENV: signing.key()}}}


@dataclasses.dataclass
class _Lines:
    """The queue the tasks push their progress lines to, and where the driver prints them; ``lost`` once the
    queue's actor died (with the node that held it)."""

    queue: Any
    say: Callable[[str], None]
    lost: bool = False

    def drain(self) -> None:
        """Print the lines queued so far. A lost queue is one warning and no more lines: the tasks' results are
        still collected."""
        import ray

        try:
            while not self.lost and not self.queue.empty():
                self.say(self.queue.get_nowait())
        except ray.exceptions.RayActorError as error:
            self.lost = True
            message = (f"ray cluster: the progress queue is lost ({errors.described(error)}): no more progress "
                       "lines; the runs' results are still collected")
            errors.warn(message, "--claims-cluster")
            self.say(message)


def _collect(pending: dict[Any, Any], lines: _Lines, on_done: Callable[[Any, Any], None],
             on_error: Callable[[Any, BaseException], None]) -> None:
    """Wait for every task, printing the queued lines as they come; hand each result or error on."""
    import ray

    while pending:
        done, _ = ray.wait(list(pending), num_returns=1, timeout=_WAIT_SECONDS)
        lines.drain()
        for ref in done:
            key = pending.pop(ref)
            try:
                result = ray.get(ref)
            except ray.exceptions.RayError as error:
                on_error(key, error)
            else:
                on_done(key, result)
    lines.drain()


def _probe_all(wanted: Sequence[plan.Need], settings: Settings, modules: Sequence[str], options: dict[str, Any],
               lines: _Lines) -> dict[plan.ProbeKey, precision.Probe]:
    """Probe each (model, recipe) on a worker, in parallel; a failed probe fails its claims' runs."""
    import ray

    remote = ray.remote(_probe).options(**options)
    pending = {remote.remote(claim, settings, modules): key for key, claim in plan.probe_keys(wanted).items()}
    probes: dict[plan.ProbeKey, precision.Probe] = {}

    def failed(key: plan.ProbeKey, error: BaseException) -> None:
        reason = f"cost estimate failed on the cluster: {_reason(error)}"
        for need in wanted:
            if need.probe_key == key:
                for _, path in need.missing:
                    store.write_failure(path, reason, settings)
        lines.say(f"{key[0]}: {reason}")

    _collect(pending, lines, probes.__setitem__, failed)
    return probes


def _train_all(todo: Sequence[plan.Run], probes: Mapping[plan.ProbeKey, precision.Probe], settings: Settings,
               modules: Sequence[str], options: dict[str, Any], lines: _Lines) -> None:
    """Submit every run and report each as its task stores it, or store its failure, printing the tasks' lines."""
    import ray

    remote = ray.remote(_train).options(**options)
    pending = {remote.remote(run, settings, modules, probes[run.claim.model, run.claim.recipe], lines.queue): run
               for run in todo}
    say = lines.say

    def stored(run: plan.Run, record: dict[str, Any]) -> None:
        if record.get("session") != settings.session:
            say(f"{run.path.name}: stored meanwhile by another session ({record.get('session')}), not trained again")
            return
        say(f"{run.path.name}: stored ({train.duration(record['wall_seconds'])}, {record['precision']['chosen']})")

    def failed(run: plan.Run, error: BaseException) -> None:
        reason = _reason(error)
        store.write_failure(run.path, reason, settings)
        say(f"{run.path.name}: failed: {reason}")

    _collect(pending, lines, stored, failed)


def train_claims(claims: Sequence[Any], settings: Settings, modules: Sequence[str], *,
                 pythonpath: Sequence[str] = ()) -> None:
    """Train on ``settings.cluster`` every run the claims need that is not stored, storing each result or
    failure; connects to the cluster unless this process already is."""
    import ray
    from ray.util.queue import Queue

    wanted = plan.needs(claims, settings)
    if not wanted:
        return
    say = settings.progress or (lambda line: None)
    connected_here = not ray.is_initialized()
    if connected_here:
        _answers(settings.cluster)
        try:
            ray.init(address=settings.cluster, logging_level=logging.WARNING, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as error:
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise Unreachable(f"--claims-cluster: cannot connect to {settings.cluster}: {first}") from None
    on_workers = dataclasses.replace(settings, device=torch.device(settings.device).type, progress=None,
                                     cluster=None)
    lines = _Lines(Queue(actor_options={"num_cpus": 0}), say)
    try:
        options = _task_options(settings, pythonpath)
        probes = _probe_all(wanted, on_workers, modules, options, lines)
        for (model, recipe), probe in probes.items():
            cost.PROBES[cost.probe_key(model, recipe, settings)] = probe
        todo = plan.within_budget(wanted, probes, settings)
        if settings.retrain:
            for run in todo:
                run.path.with_suffix(".ckpt").unlink(missing_ok=True)
        nodes = sum(node["Alive"] for node in ray.nodes())
        say(f"ray cluster {settings.cluster}: training {len(todo)} run(s) on {nodes} node(s), estimated "
            f"{train.duration(sum(run.estimate_seconds for run in todo))} of work")
        _train_all(todo, probes, on_workers, modules, options, lines)
    finally:
        ray.kill(lines.queue.actor)
        if connected_here:
            ray.shutdown()
