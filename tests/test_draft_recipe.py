"""`claimbench draft`: the training settings a report's running text states, read into the drafted recipe as guesses
with their words, and what it states that the ledger cannot hold said above the TODO it leaves."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from claimbench import draft_recipe, vocab
from claimbench.draft import TRAINING_BAND, draft
from claimbench.draft_recipe import KERAS_EPS, drafted, stated
from claimbench.ledger import LedgerError, load_reports
from claimbench.schema import Recipe
from claimbench.toml_lines import Guess

_TABLE = "## Results\n\n| Model | Test Acc |\n|---|---|\n| A | 88.7% |\n"


def _report(text: str) -> str:
    """A report of one accuracy (a claim that trains, so the draft writes a recipe) and ``text`` above it."""
    return f"# R\n\n{text}\n\n{_TABLE}"


def _recipe(markdown: str) -> dict:
    """The drafted recipe of ``markdown``, as TOML reads it."""
    return tomllib.loads(draft(markdown, slug="demo", source="demo.md"))["recipe"]["demo"]


def _lines(markdown: str) -> list[str]:
    """The drafted recipe's lines, the comments above it and within it among them."""
    ledger = draft(markdown, slug="demo", source="demo.md")
    return re.search(r"^# The training.*?\n\n", ledger, flags=re.MULTILINE | re.DOTALL).group().splitlines()


def _filled(ledger: str, **values: str) -> str:
    """A draft with its TODOs filled as an author might: ``values`` by key, then the first allowed value, a model, a
    band."""
    for key, value in values.items():
        ledger = re.sub(rf'(?m)^({key}\s*=\s*)"TODO: [^"]*"', rf"\g<1>{value}", ledger)
    ledger = re.sub(r'"TODO: [^"(]*\(([\w.]+) \|[^"]*\)"', r'"\1"', ledger)
    ledger = re.sub(r'"TODO: model reference[^"]*"', '"torchvision:resnet18"', ledger)
    return ledger.replace(f'"{TRAINING_BAND}"', "2")


def _loaded_recipe(ledger: str, tmp_path: Path) -> Recipe:
    """The recipe of the claim of ``ledger``, as the ledger loader reads it."""
    (tmp_path / "demo.toml").write_text(ledger, encoding="utf-8")
    (report,) = load_reports(tmp_path)
    (claim,) = report.claims
    assert claim.recipe is not None
    return claim.recipe


CIFAR = _report(
    "## Training\n\n```\npython main.py --resume --lr=0.01\n```\n\n"
    "Every model was trained for 200 epochs with SGD (lr 0.1, momentum 0.9, weight decay 5e-4), batch size 128 and a\n"
    "cosine annealing schedule, with random crops and horizontal flips.")


def test_the_settings_a_sentence_states_are_guessed_with_their_words() -> None:
    """A reviewer's CIFAR README stated its whole recipe in one sentence, and the draft wrote seven bare TODOs. Each
    key the sentence states is now a guess with the words it was read from (the command line in a code block is no
    recipe's), the sentence is quoted above the recipe, and the keys it does not state stay TODOs."""
    recipe, lines = _recipe(CIFAR), _lines(CIFAR)
    assert {key: recipe[key] for key in ("optimizer", "lr", "momentum", "weight_decay", "batch_size", "epochs")} == {
        "optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4, "batch_size": 128, "epochs": 200}
    assert 'lr           = 0.1  # read from \'lr 0.1\'' in lines
    assert 'optimizer    = "sgd"  # read from \'SGD\'' in lines
    assert "weight_decay = 0.0005  # read from 'weight decay 5e-4'" in lines
    assert lines[2] == ('#   "Every model was trained for 200 epochs with SGD (lr 0.1, momentum 0.9, weight decay '
                        '5e-4), batch size 128 and a cosine annealing schedule, with random crops and horizontal '
                        'flips."')
    assert recipe["validation"].startswith("TODO: validation (") and recipe["normalize"].startswith("TODO: normalize (")


def test_a_schedule_the_ledger_lacks_is_said_above_its_todo_and_one_it_has_is_guessed() -> None:
    """"a cosine annealing schedule": a guess where the vocabulary has "cosine", else a comment that says the report
    states it and the ledger has no such schedule, above the schedule's TODO: never a silently wrong schedule."""
    recipe, lines = _recipe(CIFAR), _lines(CIFAR)
    if "cosine" in vocab.SCHEDULES:
        assert recipe["schedule"] == "cosine" and not [line for line in lines if "no such schedule" in line]
        return
    assert recipe["schedule"].startswith("TODO: schedule (")
    note = lines.index(next(line for line in lines if line.startswith("schedule"))) - 1
    assert lines[note] == (f"# the report states schedule cosine ('cosine annealing'); the ledger has no such "
                           f"schedule ({' | '.join(vocab.SCHEDULES)}): claimbench cannot train it as stated")


CONSTANT = _report("All models are trained for **1 epoch** with Adam (lr = 1e-3), batch size 128 and a constant "
                   "learning rate, and evaluated on the 10k test images.")


def test_a_drafted_recipe_is_refused_until_its_todos_are_filled_and_loads_then(tmp_path: Path) -> None:
    """Bold words are read as their text (the markdown parser's), and the guesses are values the loader takes: the
    draft is refused for the TODOs left (validation, normalize), and once they are filled its recipe is the one the
    sentence states."""
    ledger = draft(CONSTANT, slug="demo", source="demo.md")
    (tmp_path / "demo.toml").write_text(ledger, encoding="utf-8")
    with pytest.raises(LedgerError) as refused:
        load_reports(tmp_path)
    assert re.findall(r"recipe\.demo: (\w+): TODO left by claimbench draft", str(refused.value)) == [
        "validation", "normalize"]
    recipe = _loaded_recipe(_filled(ledger), tmp_path)
    assert (recipe.optimizer, recipe.lr, recipe.batch_size, recipe.epochs, recipe.schedule) == (
        "adam", 1e-3, 128, 1, "constant")


def test_a_list_of_settings_is_read_item_by_item_and_a_plateau_asks_for_its_table(tmp_path: Path) -> None:
    """Settings in a list, one an item; a reduce-on-plateau schedule is guessed with a TODO for the plateau table
    the ledger requires with it, and the draft loads once that is given."""
    markdown = _report("Training:\n\n- Optimizer: AdamW\n- Learning rate: 3e-4\n- Epochs: 30\n- Batch size: 64\n"
                       "- The learning rate is reduced on plateau.")
    recipe = _recipe(markdown)
    assert {key: recipe[key] for key in ("optimizer", "lr", "epochs", "batch_size", "schedule")} == {
        "optimizer": "adamw", "lr": 3e-4, "epochs": 30, "batch_size": 64, "schedule": "plateau"}
    assert recipe["plateau"] == ("TODO: the plateau schedule's settings, an inline table { monitor, factor, patience, "
                                 "min_lr }")
    ledger = _filled(draft(markdown, slug="demo", source="demo.md"), validation='"test"',
                     plateau='{ monitor = "val_loss", factor = 0.5, patience = 5, min_lr = 0.0 }')
    assert _loaded_recipe(ledger, tmp_path).plateau.factor == 0.5


def test_a_value_the_ledger_does_not_take_is_said_above_its_todo() -> None:
    """An optimizer, a schedule or a number the ledger cannot hold (RMSprop, an exponential decay, a momentum of 1
    or more) is said in a comment above the key's TODO (a key no recipe needs gets one then too), never guessed."""
    markdown = _report("We train with RMSprop (momentum 1.5) for 90 epochs; the learning rate is decayed "
                       "exponentially.")
    recipe, lines = _recipe(markdown), _lines(markdown)
    assert recipe["optimizer"].startswith("TODO") and recipe["schedule"].startswith("TODO")
    assert recipe["momentum"] == "TODO: momentum" and recipe["epochs"] == 90
    assert ("# the report states optimizer rmsprop ('RMSprop'); the ledger has no such optimizer (adam | adamw | sgd): "
            "claimbench cannot train it as stated") in lines
    assert ("# the report states schedule exponential ('decayed exponentially'); the ledger has no such schedule "
            f"({' | '.join(vocab.SCHEDULES)}): claimbench cannot train it as stated") in lines
    assert ("# the report states momentum 1.5 ('momentum 1.5'); the ledger takes no such momentum: claimbench cannot "
            "train it as stated") in lines


def test_a_setting_stated_twice_or_in_a_list_is_left_to_the_author() -> None:
    """Two learning rates give no guess but a comment naming both; a list of epoch counts, a count after which
    something happens and an inference batch size give none, nor any comment."""
    markdown = _report("ResNet is trained with lr 0.1 and VGG with lr 0.01. Models trained for 20, 30, and 40 epochs "
                       "do best. After 50 epochs they overfit. Latency is measured at batch size 1.")
    recipe, lines = _recipe(markdown), _lines(markdown)
    assert recipe["lr"] == "TODO: lr"
    assert "# the report states lr 0.1 ('lr 0.1') and 0.01 ('lr 0.01'): give the one its claims trained with" in lines
    assert recipe["epochs"] == "TODO: epochs" and recipe["batch_size"] == "TODO: batch size"
    assert not [line for line in lines if "epochs" in line and line.startswith("# the report")]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("We use lr 0.1 and 200 epochs.", [("lr", 0.1), ("epochs", 200)]),
    ("Batch size 128, 200 epochs, SGD with 0.9 momentum.",
     [("momentum", 0.9), ("batch_size", 128), ("epochs", 200), ("optimizer", "sgd")]),
    ("SGD with Nesterov momentum of 0.9.", [("momentum", 0.9), ("optimizer", "sgd"), ("nesterov", True)]),
    ("batches of 64 images, lr=3e-4", [("lr", 3e-4), ("batch_size", 64)]),
    ("num_epochs = 30, for the first 5 epochs a warm-up", [("epochs", 30), ("schedule", "warm-up")]),
    ("The accuracy plateaus after 10 epochs; cosine similarity of the features.", []),
    ("The minimum learning rate is 1e-6, lr 0.1 or 0.01 for the head, 10-20 epochs.", [("lr", 0.1), ("lr", 0.01)]),
    ("Each batch of 256 MB is read from disk.", []),  # "256 MB" is a candidate claim, no batch size
    ("lr 0.1, momentum 0.9, weight decay 5e-4", [("lr", 0.1), ("momentum", 0.9), ("weight_decay", 5e-4)]),
    ("lr 0.1 (batch size 256), 200 epochs.", [("lr", 0.1), ("batch_size", 256), ("epochs", 200)]),
    ("A batch size of 128 (2 × 64).", [("batch_size", 128)]),
    ("With lr 0.1, 93.2% accuracy after 200 epochs.", [("lr", 0.1)]),  # a percentage after it is a result
    ("lr 0.1, 1.2M parameters.", [("lr", 0.1)]),
])
def test_the_settings_of_one_sentence(sentence: str, expected: list[tuple[str, object]]) -> None:
    assert [(setting.key, setting.value) for setting in stated(sentence)] == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("We train with a learning rate of 3 × 10^-4 using Adam.", [("lr", 3e-4), ("optimizer", "adam")]),
    ("Adam, lr 3x10-4.", [("lr", 3e-4), ("optimizer", "adam")]),
    ("Weight decay is 5 × 10⁻⁴.", [("weight_decay", 5e-4)]),
    ("Adam with lr 1·10^-3.", [("lr", 1e-3), ("optimizer", "adam")]),
    ("A 5 × 10^-4 weight decay and lr 1e-3.", [("lr", 1e-3), ("weight_decay", 5e-4)]),
    ("lr = 0.1 × batch size / 256", []),
])
def test_a_power_of_ten_is_read_whole(sentence: str, expected: list[tuple[str, object]]) -> None:
    """"3 × 10^-4" was read as its mantissa, a learning rate of 3.0 under a comment quoting "learning rate of 3":
    a power of ten is read as the number it writes, and a number times another is no setting."""
    assert [(setting.key, setting.value) for setting in stated(sentence)] == expected


