"""The environment record: which ledger, at which commit, measured with what."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
from small_runs import LINEAR_MODELS, TINY_RECIPE, any_accuracy_claim, judged_on_small_splits, write_cifar10

from claimbench import accelerators, environment
from claimbench.readme_markers import README_END, README_START
from claimbench.runs.timing import same_hardware

pytest_plugins = ["pytester"]


def _git(folder: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t", *arguments],
                   check=True, capture_output=True)


def test_the_ledger_is_named_by_its_checkout_and_commit(tmp_path: Path) -> None:
    ledger = tmp_path / "repo" / "claims"
    ledger.mkdir(parents=True)
    assert environment.describe(ledger)["ledger"] == "not in a git checkout"
    _git(tmp_path / "repo", "init", "-q")
    assert environment.describe(ledger)["ledger"] == "repo, no commit yet"
    (ledger / "mine.toml").write_text("format = 2\n", encoding="utf-8")
    _git(tmp_path / "repo", "add", ".")
    _git(tmp_path / "repo", "commit", "-q", "-m", "ledger")
    clean = environment.describe(ledger / "mine.toml")["ledger"]
    assert clean.startswith("repo @ ") and not clean.endswith("+")
    (ledger / "mine.toml").write_text("format = 2\n# edited\n", encoding="utf-8")
    assert environment.describe(ledger)["ledger"] == f"{clean}+"


def test_a_ledger_never_committed_is_marked_as_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger folder or file that git has never seen is not the commit the record names; an untracked file
    elsewhere in the checkout, or one git ignores, leaves the ledger as committed."""
    repo = tmp_path / "repo"
    (repo / "claims").mkdir(parents=True)
    (repo / "README.md").write_text("# Mine\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "config", "status.showUntrackedFiles", "no")  # a user's setting: the check asks for them itself
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "readme")
    (repo / "claims" / "mine.toml").write_text("format = 2\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    for ledger in (repo / "claims", repo / "claims" / "mine.toml", Path("claims")):
        assert re.fullmatch(r"repo @ [0-9a-f]{12}\+", environment.describe(ledger)["ledger"]), ledger
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "ledger")
    (repo / "notes.txt").write_text("elsewhere\n", encoding="utf-8")
    (repo / ".gitignore").write_text("runs/\n", encoding="utf-8")
    (repo / "claims" / "runs").mkdir()
    (repo / "claims" / "runs" / "run.pt").write_text("ignored\n", encoding="utf-8")
    _git(repo, "add", ".gitignore")
    _git(repo, "commit", "-q", "-m", "ignore")
    assert re.fullmatch(r"repo @ [0-9a-f]{12}", environment.describe(Path("claims"))["ledger"])
    (repo / "claims" / "other.toml").write_text("format = 2\n", encoding="utf-8")
    assert environment.describe(repo / "claims")["ledger"].endswith("+")
    assert not environment.describe(repo / "claims" / "mine.toml")["ledger"].endswith("+"), "the other file only"