@pytest.mark.parametrize("sentence", [
    "We use SGD with cosine annealing with warm restarts (SGDR), lr 0.1.",
    "The schedule is CosineAnnealingWarmRestarts with T_0 = 10.",
    "A cosine schedule with restarts every 10 epochs.",
])
def test_warm_restarts_are_no_cosine_schedule(sentence: str) -> None:
    """Cosine annealing with warm restarts (SGDR) was guessed "cosine", a single cycle the engine trains: it is a
    schedule the ledger has no value for, said above the schedule's TODO as a multi-step one is."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["schedule"].startswith("TODO: schedule (") and not [line for line in lines if "cosine (" in line]
    assert [line for line in lines if line.startswith("# the report states schedule warm restarts (")
            and line.endswith("claimbench cannot train it as stated")]


@pytest.mark.parametrize(("sentence", "key", "expected"), [
    ("SGD, momentum 0.9 (Nesterov momentum not used).", "nesterov", False),
    ("SGD with momentum 0.9, without Nesterov.", "nesterov", False),
    ("Early stopping with a patience of 10 epochs.", "epochs", None),
    ("Adam optimizer; BatchNorm momentum 0.99.", "momentum", None),
    ("Models are evaluated with batch size 1000.", "batch_size", None),
    ("The test batch size is 1000.", "batch_size", None),
    ("We use a batch size of 128 per GPU on 8 GPUs.", "batch_size", None),
])
def test_a_setting_of_something_else_is_not_guessed(sentence: str, key: str, expected: object) -> None:
    """Each of these was a silent wrong guess (Nesterov on, 10 epochs from a patience, Adam with a momentum, a
    training batch size of an evaluation's or of one GPU's): the key is now not stated (None) or stated as
    the words say."""
    assert [setting.value for setting in stated(sentence) if setting.key == key] == (
        [] if expected is None else [expected])


def test_the_docstrings_refused_examples_are_refused() -> None:
    """The module docstring said ``vocab.SCHEDULES`` has no "cosine" after it gained one: each value it names as
    one the ledger has none of is refused with a note, never guessed."""
    examples = re.search(r"has none of \((.*?)\)", " ".join(draft_recipe.__doc__.split()))
    assert examples
    for example in re.findall(r'"([^"]+)"', examples[1]):
        made = drafted([example])
        assert made.notes and not [key for key in made.notes if isinstance(made.keys.get(key), Guess)], example


@pytest.mark.parametrize(("sentence", "values", "words"), [
    ("We use SGD with lr 0.1, 0.01 too.", "0.1 and 0.01", "lr 0.1, 0.01"),
    ("We try learning rates of 0.1 and 0.01.", "0.1 and 0.01", "learning rates of 0.1 and 0.01"),
    ("SGD with lr in {0.1, 0.01}.", "0.1 and 0.01", "lr in {0.1, 0.01}"),
    ("SGD with lr 0.1 (0.01 for the fine-tune).", "0.1 and 0.01", "lr 0.1 (0.01 for the fine-tune)"),
    ("SGD with lr 0.1, 0.01.", "0.1 and 0.01", "lr 0.1, 0.01"),
    ("Learning rates of 0.1 and 0.01 were tried.", "0.1 and 0.01", "Learning rates of 0.1 and 0.01"),
    ("SGD with lr 0.1 or 0.01 is used.", "0.1 and 0.01", "lr 0.1 or 0.01"),
])
def test_several_learning_rates_in_one_phrase_are_said_above_the_todo(sentence: str, values: str, words: str) -> None:
    """"lr 0.1, 0.01 too" and "lr 0.1 (0.01 for the fine-tune)" were lr 0.1, a silent wrong guess for the claims
    trained at 0.01, and "lr 0.1, 0.01" no guess and no word of why: several learning rates in one phrase keep the
    TODO under a comment naming them all."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["lr"] == "TODO: lr"
    assert f"# the report states lr {values} ({words!r}): give the one its claims trained with" in lines


@pytest.mark.parametrize(("sentence", "words"), [
    ("We use cosine annealing to 1e-4.", "cosine annealing to 1e-4"),
    ("A cosine decay with a minimum lr of 1e-5.", "cosine decay with a minimum lr of 1e-5"),
    ("CosineAnnealingLR, eta_min=1e-6.", "CosineAnnealingLR, eta_min=1e-6"),
    ("The schedule's eta_min is 1e-6.", "eta_min is 1e-6"),
    ("- eta_min: 1e-6", "eta_min: 1e-6"),
    ("The lr follows cosine annealing over 200 epochs to a floor of 0.001.",
     "cosine annealing over 200 epochs to a floor of 0.001"),
    ("The learning rate was decayed from 0.1 to 1e-4 following a cosine schedule.",
     "to 1e-4 following a cosine schedule"),
    ("The learning rate is annealed to 1e-5 with cosine annealing.", "to 1e-5 with cosine annealing"),
    ("LR 0.1 to 0.001 with cosine decay.", "to 0.001 with cosine decay"),
])
def test_a_cosine_to_a_floor_is_no_cosine_schedule(sentence: str, words: str) -> None:
    """A cosine schedule that ends at a learning rate above 0 was guessed "cosine", which the engine anneals to 0
    (``CosineAnnealingLR``, ``eta_min`` 0): it is no schedule the ledger has, said above the schedule's TODO as warm
    restarts are."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["schedule"].startswith("TODO: schedule (")
    assert (f"# the report states schedule cosine to a floor ({words!r}); the ledger's cosine decays to 0 (eta_min 0): "
            f"claimbench cannot train it as stated") in lines


@pytest.mark.parametrize("sentence", [
    "We use cosine annealing to 0.", "A cosine decay to zero.", "A cosine schedule (eta_min = 0), lr 0.1.",
    "The learning rate follows a cosine schedule; it is decayed to 0.0 by the end.",
])
def test_a_cosine_to_zero_is_the_ledgers_cosine(sentence: str) -> None:
    assert _recipe(_report(sentence))["schedule"] == "cosine"


@pytest.mark.parametrize(("sentence", "guessed"), [
    ("We use cosine decay and increase the batch size to 256.", True),
    ("Cosine learning rate schedule from epoch 10 to 200.", True),
    ("We use SGD with cosine annealing, and images are resized to 224.", True),
    ("Cosine annealing schedule with a 5-epoch linear warm-up to 0.4.", False),
    ("Cosine annealing; we scale lr linearly to 0.4 for batch 1024.", True),
])
def test_a_number_another_setting_goes_to_is_no_cosines_floor(sentence: str, guessed: bool) -> None:
    """Any "to <number>" after a cosine's words was its floor ("the batch size to 256", "a warm-up to 0.4"), so the
    right "cosine" guess became a TODO: a floor is a learning rate below 1 in the cosine's clause, with no ";" nor
    another setting's name between them. A warm-up keeps the TODO its own note explains."""
    schedules = [setting.value for setting in stated(sentence) if setting.key == "schedule"]
    assert "cosine" in schedules
    assert not [line for line in _lines(_report(sentence)) if "cosine to a floor" in line]
    assert (_recipe(_report(sentence))["schedule"] == "cosine") is guessed


@pytest.mark.parametrize(("sentence", "key", "note"), [
    ("With lr 0.1, 93.2 on CIFAR-10.", "lr", "lr 0.1 ('lr 0.1, 93.2'), perhaps among others"),
    ("Best result (lr 0.01, 94.12) uses SGD.", "lr", "lr 0.01 ('lr 0.01, 94.12'), perhaps among others"),
    ("With a learning rate of 0.001, 0.8843 accuracy was reached.", "lr",
     "lr 0.001 ('learning rate of 0.001, 0.8843'), perhaps among others"),
    ("Trained with lr 0.01, 0.9234 test accuracy.", "lr", "lr 0.01 ('lr 0.01, 0.9234'), perhaps among others"),
    ("Weight decay 5e-4, 0.9412 accuracy, 11.2M parameters.", "weight_decay",
     "weight_decay 0.0005 ('Weight decay 5e-4, 0.9412'), perhaps among others"),
    ("LR 0.05 (93.4 vs 93.1 at 0.1).", "lr", "lr 0.05 ('LR 0.05 (93.4 vs 93.1 at 0.1)'), perhaps among others"),
    ("Momentum 0.9 (0.95 accuracy with Nesterov).", "momentum",
     "momentum 0.9 ('Momentum 0.9 (0.95 accuracy with Nesterov)'), perhaps among others"),
    ("Learning rates of 0.1 and 0.01 both work.", "lr", "lr 0.1 and 0.01 ('Learning rates of 0.1 and 0.01')"),
    ("We tried learning rates 0.1 and 0.01 which gave 93.1 and 92.5.", "lr",
     "lr 0.1 and 0.01 ('learning rates 0.1 and 0.01')"),
    ("Learning rates of 0.1 work well for ResNets.", "lr", "lr 0.1 ('Learning rates of 0.1'), perhaps among others"),
    ("lr 0.1 and 0.01 yield similar accuracy.", "lr", "lr 0.1 and 0.01 ('lr 0.1 and 0.01')"),
    ("Momentum of 0.9, 0.99 gave worse results.", "momentum", "momentum 0.9 and 0.99 ('Momentum of 0.9, 0.99')"),
    ("LR 0.1 to 0.001 with cosine decay.", "lr", "lr 0.1 and 0.001 ('LR 0.1 to 0.001')"),
    ("Adam (lr 3e-4, 0.9, 0.999), batch size 64.", "lr", "lr 0.0003 ('lr 3e-4, 0.9'), perhaps among others"),
    ("lr 0.1, 0.01 and 0.001 at epochs 100 and 150.", "lr", "lr 0.1 and 0.01 and 0.001 ('lr 0.1, 0.01 and 0.001')"),
    ("Weight decay 5e-4 (1e-4 for ImageNet).", "weight_decay",
     "weight_decay 0.0005 and 0.0001 ('Weight decay 5e-4 (1e-4 for ImageNet)')"),
])
def test_a_number_joined_after_a_settings_value_leaves_it_to_the_author(sentence: str, key: str, note: str) -> None:
    """A plural name ("learning rates of 0.1 and 0.01 both work") or a bare number joined after the value ("lr 0.1
    and 0.01 yield", "lr 0.1, 93.2 on CIFAR-10") gave a silent guess of the first value, or a note that named a
    result, Adam's betas or another setting's value as one of its values: the key keeps its TODO under a note naming
    the values read, and a result, a far number or another setting's is none of them."""
    made = drafted([sentence])
    assert not isinstance(made.keys[key], Guess)
    assert made.notes[key] == [f"the report states {note}: give the one its claims trained with"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Trained with SGD, lr 0.1 and 0.9 for momentum.", [("lr", 0.1), ("momentum", 0.9), ("optimizer", "sgd")]),
    ("SGD with 0.9 for the momentum and 5e-4 for weight decay.",
     [("momentum", 0.9), ("weight_decay", 5e-4), ("optimizer", "sgd")]),
    ("We use 0.1 for the learning rate and 128 for the batch size.", [("lr", 0.1), ("batch_size", 128)]),
    ("lr 0.1 for 200 epochs.", [("lr", 0.1), ("epochs", 200)]),  # the lr's number, no count of epochs'
    ("SGD with lr 0.1 for the epochs before the decay.", [("lr", 0.1), ("optimizer", "sgd")]),
    ("lr 0.1 for batch size 256.", [("lr", 0.1), ("batch_size", 256)]),  # a number after the name is its own
    ("A learning rate of 0.1 for the momentum optimizer.", [("lr", 0.1)]),  # the lr's number, named before it
    ("0.9 and 0.99 for momentum were tried.", []),  # a list
    ("0.9-0.99 for momentum.", []),  # a range
    ("Adam; 0.99 for the BatchNorm momentum.", [("optimizer", "adam")]),
    ("Adam; 0.99 for the momentum of BatchNorm.", [("optimizer", "adam")]),
    ("Adam; 0.99 momentum for BatchNorm layers.", [("optimizer", "adam")]),
    ("Adam; momentum 0.99 in the BN layers.", [("optimizer", "adam")]),
    ("Dropout 0.5 for batch normalization layers.", []),
    ("We use 128 for the batch size per GPU.", []),
    ("93.2 for the lr 0.1 model.", [("lr", 0.1)]),
])
def test_a_number_before_for_and_a_settings_name_is_its_value(sentence: str,
                                                               expected: list[tuple[str, object]]) -> None:
    """"lr 0.1 and 0.9 for momentum" gave no momentum and no lr (0.9 a candidate claim, and in doubt as a further
    learning rate): "<number> for <name>" ("for the <name>" too) is read as "<name> <number>" is, but for a count of
    epochs (whose number comes before its name), a number of a list or a range, one another setting names ("lr 0.1
    for ..."), one whose setting's name has a number of its own after it, and a BatchNorm's momentum."""
    assert [(setting.key, setting.value) for setting in stated(sentence)] == expected