def test_the_files_a_session_writes_leave_the_commit_as_it_was(tmp_path: Path) -> None:
    """A second ``make report`` finds the report, JSON and badges the first one wrote changed: those are the session's
    own files, not the code or the ledger the commit names; a model's change still marks it."""
    repo = tmp_path / "repo"
    for name in ("claims/mine.toml", "models/net.py", "REPORT.md", "results/claims.json", "badges/claims.svg"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("first\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    written = [repo / "REPORT.md", repo / "results" / "claims.json", repo / "badges", tmp_path / "elsewhere" / "plots"]
    for name in ("REPORT.md", "results/claims.json", "badges/claims.svg"):
        (repo / name).write_text("rewritten\n", encoding="utf-8")
    (repo / "badges" / "claims.svg").rename(repo / "badges" / "old.svg")
    _git(repo, "add", "-A", "badges")
    clean = environment.describe(repo / "claims", written=written)["ledger"]
    assert re.fullmatch(r"repo @ [0-9a-f]{12}", clean)
    assert environment.describe(repo / "claims")["ledger"] == f"{clean}+", "written by no session: a change"
    (repo / "models" / "net.py").write_text("edited\n", encoding="utf-8")
    assert environment.describe(repo / "claims", written=written)["ledger"] == f"{clean}+"


def test_a_readme_is_the_commit_s_where_only_its_marked_summary_changed(tmp_path: Path) -> None:
    """claimbench rewrites only the README's span between its markers: a new summary there leaves the commit as it
    was; an edit of the rest (the report's own table), or of a README that lost its markers, marks it."""
    repo = tmp_path / "repo"
    (repo / "claims").mkdir(parents=True)
    (repo / "claims" / "mine.toml").write_text("format = 2\n", encoding="utf-8")
    readme = repo / "docs" / "README.md"
    readme.parent.mkdir()
    readme.write_text(f"# Mine\n\n| net | 1 |\n\n{README_START}\nold\n{README_END}\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    clean = environment.describe(repo / "claims")["ledger"]
    summarised = readme.read_text(encoding="utf-8").replace("\nold\n", "\nnew\n\n| net | 2 |\n")
    readme.write_text(summarised, encoding="utf-8")
    assert environment.describe(repo / "claims", readme=readme)["ledger"] == clean
    assert environment.describe(repo / "claims")["ledger"] == f"{clean}+", "written by no session: a change"
    readme.write_text(summarised.replace("| net | 1 |", "| net | 3 |"), encoding="utf-8")
    assert environment.describe(repo / "claims", readme=readme)["ledger"] == f"{clean}+", "the report's own table"
    readme.write_text(summarised.replace(README_END, ""), encoding="utf-8")
    assert environment.describe(repo / "claims", readme=readme)["ledger"] == f"{clean}+", "no span claimbench writes"


def test_a_written_folder_that_holds_the_ledger_or_the_checkout_hides_no_change(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """``--claims-plots=.`` writes into the checkout's root, a folder the ledger lies in: leaving it out would leave
    out every change. Only a written file or folder that holds neither the ledger nor the root is left out."""
    repo = tmp_path / "repo"
    for name in ("claims/mine.toml", "models/net.py", "plots/old.png"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("first\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    monkeypatch.chdir(repo)
    clean = environment.describe(repo / "claims")["ledger"]
    (repo / "plots" / "old.png").write_text("rewritten\n", encoding="utf-8")
    assert environment.describe(Path("claims"), written=[Path("plots")])["ledger"] == clean
    (repo / "models" / "net.py").write_text("edited\n", encoding="utf-8")
    for written in (Path("."), repo, tmp_path, repo / "claims"):
        assert environment.describe(repo / "claims", written=[written])["ledger"] == f"{clean}+", written
    _git(repo, "checkout", "--", "models")
    (repo / "claims" / "mine.toml").write_text("edited\n", encoding="utf-8")
    for written in (Path("claims"), repo / "claims" / "mine.toml"):
        assert environment.describe(repo / "claims" / "mine.toml", written=[written])["ledger"] == f"{clean}+", written


def _repository(top: Path, package: str, name: str) -> Path:
    """A committed git repository at ``top`` named ``name`` by its pyproject.toml, with a claimbench package at
    ``package``; the package's folder."""
    (top / package).mkdir(parents=True)
    (top / package / "__init__.py").write_text('"""claimbench."""\n', encoding="utf-8")
    (top / "pyproject.toml").write_text(f'[project]\nname = "{name}"\n', encoding="utf-8")
    _git(top, "init", "-q")
    _git(top, "add", ".")
    _git(top, "commit", "-q", "-m", "first")
    return top / package


def test_a_commit_is_claimbench_s_only_in_its_own_source_checkout(tmp_path: Path) -> None:
    version = importlib.metadata.version("claimbench")
    source = _repository(tmp_path / "claimbench-src", "claimbench", "claimbench")
    assert re.fullmatch(rf"{re.escape(version)} \(claimbench-src @ [0-9a-f]{{12}}\)", environment._version(source))
    (source.parent / "pyproject.toml").write_text('[project]\nname = "claimbench"\n# edited\n', encoding="utf-8")
    assert environment._version(source).endswith("+)")
    assert not environment._version(source, written=[source.parent / "pyproject.toml"]).endswith("+)"), "the session's"
    installed = _repository(tmp_path / "gproj", ".venv/lib/python3.11/site-packages/claimbench", "gproj")
    assert environment._version(installed) == version
    vendored = _repository(tmp_path / "vendor", "claimbench", "gproj")
    assert environment._version(vendored) == version


def test_the_record_names_the_torchinfo_that_measures(tmp_path: Path) -> None:
    """torchinfo is the second MAC counter and sizes the activations: its version is part of what measured."""
    assert environment.describe(tmp_path)["torchinfo"] == importlib.metadata.version("torchinfo")


def test_the_bf16_instructions_are_read_from_the_first_processor_s_flags() -> None:
    """x86 lists ``flags``, Arm ``Features``; only the bfloat16 ones are kept, in ``BF16_FLAGS`` order."""
    x86 = "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx2 avx512f avx512_bf16 amx_tile amx_bf16\n\n" \
          "processor\t: 1\nflags\t\t: fpu\n"
    assert environment.bf16_flags(x86) == ("amx_bf16", "amx_tile", "avx512_bf16")
    assert environment.bf16_flags("processor\t: 0\nFeatures\t: fp asimd sve bf16 i8mm\n") == ("bf16",)
    assert environment.bf16_flags("processor\t: 0\nflags\t\t: fpu avx2\n") == ()
    assert environment.bf16_flags("") == ()


def test_a_cpu_s_revision_is_its_first_processor_s_family_model_and_stepping() -> None:
    """Two "AMD EPYC" of one name, one with AMX: what /proc/cpuinfo tells them apart by ("model name" is not it)."""
    x86 = ("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\nmodel name\t: Intel Xeon\n"
           "stepping\t: 8\n\nprocessor\t: 1\ncpu family\t: 6\nmodel\t\t: 85\nstepping\t: 7\n")
    assert environment.cpu_revision(x86) == "cpu family 6, model 143, stepping 8"
    assert environment.cpu_revision("processor\t: 0\nFeatures\t: fp asimd\n") == ""
    assert environment.device_revision("cuda") == "", "a GPU's name and compute capability tell it apart"


def test_a_cpu_s_features_name_torch_s_kernels_and_its_bf16_instructions() -> None:
    features = environment.device_features("cpu")
    assert features.split(", ")[0] == f"CPU capability {torch.backends.cpu.get_cpu_capability()}"
    assert set(features.split(", ")[1:]) <= set(environment.BF16_FLAGS)
    assert environment.processor("cpu") in environment.device_name("cpu", 3)
    assert environment.device_name("cpu", 3).endswith(" (3 threads)") and "thread" not in environment.processor()


def test_an_mps_device_is_named_as_its_gpu_not_as_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run or an epoch time on mps names the Mac's GPU, as one on CUDA names the GPU: no CPU model, capability or
    revision, and no thread count, which a GPU's steps do not rest on."""
    monkeypatch.setattr(accelerators, "_apple_chip", lambda: "Apple M2 Pro")
    assert environment.device_name("mps", 8) == environment.processor("mps") == "Apple M2 Pro GPU"
    assert environment.device_features("mps").startswith("MPS on macOS ")
    assert environment.device_revision("mps") == ""
    assert same_hardware("M2 Pro", environment.device_name("mps", 8))


def test_a_run_trained_after_a_report_was_rewritten_is_the_commit_s(pytester: pytest.Pytester, tmp_path: Path) -> None:
    """A stored run's record names the commit its session's report names: the report and the README's summary
    (``--claims-readme``) a previous session rewrote are the session's own files, not a change of the checkout; an
    edited model, or an edit of the README outside its summary, still marks it."""
    pytester.makeini("[pytest]\nclaims_dir = claims\nclaims_train_device = cpu\nclaims_results_dir = runs\n"
                     "claims_allow_unverified_data = true\nclaims_report = REPORT.md\n")
    (pytester.path / "claims").mkdir()
    ledger = 'format = 2\n\n[report]\ntitle = "One run"\nmodules = ["linearmodels"]\n' + TINY_RECIPE
    (pytester.path / "claims" / "one.toml").write_text(
        ledger + any_accuracy_claim("accuracy/one", "small.linear", "tiny", "the run"), encoding="utf-8")
    (pytester.path / "linearmodels.py").write_text(LINEAR_MODELS, encoding="utf-8")
    (pytester.path / "REPORT.md").write_text("# claimbench verdicts\n\nan earlier session's\n", encoding="utf-8")
    readme = pytester.path / "README.md"
    readme.write_text(f"# One run\n\n{README_START}\nan earlier session's\n{README_END}\n", encoding="utf-8")
    (pytester.path / ".gitignore").write_text("runs/\n__pycache__/\n.pytest_cache/\n", encoding="utf-8")
    for arguments in (("init", "-q"), ("add", "."), ("commit", "-q", "-m", "first")):
        _git(pytester.path, *arguments)
    (pytester.path / "REPORT.md").write_text("# claimbench verdicts\n\nthe last session's\n", encoding="utf-8")
    readme.write_text(readme.read_text(encoding="utf-8").replace("an earlier", "the last"), encoding="utf-8")
    data = write_cifar10(tmp_path / "synthetic", per_batch=10, test=20)

    def stored_ledger() -> str:
        shutil.rmtree(pytester.path / "runs", ignore_errors=True)
        assert judged_on_small_splits(pytester.runpytest_subprocess(f"--claims-data-root={data}",
                                                                    "--claims-readme=README.md", "-p", "no:xdist"))
        [run] = [json.loads(path.read_text()) for path in (pytester.path / "runs").rglob("*.json")
                 if "history" in json.loads(path.read_text())]
        return run["environment"]["ledger"]

    clean = stored_ledger()
    assert re.fullmatch(r"\S+ @ [0-9a-f]{12}", clean)
    readme.write_text(readme.read_text(encoding="utf-8").replace("# One run", "# One run, edited"), encoding="utf-8")
    assert stored_ledger() == f"{clean}+", "the README outside its summary"
    _git(pytester.path, "checkout", "-q", "README.md")
    (pytester.path / "linearmodels.py").write_text(LINEAR_MODELS + "\n# edited\n", encoding="utf-8")
    assert stored_ledger() == f"{clean}+"


def test_tf32_is_named_where_torchs_flags_run_fp32_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """An "fp32" run on an Ampere or later GPU has its convolutions in TF32 by torch's default, and its matmuls
    where a flag allows them; a CPU and an older GPU have no TF32."""
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (9, 0))
    flags = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32  # torch's own, set back below
    try:
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = True, False
        assert environment.tf32("cuda") == ["convolutions"] and environment.tf32("cpu") == []
        torch.backends.cuda.matmul.allow_tf32 = True
        assert environment.tf32("cuda:1") == ["convolutions", "matmuls"]
        monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (7, 0))
        assert environment.tf32("cuda") == []
    finally:
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = flags