def test_a_number_before_for_and_a_settings_name_is_guessed_with_its_words() -> None:
    """Each guess quotes its words whole: "0.9 for momentum", and "200 epochs" (which quoted "200" alone)."""
    markdown = _report("Trained with SGD, lr 0.1 and 0.9 for momentum. We train for 200 epochs.")
    recipe, lines = _recipe(markdown), _lines(markdown)
    assert (recipe["lr"], recipe["momentum"], recipe["epochs"]) == (0.1, 0.9, 200)
    assert "momentum   = 0.9  # read from '0.9 for momentum'" in lines
    assert "lr         = 0.1  # read from 'lr 0.1'" in lines
    assert "epochs     = 200  # read from '200 epochs'" in lines
    assert not [line for line in lines if line.startswith("# the report states")]
    assert "# [[claim]]" not in draft(_report("We use 0.9 for the momentum."), slug="demo", source="demo.md")


KERAS = _report('We train with `Adam(learning_rate=1e-3, epsilon=1e-07)` for 50 epochs, batch size 64, each image '
                'flipped by `RandomFlip("horizontal")`, and `model.fit(x, y, validation_split=0.1)` holds out a tenth '
                "of the training images.")


def test_a_keras_authors_epsilon_flip_and_validation_split_are_read() -> None:
    """A Keras author's Adam epsilon (1e-7, where PyTorch's default is 1e-8), horizontal flips and validation_split
    were left out of the drafted recipe, which trained with neither. The epsilon and the flip are guessed with their
    words; the split holds out a share of the training images where val_size counts them: validation is guessed
    "holdout", val_size is a TODO that says what the report states."""
    recipe, lines = _recipe(KERAS), _lines(KERAS)
    assert (recipe["eps"], recipe["augment"], recipe["validation"]) == (1e-7, ["flip"], "holdout")
    unaligned = [re.sub(r"^(\w+) +=", r"\1 =", line) for line in lines]
    assert "eps = 1e-7  # read from 'epsilon=1e-07'" in unaligned
    assert "augment = [\"flip\"]  # read from 'RandomFlip(\"horizontal\")'" in unaligned
    assert "validation = \"holdout\"  # read from 'validation_split=0.1'" in unaligned
    assert recipe["val_size"] == "TODO: val size"
    assert ("# the report states val_size 0.1 of the training images ('validation_split=0.1'): give it in images "
            "(0.1 × the training set's size); Keras holds out the last ones before shuffling, claimbench a random "
            "draw per seed") in lines


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Adam with eps = 1e-7.", [("eps", 1e-7), ("optimizer", "adam")]),
    ("The Adam epsilon is 1e-8.", [("eps", 1e-8), ("optimizer", "adam")]),
    ("`ImageDataGenerator(horizontal_flip=True)` augments the images.", [("augment", "flip")]),
    ("With random horizontal flips.", [("augment", "flip")]),
    ("`RandomHorizontalFlip()` then `RandomCrop(32, padding=4)`.", [("augment", "flip"), ("augment", "crop")]),
    ("Random crops and horizontal flips.", [("augment", "crop"), ("augment", "flip")]),
    ('`RandomFlip("horizontal_and_vertical")`', [("augment", "vertical flip")]),
    ("`RandomFlip()`, `RandomZoom(0.1)`.", [("augment", "vertical flip"), ("augment", "zoom")]),
    ("`ImageDataGenerator(width_shift_range=0.1, vertical_flip=True)`",
     [("augment", "shift"), ("augment", "vertical flip")]),
    ("`RandomResizedCrop(224)` and `RandomRotation(0.1)`.", [("augment", "resized crop"), ("augment", "rotate")]),
    ("`BatchNormalization(momentum=0.99, epsilon=0.001)` after each conv.", []),
    ("Each block ends in `LayerNorm(eps=1e-6)`.", []),
    ("Label smoothing with epsilon 0.1.", []),
    ("`model.fit(x, y, validation_split=0.2)`", [("validation", "holdout"), ("val_size", 0.2)]),
    ("A validation split of 0.1.", [("validation", "holdout"), ("val_size", 0.1)]),
])
def test_a_keras_authors_settings_of_one_sentence(sentence: str, expected: list[tuple[str, object]]) -> None:
    """Adam's epsilon, the augmentations (vertical flips, zooms and shifts the ledger lacks among them) and Keras's
    validation_split are read; a BatchNorm's momentum and epsilon, a LayerNorm's and a label smoothing's epsilon are
    not."""
    assert [(setting.key, setting.value) for setting in stated(sentence)] == expected


@pytest.mark.parametrize(("sentence", "note"), [
    ("Training images are flipped by `RandomFlip()`.",
     "# the report states augment vertical flip ('RandomFlip()'); the ledger has no such augment "
     f"({' | '.join(vocab.AUGMENTATIONS)}): claimbench cannot train it as stated"),
    ("Horizontal flips and `RandomZoom(0.1)`.",
     "# the report states augment zoom ('RandomZoom'); the ledger has no such augment "
     f"({' | '.join(vocab.AUGMENTATIONS)}): claimbench cannot train it as stated"),
])
def test_an_augmentation_the_ledger_lacks_is_said_above_the_augments_todo(sentence: str, note: str) -> None:
    """Keras's RandomFlip() flips vertically too, which no augmentation of the ledger does; nor has it a zoom: the
    augment key is a TODO with a comment that says so, never a guess of the flips alone."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["augment"].startswith("TODO: augment (") and note in lines


@pytest.mark.parametrize(("sentence", "eps", "named"), [
    ("We train with Adam (lr 1e-3) in Keras for 50 epochs.", 1e-7, "Keras"),
    ("Trained with TensorFlow 2.12, optimizer Adam.", 1e-7, "TensorFlow"),
    ("We train with Adam (lr 1e-3) in PyTorch for 50 epochs.", None, None),
    ("We train with SGD in Keras for 50 epochs.", None, None),
    ("Adam (epsilon 1e-8) in Keras.", 1e-8, None),
])
def test_keras_s_adam_epsilon_is_guessed_where_the_report_trains_with_keras(sentence: str, eps: float | None,
                                                                            named: str | None) -> None:
    """Keras's Adam adds an epsilon of 1e-7 where PyTorch's adds 1e-8 (the ledger's default): a Keras author's Adam,
    its epsilon unstated, trained with PyTorch's. Where the report names Keras or TensorFlow and Adam, eps is guessed
    1e-7 with a comment that says why; an epsilon the report states is read as stated."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe.get("eps") == eps
    if named:
        (line,) = [line for line in lines if line.startswith("eps ")]
        assert line.endswith(f"= 1e-7  # Keras's Adam's default epsilon, where PyTorch's is 1e-8: the report trains "
                             f"with Keras ({named!r})")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("We use a weight decay of 10^-4 and momentum 0.9.", 1e-4),
    ("Weight decay is 10⁻⁴.", 1e-4),
    ("We train with weight decay 10^{-5}.", 1e-5),
    ("We train with weight decay 10e-4.", 1e-3),
])
def test_a_bare_power_of_ten_is_read_whole(sentence: str, expected: float) -> None:
    """A reviewer's "a weight decay of 10^-4" drafted ``weight_decay = 10.0``, the power's base, a guess a user would
    trust. A bare power of ten ("10^-4", "10⁻⁴") is read whole, as "3 × 10^-4" is; "10e-4" is 1e-3, as written."""
    assert _recipe(_report(sentence))["weight_decay"] == expected


@pytest.mark.parametrize(("sentence", "augment"), [
    ("We do not use horizontal flips; the only augmentation is random cropping with 4-pixel padding.", ["crop"]),
    ("We used no horizontal flipping, only random crops.", ["crop"]),
    ("Random horizontal flips are applied; vertical flips are not used.", ["flip"]),
    ("We train with random crops, without horizontal flips.", ["crop"]),
    ("Horizontal flips are never applied. We use random crops.", ["crop"]),
    ("We use not only random crops but also horizontal flips.", ["crop", "flip"]),
])
def test_a_negated_augmentation_is_not_drafted_as_used(sentence: str, augment: list[str]) -> None:
    """A reviewer's "We do not use horizontal flips; the only augmentation is random cropping" drafted ["flip",
    "crop"]: an augmentation named under a negation (no, not, without, never, "are not used") is not used."""
    assert _recipe(_report(sentence))["augment"] == augment


@pytest.mark.parametrize("sentence", [
    "No data augmentation was used (no random crops, no flips).",
    "We do not use random crops. Horizontal flips are not applied.",
    "We train without data augmentation.",
])
def test_no_augmentation_leaves_augment_at_its_default_of_none(sentence: str) -> None:
    """A report that says it uses no augmentation, or negates each it names, drafts no augment: none is its
    default."""
    assert "augment" not in _recipe(_report(sentence))


@pytest.mark.parametrize(("sentence", "named"), [
    ("We use no random crops, horizontal flips or rotations.", "flip ('horizontal flips')"),
    ("No data augmentation is used for the baseline; the augmented model uses random crops.", "crop ('random crops')"),
])
def test_an_augmentation_whose_negation_is_unclear_leaves_augment_a_todo(sentence: str, named: str) -> None:
    """"no random crops, horizontal flips or rotations" may negate all three: an augmentation beside a negation that
    may be its own, or beside "no data augmentation", is no guess; augment is a TODO under a comment naming it."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["augment"].startswith("TODO: augment (")
    assert any(line.startswith("# ") and named in line and "say whether" in line for line in lines)


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Loss: cross-entropy with label smoothing (epsilon = 0.1).", []),
    ("Label smoothing (ε = 0.1) is used.", []),
    ("BatchNorm layers use epsilon 1e-5 and momentum 0.1.", []),
    ("The BN layers have momentum 0.1 and eps 1e-5.", []),
])
def test_a_batch_norm_s_or_label_smoothing_s_setting_is_not_the_optimizer_s(
        sentence: str, expected: list[tuple[str, object]]) -> None:
    """A reviewer's "label smoothing (epsilon = 0.1)" drafted ``eps = 0.1``, and "BatchNorm layers use epsilon 1e-5
    and momentum 0.1" an eps and a second momentum: an epsilon or a momentum whose sentence names batch norm, BN or
    label smoothing is theirs."""
    assert [(setting.key, setting.value) for setting in stated(sentence)] == expected


def test_a_batch_norm_s_momentum_leaves_the_sgd_momentum_guessed() -> None:
    """The SGD momentum of one sentence is guessed, the BatchNorm's of another is not read: no eps either."""
    recipe = _recipe(_report("We train with SGD, lr 0.1, momentum 0.9. BatchNorm layers use epsilon 1e-5 and "
                             "momentum 0.1."))
    assert recipe["momentum"] == 0.9 and "eps" not in recipe


@pytest.mark.parametrize(("sentence", "mean", "std", "words"), [
    ("Pixels are scaled to [0, 1] and then normalised with mean 0.2860 and std 0.3530.", [0.286], [0.353],
     "mean 0.2860 and std 0.3530"),
    ("Images are normalized with `transforms.Normalize((0.1307,), (0.3081,))`.", [0.1307], [0.3081],
     "Normalize((0.1307,), (0.3081,))"),
    ("We use transforms.Normalize(mean=[0.4914, 0.4822, 0.4465], std=[0.2470, 0.2435, 0.2616]).",
     [0.4914, 0.4822, 0.4465], [0.247, 0.2435, 0.2616],
     "Normalize(mean=[0.4914, 0.4822, 0.4465], std=[0.2470, 0.2435, 0.2616])"),
])
def test_a_normalisations_mean_and_std_are_drafted_as_mean_std(sentence: str, mean: list[float], std: list[float],
                                                               words: str, tmp_path: Path) -> None:
    """"normalised with mean 0.2860 and std 0.3530" left normalize a TODO: the mean and std a sentence normalises
    pixels with, in words or in a Normalize call, are ``normalize = "mean_std"`` with its ``mean`` and ``std``, which
    the loader takes."""
    markdown = _report(f"Adam (lr 1e-3), batch size 64, 10 epochs. {sentence}")
    recipe = _recipe(markdown)
    assert (recipe["normalize"], recipe["mean"], recipe["std"]) == ("mean_std", mean, std)
    assert f"normalize  = \"mean_std\"  # read from {words!r}" in _lines(markdown)
    loaded = _loaded_recipe(_filled(draft(markdown, slug="demo", source="demo.md"), validation='"none"',
                                    schedule='"constant"'), tmp_path)
    assert (loaded.normalize, loaded.mean, loaded.std) == ("mean_std", tuple(mean), tuple(std))


@pytest.mark.parametrize("sentence", [
    "Pixels are normalised with mean 125.3 and std 63.0.",  # on [0, 255], not the [0, 1] the ledger's are on
    "Pixels are normalised with mean (0.49, 0.48, 0.45) and std 0.25.",  # one std for three means
    "The mean accuracy is 0.91 with a std of 0.01.",  # no normalisation
])
def test_a_mean_and_std_the_ledger_cannot_take_as_stated_leave_normalize_a_todo(sentence: str) -> None:
    recipe = _recipe(_report(f"Adam (lr 1e-3). {sentence}"))
    assert recipe["normalize"].startswith("TODO: normalize (") and "mean" not in recipe and "std" not in recipe


def test_an_epsilon_is_guessed_for_adam_only() -> None:
    """``eps`` is Adam's and AdamW's alone: an epsilon of a report whose optimizer is guessed SGD is no guess."""
    assert "eps" not in _recipe(_report("We train with SGD (lr 0.1, eps 1e-8) for 10 epochs."))
    assert _recipe(_report("We train with Adam (lr 1e-3, eps 1e-6) for 10 epochs."))["eps"] == 1e-6


@pytest.mark.parametrize(("markdown", "eps"), [
    (_report("Our numbers are compared against popular TensorFlow implementations. We train our PyTorch model with "
             "Adam (lr 1e-3)."), "TODO: eps"),
    (_report("We train with Adam (lr 1e-3) in Keras; the torch port is ours."), "TODO: eps"),
    ("# Keras CNN\n\nWe train with Adam (lr 1e-3) for 50 epochs.\n\n" + _TABLE, 1e-7),
    ("# PyTorch port\n\nWe compare with the TensorFlow original. We train with Adam (lr 1e-3).\n\n" + _TABLE,
     "TODO: eps"),
])
def test_keras_s_epsilon_is_no_guess_where_the_report_names_pytorch_too(markdown: str, eps: object) -> None:
    """A reviewer's report compared against TensorFlow implementations and trained its own PyTorch model with Adam:
    the draft guessed Keras's epsilon. It is guessed only where Keras or TensorFlow is named, its headings among the
    words read, and PyTorch or torch is not; a report that names both gets a TODO under a comment that says why."""
    assert _recipe(markdown)["eps"] == eps
    if eps != KERAS_EPS:
        assert any(line.startswith("# the report names") and "PyTorch's 1e-8" in line for line in _lines(markdown))


@pytest.mark.parametrize(("sentence", "named"), [
    ("Augmentation: random crop (padding 4), horizontal flip, Cutout.", "cutout ('Cutout')"),
    ("Standard data augmentation (translation and mirroring) is applied.", "shift ('translation')"),
    ("We use random crops, horizontal flips and mixup.", "mixup ('mixup')"),
    ("We use random crops and CutMix.", "cutmix ('CutMix')"),
    ("Random crops, horizontal flips and AutoAugment.", "autoaugment ('AutoAugment')"),
])
def test_an_augmentation_the_ledger_lacks_is_never_dropped(sentence: str, named: str) -> None:
    """A reviewer's "random crop (padding 4), horizontal flip, Cutout" drafted ["crop", "flip"], Cutout silently
    dropped: an augmentation the ledger has no value for leaves augment a TODO under a comment naming it."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["augment"].startswith("TODO: augment (")
    assert f"# the report states augment {named}; the ledger has no such augment" in "\n".join(lines)


@pytest.mark.parametrize(("sentence", "augment"), [
    ("Images are mirrored horizontally; we also use random crops.", ["flip", "crop"]),
    ("We use random crops and color jitter.", ["crop", "color_jitter"]),
    ("We use RandAugment and horizontal mirroring.", ["randaugment", "flip"]),
])
def test_mirroring_is_a_flip_and_the_ledger_s_own_augmentations_are_read(sentence: str, augment: list[str]) -> None:
    """Mirroring is a horizontal flip; colour jitter and RandAugment are the ledger's own augmentations."""
    assert _recipe(_report(sentence))["augment"] == augment


@pytest.mark.parametrize("sentence", [
    "We train with batch size 128. Evaluation uses a batch size of 1000.",
    "We train with batch size 128. Testing is done with a batch size of 1000.",
    "We train with batch size 128; the test set is evaluated with batch size 1000.",
])
def test_an_evaluation_batch_size_is_not_the_training_one(sentence: str) -> None:
    """A reviewer's "Evaluation uses a batch size of 1000" was read as a second batch size, which turned the stated
    128 into a TODO."""
    assert _recipe(_report(sentence))["batch_size"] == 128


HYPERPARAMETERS = _report("We trained on CIFAR-10 with the following settings.\n\n"
                          "| Hyperparameter | Value |\n|---|---|\n| Optimizer | SGD |\n| Learning rate | 0.05 |\n"
                          "| Momentum | 0.9 |\n| Batch size | 256 |\n| Epochs | 100 |\n| Weight decay | 5e-4 |")


def test_a_hyperparameter_table_states_the_recipe_row_by_row() -> None:
    """A reviewer's table of hyperparameters drafted no claim of its setting rows, and left every recipe key it states
    a TODO. Each setting row with one value cell now states its key as a sentence would, guessed with the row's
    words; the row is quoted above the recipe."""
    recipe, lines = _recipe(HYPERPARAMETERS), _lines(HYPERPARAMETERS)
    assert {key: recipe[key] for key in ("optimizer", "lr", "momentum", "weight_decay", "batch_size", "epochs")} == {
        "optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4, "batch_size": 256, "epochs": 100}
    unaligned = [re.sub(r"^(\w+) +=", r"\1 =", line) for line in lines]
    assert "lr = 0.05  # read from 'Learning rate | 0.05'" in unaligned
    assert "optimizer = \"sgd\"  # read from 'Optimizer | SGD'" in unaligned
    assert '#   "Weight decay | 5e-4"' in lines


def test_a_hyperparameter_table_of_several_models_states_several_values() -> None:
    """A table with a value column per model states each row's values: a row of two learning rates leaves lr a TODO
    under the note that names both; a row of one optimizer twice is guessed."""
    markdown = _report("| Hyperparameter | ResNet-20 | VGG-16 |\n|---|---|---|\n| Optimizer | SGD | SGD |\n"
                       "| LR | 0.1 | 0.05 |")
    recipe, lines = _recipe(markdown), _lines(markdown)
    assert recipe["optimizer"] == "sgd" and recipe["lr"].startswith("TODO: lr")
    assert ("# the report states lr 0.1 and 0.05 ('LR | 0.1 | 0.05'): give the one its claims trained with"
            in lines)


@pytest.mark.parametrize(("markdown", "nesterov"), [
    ("| Hyperparameter | Value |\n|---|---|\n| Optimizer | SGD |\n| Nesterov | No |", False),
    ("| Hyperparameter | Value |\n|---|---|\n| Optimizer | SGD |\n| Nesterov | Yes |", True),
    ("- Optimizer: SGD\n- Nesterov: off", False),
])
def test_a_nesterov_row_or_item_of_no_is_no_nesterov(markdown: str, nesterov: bool) -> None:
    """"Nesterov | No" (a table's row) and "Nesterov: off" (a list's item) say no Nesterov momentum, not one."""
    assert _recipe(_report(markdown))["nesterov"] is nesterov


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The learning rate starts at 0.1 and is decayed by 0.1 at epochs 100 and 150.",
     [("lr", 0.1), ("schedule", "step"), ("step.milestones", (100, 150)), ("step.gamma", 0.1)]),
    ("An lr starting at 0.05.", [("lr", 0.05)]),
    ("SGD with Nesterov momentum (0.9).", [("momentum", 0.9), ("optimizer", "sgd"), ("nesterov", True)]),
    ("We hold out 10% of the training set for validation.", [("validation", "holdout"), ("val_size", 0.1)]),
    ("10% of the training images are held out for validation.", [("validation", "holdout"), ("val_size", 0.1)]),
])
def test_a_starting_rate_a_bracketed_momentum_and_a_held_out_share_are_read(
        sentence: str, expected: list[tuple[str, object]]) -> None:
    """A reviewer's clearly stated settings were left TODOs with no comment: "The learning rate starts at 0.1",
    "Nesterov momentum (0.9)", "hold out 10% of the training set for validation"."""
    assert [(setting.key, setting.value) for setting in stated(sentence)] == expected


def test_a_held_out_share_asks_for_the_validation_size_in_images() -> None:
    """A share held out for validation is a hold-out whose size the ledger counts in images: a note says so."""
    lines = _lines(_report("We hold out 10% of the training set for validation and train for 10 epochs."))
    unaligned = [re.sub(r"^(\w+) +=", r"\1 =", line) for line in lines]
    assert "validation = \"holdout\"  # read from 'hold out 10% of the training set for validation'" in unaligned
    assert ("# the report states val_size 0.1 of the training images ('hold out 10% of the training set for "
            "validation'): give it in images (0.1 × the training set's size)") in lines


@pytest.mark.parametrize(("text", "words"), [
    ("We train with `model.fit(x_train, y_train, epochs=10, validation_data=(x_test, y_test))`.",
     "validation_data=(x_test, y_test)"),
    ("Training calls model.fit with validation_data=(X_test, Y_test) for 20 epochs.",
     "validation_data=(X_test, Y_test)"),
    ("`model.fit(train_images, train_labels, validation_data=(test_images, test_labels))`",
     "validation_data=(test_images, test_labels)"),
])
def test_keras_validation_data_of_the_test_set_is_validation_on_the_test_set(text: str, words: str) -> None:
    """A reviewer's ``model.fit(..., validation_data=(x_test, y_test))`` left validation a TODO with no word: its
    validation numbers are measured on the test set, ``validation = "test"``."""
    unaligned = [re.sub(r"^(\w+) +=", r"\1 =", line) for line in _lines(_report(text))]
    assert f"validation = \"test\"  # read from {words!r}" in unaligned


def test_keras_validation_data_of_a_validation_set_asks_for_its_size() -> None:
    """``validation_data=(x_val, y_val)`` names a held-out set of the author's own, not the test set: validation
    keeps its TODO under a comment that says so and asks for its size."""
    markdown = _report("We call `model.fit(x_train, y_train, validation_data=(x_val, y_val))` for 30 epochs.")
    assert _recipe(markdown)["validation"].startswith("TODO: validation (")
    assert ("# the report validates on (x_val, y_val) ('validation_data=(x_val, y_val)'), a held-out set of its own, "
            "not the test set: give validation = \"holdout\" and its val_size in images") in _lines(markdown)


@pytest.mark.parametrize(("sentence", "momentum"), [
    ("Models use BatchNorm and are trained with SGD (momentum 0.9, lr 0.1).", 0.9),
    ("BatchNorm follows each conv; we train with SGD, momentum 0.9.", 0.9),
    ("We train with SGD, momentum 0.9, and label smoothing (epsilon = 0.1).", 0.9),
    ("BatchNorm layers (momentum 0.1) follow each conv; SGD has momentum 0.9.", 0.9),
])
def test_a_momentum_outside_the_batch_norm_s_clause_is_the_optimizer_s(sentence: str, momentum: float) -> None:
    """A reviewer's "Models use BatchNorm and are trained with SGD (momentum 0.9, lr 0.1)" drafted no momentum (its
    default 0: a wrong recipe, silently): a sentence that names BatchNorm anywhere lost its momentum. Only a value in
    the clause or the bracket of the BatchNorm's or label smoothing's words is theirs."""
    assert _recipe(_report(sentence))["momentum"] == momentum


def test_a_momentum_in_a_clause_naming_batch_norm_and_the_optimizer_is_a_todo_with_a_note() -> None:
    """A clause that names both BatchNorm and SGD may give either's momentum: a TODO under a note, never a drop."""
    markdown = _report("Models use BatchNorm and are trained with SGD with momentum 0.9.")
    assert _recipe(markdown)["momentum"].startswith("TODO: momentum")
    assert any(line.startswith("# the report states momentum 0.9 ('momentum 0.9')") and "'BatchNorm'" in line
               for line in _lines(markdown))


@pytest.mark.parametrize(("text", "optimizer"), [
    ("We train with Adam (lr 1e-3, momentum 0.9) for 30 epochs.", "adam"),
    ("| Hyperparameter | Value |\n|---|---|\n| Optimizer | Adam |\n| Momentum | 0.9 |\n| Nesterov | Yes |", "adam"),
])
def test_a_momentum_beside_a_non_sgd_optimizer_is_no_guess(text: str, optimizer: str, tmp_path: Path) -> None:
    """A reviewer's report trained with Adam and a "Momentum | 0.9" row drafted ``momentum = 0.9`` beside
    ``optimizer = "adam"``, which the loader refuses: momentum and Nesterov's are SGD's alone, as eps is Adam's."""
    ledger = draft(_report(text), slug="demo", source="demo.md")
    recipe = tomllib.loads(ledger)["recipe"]["demo"]
    assert recipe["optimizer"] == optimizer and "momentum" not in recipe and "nesterov" not in recipe
    assert _loaded_recipe(_filled(ledger, lr="1e-3", batch_size="128", epochs="30"), tmp_path).momentum == 0


def test_a_momentum_beside_an_unguessed_optimizer_is_a_todo_with_a_note() -> None:
    """Where the optimizer is a TODO, the momentum stated may be SGD's or no optimizer's: a TODO under a note."""
    markdown = _report("We train with SGD or Adam (momentum 0.9, Nesterov).")
    recipe, lines = _recipe(markdown), _lines(markdown)
    assert recipe["momentum"] == "TODO: momentum" and recipe["nesterov"] == "TODO: nesterov"
    assert "# the report states momentum 0.9 ('momentum 0.9'), SGD's only: keep it if the optimizer is sgd" in lines


@pytest.mark.parametrize("sentence", [
    "At test time we average the predictions of each image and its horizontal flip.",
    "We use horizontal flips at inference only (test-time augmentation).",
    "Evaluation averages over horizontal flips.",
    "We cut out the last two layers of the backbone.",
    "We cut out a block of the network.",
])
def test_a_test_time_flip_and_a_cut_out_verb_are_no_training_augmentation(sentence: str) -> None:
    """A reviewer's "At test time we average the predictions of each image and its horizontal flip" drafted augment
    ["flip"], and "We cut out the last two layers" Cutout: an augmentation in a clause on test time, inference or
    evaluation is not training's, and "cut out" as a verb ("cut out the", "cut out a") is no Cutout."""
    assert "augment" not in _recipe(_report(sentence))


@pytest.mark.parametrize(("sentence", "augment"), [
    ("We train with random crops and horizontal flips, and average predictions over flips at test time.",
     ["crop", "flip"]),
    ("Training uses horizontal flips; at test time we use a centre crop.", ["flip"]),
])
def test_a_training_augmentation_beside_a_test_time_clause_is_read(sentence: str, augment: list[str]) -> None:
    """A clause on training keeps its augmentations where another clause of the sentence is on test time."""
    assert _recipe(_report(sentence))["augment"] == augment


@pytest.mark.parametrize("sentence", ["We use random crops and cutout (16x16).", "We apply cut-out augmentation.",
                                      "Random crops, flips and cut out."])
def test_cutout_is_still_read(sentence: str) -> None:
    """Cutout, however spelt ("cutout (16x16)", "cut-out", a trailing "cut out"), keeps augment a TODO."""
    assert any(line.startswith("# the report states augment cutout") for line in _lines(_report(sentence)))


def test_a_training_augmentation_in_a_clause_on_evaluation_is_a_todo_with_a_note() -> None:
    """A clause that names training and evaluation may be on either: augment is a TODO under a note."""
    markdown = _report("We evaluate models trained with horizontal flips.")
    assert _recipe(markdown)["augment"].startswith("TODO: augment (")
    assert any(line.startswith("# the report names augment flip ('horizontal flips')") and "say whether" in line
               for line in _lines(markdown))


@pytest.mark.parametrize(("sentence", "expected"), [
    ("We use early stopping with a patience of 5 epochs.", [("early_stopping.patience", 5)]),
    ("callbacks=[EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True)]",
     [("early_stopping.monitor", "val_loss"), ("early_stopping.patience", 5), ("early_stopping.restore_best", True)]),
    ("Training stopped early after 10 epochs without improvement.", [("early_stopping.patience", 10)]),
    ("We train for 100 epochs with early stopping (patience 10).", [("early_stopping.patience", 10)]),
    ("ReduceLROnPlateau(monitor='val_loss', patience=3) lowers the rate.", []),
])
def test_early_stopping_s_settings_are_read(sentence: str, expected: list[tuple[str, object]]) -> None:
    """A reviewer's "early stopping with a patience of 5 epochs" and Keras's ``EarlyStopping(monitor='val_loss',
    patience=5, restore_best_weights=True)`` drafted nothing of early stopping: its monitor, patience and whether it
    restores the best weights are read, each under its dotted key, in a sentence that names early stopping only (a
    plateau's patience is none of them)."""
    assert [(setting.key, setting.value) for setting in stated(sentence)
            if setting.key.startswith("early_stopping.")] == expected


def test_early_stopping_drafts_its_table_with_todos_for_what_is_not_stated() -> None:
    """The early_stopping table holds what the report states, guessed, and a TODO for the rest, each key with a
    comment above the table; the count of epochs of its patience is no training's length."""
    markdown = _report("We train with SGD for 100 epochs, with early stopping (a patience of 5 epochs).")
    recipe, lines = _recipe(markdown), _lines(markdown)
    assert recipe["epochs"] == 100
    assert recipe["early_stopping"] == {"monitor": "TODO: monitor (val_loss | val_accuracy)", "patience": 5,
                                        "restore_best": "TODO: restore best"}
    table = lines.index(next(line for line in lines if line.startswith("early_stopping")))
    assert lines[table - 3:table] == [
        "# the report does not state early_stopping.monitor: give it",
        "# early_stopping.patience: read from 'patience of 5'",
        "# the report does not state early_stopping.restore_best: give it"]


@pytest.mark.parametrize(("markdown", "monitor", "note"), [
    ("# Keras CNN\n\nWe train with Adam and early stopping (patience 5).\n\n" + _TABLE, "val_loss",
     "# early_stopping.monitor: Keras's EarlyStopping default: the report trains with Keras ('Keras')"),
    (_report("We port the Keras model to PyTorch and train it with early stopping (patience 5)."),
     "TODO: monitor (val_loss | val_accuracy)",
     "# the report names 'Keras' and 'PyTorch': early_stopping.monitor is Keras's EarlyStopping default \"val_loss\" "
     "if it trained with Keras"),
])
def test_keras_s_early_stopping_defaults_are_guessed_where_the_report_trains_with_keras(
        markdown: str, monitor: str, note: str) -> None:
    """Keras's EarlyStopping watches "val_loss" and keeps the last weights unless told otherwise: an unstated monitor
    and restore_best are those where the report names Keras or TensorFlow and not PyTorch, as Keras's Adam epsilon
    is; a report that names both gets TODOs under comments that say why."""
    stopping = _recipe(markdown)["early_stopping"]
    assert (stopping["monitor"], stopping["patience"]) == (monitor, 5)
    assert stopping["restore_best"] is False if monitor == "val_loss" else stopping["restore_best"].startswith("TODO")
    assert note in _lines(markdown)


def test_a_patience_beside_a_plateau_s_words_is_a_todo_with_a_note() -> None:
    """A sentence naming a reduce-on-plateau schedule and early stopping may give either's patience: a TODO under
    a note, never a guess."""
    markdown = _report("We use ReduceLROnPlateau and early stopping with patience 10.")
    assert _recipe(markdown)["early_stopping"]["patience"] == "TODO: patience"
    assert ("# the report states early_stopping.patience 10 ('patience 10') in words that name 'ReduceLROnPlateau' "
            "too: keep it if it is early stopping's") in _lines(markdown)


def test_a_drafted_early_stopping_table_loads_once_its_todos_are_filled(tmp_path: Path) -> None:
    """The inline table the draft writes is the one the loader reads: filled, its recipe stops early as stated."""
    markdown = _report("We train with Adam for 50 epochs; "
                       "`EarlyStopping(monitor='val_accuracy', patience=5, restore_best_weights=True)`.")
    ledger = _filled(draft(markdown, slug="demo", source="demo.md"), validation='"test"', lr="1e-3",
                     batch_size="128", schedule='"constant"')
    stopping = _loaded_recipe(ledger, tmp_path).early_stopping
    assert stopping is not None and (stopping.monitor, stopping.patience, stopping.restore_best) == (
        "val_accuracy", 5, True)


@pytest.mark.parametrize(("sentence", "schedule", "words"), [
    ("The learning rate is warmed up linearly for 5 epochs.", "warm-up", "warmed up"),
    ("The learning rate decays linearly to 0.", "linear decay", "decays linearly"),
    ("We use OneCycleLR.", "onecycle", "OneCycleLR"),
    ("The learning rate follows an exponential decay.", "exponential", "exponential decay"),
    ("The learning rate is decayed exponentially.", "exponential", "decayed exponentially"),
    ("A linear warmup over 5 epochs, then cosine annealing.", "warm-up", "warmup"),
    ("The learning rate is warmed up for 5 epochs, then follows cosine annealing.", "warm-up", "warmed up"),
])
def test_a_schedule_the_ledger_has_no_key_for_is_said_above_its_todo(sentence: str, schedule: str,
                                                                     words: str) -> None:
    """"divided by 10 at 50% and 75% of training", "warmed up linearly for 5 epochs" and "decays linearly to 0" left
    schedule a TODO with no word (a warm-up before a cosine guessed "cosine", and its 5 epochs the training's): a
    schedule the ledger has no value for keeps its TODO under a comment that quotes the report and says so."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["schedule"].startswith("TODO: schedule (") and recipe["epochs"] == "TODO: epochs"
    assert (f"# the report states schedule {schedule} ({words!r}); the ledger has no such schedule "
            f"({' | '.join(vocab.SCHEDULES)}): claimbench cannot train it as stated") in lines


@pytest.mark.parametrize(("sentence", "schedule"), [
    ("SGD with a cosine annealing schedule for 200 epochs.", "cosine"),
    ("We use CosineAnnealingLR.", "cosine"),
    ("ReduceLROnPlateau halves the learning rate.", "plateau"),
])
def test_the_ledger_s_own_schedules_are_still_guessed(sentence: str, schedule: str) -> None:
    assert _recipe(_report(sentence))["schedule"] == schedule


@pytest.mark.parametrize(("sentence", "milestones", "gamma"), [
    ("Trained for 200 epochs; the learning rate is divided by 10 at epochs 100 and 150.", [100, 150], 0.1),
    ("SGD for 120 epochs, the lr multiplied by 0.1 at epochs 30, 60 and 90.", [30, 60, 90], 0.1),
    ("We use MultiStepLR(milestones=[50, 75], gamma=0.1) over 100 epochs.", [50, 75], 0.1),
    ("We train for 100 epochs; the learning rate is halved every 20 epochs.", [20, 40, 60, 80], 0.5),
    ("The schedule is StepLR(step_size=30, gamma=0.1), for 100 epochs.", [30, 60, 90], 0.1),
    ("200 epochs; the learning rate is divided by 10 at 50% and 75% of training.", [100, 150], 0.1),
    ("The learning rate drops by a factor of 5 every 30 epochs of 90 epochs.", [30, 60], 0.2),
])
def test_a_step_schedule_is_drafted_with_its_milestones_and_gamma(tmp_path: Path, sentence: str,
                                                                  milestones: list[int], gamma: float) -> None:
    """A schedule that cuts the learning rate by a factor at epochs ("divided by 10 at epochs 100 and 150",
    ``MultiStepLR``), every N epochs ("halved every 20 epochs", ``StepLR``: N, 2N, ... below the stated epochs) or
    at shares of training ("at 50% and 75% of training": of the stated epochs) is ``schedule = "step"`` with its
    step table, which the loader takes once the other TODOs are filled."""
    markdown = _report(sentence)
    recipe = _recipe(markdown)
    assert (recipe["schedule"], recipe["step"]) == ("step", {"milestones": milestones, "gamma": gamma})
    assert [line for line in _lines(markdown) if line.startswith("# step.milestones: read from '")]
    step = _loaded_recipe(_filled(draft(markdown, slug="demo", source="demo.md"), validation='"test"', lr="0.1",
                                   batch_size="128"), tmp_path).step
    assert step is not None and (list(step.milestones), step.gamma) == (milestones, gamma)


@pytest.mark.parametrize(("sentence", "said"), [
    ("The learning rate is halved every 20 epochs.", "every 20 epochs"),
    ("StepLR(step_size=30, gamma=0.1) cuts the learning rate.", "every 30 epochs"),
    ("The learning rate is divided by 10 at 50% and 75% of training.", "at 50% and 75% of training"),
])
def test_a_step_schedule_of_unstated_epochs_keeps_its_milestones_a_todo(sentence: str, said: str) -> None:
    """Every N epochs or at shares of training, with no number of epochs stated, gives no milestones: the schedule
    and gamma are drafted, the milestones a TODO under a comment that says what the report states."""
    markdown = _report(sentence)
    recipe, lines = _recipe(markdown), _lines(markdown)
    assert recipe["schedule"] == "step" and recipe["step"]["milestones"].startswith("TODO: milestones")
    assert isinstance(recipe["step"]["gamma"], float)
    assert [line for line in lines if line.startswith(f"# the report states step.milestones {said} (")]


def test_a_step_schedule_with_no_factor_keeps_gamma_a_todo() -> None:
    markdown = _report("We train for 90 epochs with a multi-step schedule at epochs 30 and 60.")
    recipe = _recipe(markdown)
    assert recipe["schedule"] == "step" and recipe["step"]["milestones"] == [30, 60]
    assert recipe["step"]["gamma"].startswith("TODO: gamma")


@pytest.mark.parametrize("sentence", [
    "A linear warm-up for 5 epochs, then the learning rate is divided by 10 at epochs 100 and 150 of 200 epochs.",
    "The learning rate is warmed up for 5 epochs, then MultiStepLR(milestones=[100, 150], gamma=0.1).",
])
def test_a_warm_up_before_a_step_schedule_keeps_the_schedule_a_todo(sentence: str) -> None:
    """The ledger has no warm-up: a step schedule after one is no schedule it can train, and no step table is
    drafted."""
    recipe, lines = _recipe(_report(sentence)), _lines(_report(sentence))
    assert recipe["schedule"].startswith("TODO: schedule (") and "step" not in recipe
    assert [line for line in lines if line.startswith("# the report states schedule warm-up (")]


def test_a_power_of_ten_with_a_unicode_minus_is_read_as_with_a_hyphen() -> None:
    """"lr 1e−3" (U+2212, as pandoc writes it) left lr a TODO, where "lr 1e-3" drafted 1e-3."""
    recipe = _recipe(_report("Every model was trained for 10 epochs with Adam (lr 1e−3, weight decay 5e−4)."))
    assert (recipe["lr"], recipe["weight_decay"]) == (1e-3, 5e-4)
