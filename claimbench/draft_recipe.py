"""The ``[recipe.<name>]`` the draft writes: a TODO for each key every recipe needs, and the value of each key that
the report's running text states once ("200 epochs with SGD (lr 0.1, momentum 0.9, weight decay 5e-4), batch size
128", "- Optimizer: Adam") or a table of hyperparameters' row does ("| Learning rate | 0.05 |": ``row_statements``),
as a guess with a comment that quotes its words: its optimizer, learning rate, momentum (and Nesterov's), weight
decay, batch size, epochs, schedule (a step schedule's milestones and gamma its own table: "divided by 10 at epochs
100 and 150", "halved every 20 epochs" or "at 50% and 75% of training" of the stated epochs), Adam's epsilon (a
momentum and an epsilon of BatchNorm's or label smoothing's clause none), training's augmentations (none named under
a negation or in a clause on test time), a validation split's hold-out, the test set Keras's ``validation_data``
names, early stopping's settings (its own table) and a normalisation's mean and std. A key stated with several values
("lr 0.1, 0.01"), or with one the ledger has none of ("an exponential decay", "warmed up linearly for 5 epochs",
"decays linearly to 0", "cosine annealing with warm restarts", "cosine annealing to 1e-4", "RMSprop"), keeps its TODO
under a comment that says what the report states. Each sentence is the markdown parser's plain text
(markdown_tables), read with regular expressions; a number the draft makes a candidate claim of is never read as a
setting's one value. Torch-free."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from claimbench import draft_text, numerals, schema, vocab
from claimbench.toml_lines import Guess, todo, toml

__all__ = ["KERAS_EPS", "drafted", "stated"]

_FIELDS = {field.name: field for field in dataclasses.fields(schema.Recipe)}
_STOPPING = {f"early_stopping.{field.name}": field for field in dataclasses.fields(schema.EarlyStopping)}
"""The keys of the recipe's early_stopping table (``schema.EarlyStopping``), by their dotted names."""
_STEP = {f"step.{field.name}": field for field in dataclasses.fields(schema.Step)}
"""The keys of the recipe's step table (``schema.Step``), by their dotted names."""
_TYPES = {name: field.type for name, field in {**_FIELDS, **_STOPPING, **_STEP}.items()}
_POWER = r"\s*[×x·*]\s*10\s*(?:\^\s*[-−]?\d+|[-−]\d+|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
"""A power of ten after a number's mantissa: " × 10^-4", "x10-4", "·10⁻³"."""
_NUMBER = (rf"(?<![\w.^])(?<!\^[-−])(?P<number>\d+(?:\.\d+)?{_POWER}|{numerals.TEN_POWER}|{draft_text.BARE})"
           rf"(?![\w%]|\.\d|\s*[×x·*/]\s*[\w.])")
"""A setting's number: "0.1", "5e-4", ".001", "1,024", "3 × 10^-4", a power of ten alone ("10^-4", "10⁻⁴"); not a
percentage, a number glued to a word, a power's exponent nor a factor of a product ("0.1 × batch size / 256")."""
_IS = (r"(?:\s*[:=]\s*|\s*\(\s*|\s+(?:(?:is|was)\s+)?(?:(?:set\s+to|fixed\s+at|of"
       r"|(?:starts?|started|starting|begins?|began|beginning)\s+(?:at|from))\s+)?|(?:\s*[:=∈]|\s+in)\s*[{\[]\s*)")
"""What stands between a setting's name and its number: "lr 0.1", "lr = 1e-3", "Epochs: 200", "a batch size of 128",
"the learning rate was set to 0.01", "The learning rate starts at 0.1", "momentum (0.9)", "lr in {0.1, 0.01}"; not
"lr decayed to 0.01"."""
_NAMES = {
    "lr": r"learning[\s_-]+rates?|lrs?",
    "momentum": r"momentum",
    "weight_decay": r"weight[\s_-]+decay|wd",
    "batch_size": r"(?:mini[\s-]?)?batch(?:[\s_-]*size|es)?",
    "epochs": r"(?:(?:num|n|max|total)[\s_-]*)?epochs",
    "eps": r"epsilon|eps|ε",
}
"""The words that name each setting read as ``name <number>``."""
_AFTER = {
    "momentum": r"\s+momentum",
    "weight_decay": r"\s+(?:weight[\s_-]+decay|wd)",
    "batch_size": r"\s+(?:images|samples|examples)\s+per\s+(?:mini-?)?batch",
    "epochs": r"(?:\s+|\s*-\s*)(?:training\s+)?epochs?",
}
"""The words after the number of a setting read as ``<number> name``: "0.9 momentum", "200 epochs", "a 200-epoch"."""
_GIVEN = ("lr", "momentum", "weight_decay", "batch_size")
"""The settings read as ``<number> for <name>`` too: "0.9 for momentum", "5e-4 for the weight decay"; not a count of
epochs, which comes before its name ("200 epochs"), as the lr's of "lr 0.1 for the epochs before the decay" does."""
_NAMED_BEFORE = re.compile(rf"(?<![\w-])(?:{'|'.join(_NAMES.values())})(?![\w-]){_IS}$", re.IGNORECASE)
"""A setting's name right before a number, which makes the number that setting's: "lr 0.1 for the momentum ..."."""
_VALUE_AFTER = re.compile(rf"{_IS}{_NUMBER}|[\s_-]*norm", re.IGNORECASE)
"""What after the name in ``<number> for <name>`` makes the number no value of it: a number of the name's own ("lr
0.1 for batch size 256"), or "norm" after "batch" ("0.5 for batch normalization")."""
_OTHER_AFTER = re.compile(r"\s+(?:of|for|in|on)\s+(?:the\s+|its\s+|all\s+)?(?:batch[\s_-]*norm\w*|BN|EMA)(?!\w)",
                          re.IGNORECASE)
"""Words after a setting's words that make it another's: "momentum 0.99 in the BN layers", "0.99 for the momentum of
BatchNorm"; ``_OTHER_NAME`` reads them before its name."""
_WARM_UP = r"warm(?:ed|s|ing)?[\s-]?up\w*"
"""Words of a warm-up of the learning rate: "warm-up", "warmup", "warmed up"."""
_OTHER_NAME = re.compile(rf"(?<!\w)(?:min\w*|final|end|last|test\w*|eval\w*|inference|validation|val|{_WARM_UP}"
                         r"|batch[\s_-]*norm\w*|BN|EMA|smooth\w*)"
                         r"(?:[\s_-]+(?:with|at|using|use[sd]?|on|of|in|an?|the|set|split|is|are|was|were|done|run"
                         r"|performed))*"
                         r"[\s_-]+$", re.IGNORECASE)
"""Words right before a setting's name that make it another's: a minimum learning rate, a test batch size, "evaluated
with batch size 1000", "Evaluation uses a batch size of 1000", "testing is done with", a BatchNorm momentum, a label
smoothing's epsilon."""
_NORMS = r"batch[\s_-]*norm\w*|BN|layer[\s_-]*norm\w*"
_THEIRS = {"momentum": re.compile(rf"(?<!\w)(?:{_NORMS})(?!\w)", re.IGNORECASE),
           "eps": re.compile(rf"(?<!\w)(?:{_NORMS}|label[\s_-]+smooth\w*)(?!\w)", re.IGNORECASE)}
"""The words whose clause's momentum or epsilon is theirs, not the optimizer's: "BatchNorm layers use epsilon 1e-5
and momentum 0.1", "label smoothing (epsilon = 0.1)", a normalisation layer's call "BatchNormalization(momentum=0.99,
epsilon=0.001)" (``_whose``)."""
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
"""A bracket and its words, none inside: blanked, its words are no clause's around it."""
_OWN_BRACKET = re.compile(r"(?:\s+layers?)?\s*$", re.IGNORECASE)
"""What may stand between a normalisation's words and the bracket of its settings: "BatchNorm layers (momentum 0.1)"."""
_OTHER_NUMBER = re.compile(rf"(?<!\w)(?:(?:every|each|after|at|by|until|within|in|first|last|per|than|{_WARM_UP}"
                           r"(?:\s+\w+){0,2})\s+|patience(?:\s+of)?\s*[:=]?\s*)$", re.IGNORECASE)
"""Words right before a count of epochs that make it no training's length: "after 30 epochs", "for the first 5
epochs", "a warm-up over 5 epochs", "warmed up linearly for 5 epochs", "a patience of 10 epochs"; and "at epochs 100"
by its name."""
_LISTED_BEFORE = re.compile(rf"(?:^|(?<!\w)(?:and|or|to|for|of|from|between|in|with)|[,(\[{{])\s*(?:{draft_text.BARE})"
                            rf"{draft_text.JOINED}$", re.IGNORECASE)
"""A bare number joined before a setting's ("20, 30, and 40 epochs", "10-20 epochs"): a list or a range, no one
value. The numbers listed after a setting's value are ``draft_text.listed``'s."""
_UNTRAINED = re.compile(r"(?<!\w)(?:inference|latency|throughput|fps)(?!\w)", re.IGNORECASE)
"""Words of a sentence whose batch size is no training's: "latency at batch size 1"."""
_PER_DEVICE = re.compile(r"\s*(?:images\s+)?(?:per|/|on\s+each|for\s+each)\s+(?:GPU|TPU|device|node|worker|replica)",
                         re.IGNORECASE)
"""Words after a batch size that make it one device's, not the training's: "128 per GPU"."""
_OPTIMIZERS = {"sgd": r"SGD|stochastic\s+gradient\s+descent", "adam": r"Adam", "adamw": r"AdamW",
               "rmsprop": r"RMSprop", "adagrad": r"Adagrad", "adadelta": r"Adadelta", "adamax": r"Adamax",
               "nadam": r"NAdam", "radam": r"RAdam", "lamb": r"(?-i:LAMB)", "lars": r"(?-i:LARS)"}
"""The words of each optimizer a report may name; a value of the ledger's (``vocab.OPTIMIZERS``) no words here
name is read by its own name."""
_OPTIMIZER = re.compile(rf"(?<![\w-])(?:{'|'.join(_OPTIMIZERS.values())}|optimi[sz]er\w*)(?!\w)", re.IGNORECASE)
"""Words of an optimizer, whose clause's momentum or epsilon may be its own (``_whose``)."""
_CUT = r"(?:divid|decay|drop|reduc|multipl|decreas|cut)\w*"
"""A verb that cuts the learning rate by a factor: "divided by 10 at epochs 100 and 150", "drops by 10x every 30
epochs"."""
_SCHEDULES = {
    "cosine": r"(?:cosine(?:[\s_-]+(?:anneal\w*|decay\w*|schedul\w*|learning[\s_-]+rate|lr))|CosineAnnealing(?:LR)?)"
              r"(?!\s+with\s+(?:warm\s+)?restarts)",
    "warm restarts": r"CosineAnnealingWarmRestarts|SGDR|(?:with\s+)?warm\s+restarts|with\s+restarts",
    "constant": r"(?:constant|fixed)\s+(?:learning[\s_-]+rate|lr)|no\s+(?:learning[\s_-]+rate\s+|lr\s+)?"
                r"(?:schedul|decay)\w*",
    "plateau": r"ReduceLROnPlateau|reduc\w*\s+(?:the\s+)?(?:learning[\s_-]+rate\s+|lr\s+)?on\s+(?:a\s+)?plateau",
    "step": rf"MultiStepLR|multi[\s-]?step|StepLR|step[\s-]?(?:wise\s+)?(?:decay|schedul)\w*"
            rf"|(?:{_CUT}\s+by\s+[^;]{{1,20}}?|halv\w*)\s+(?:(?:at|after)\s+(?:epochs?|\d+\s*%)|every\s+\d+\s+epochs)",
    "exponential": r"ExponentialLR|exponential(?:ly)?\s+(?:decay|schedul)\w*|(?:decay|decreas)\w*\s+exponentially",
    "onecycle": r"OneCycleLR|one[\s-]?cycle|1cycle",
    "linear decay": r"LinearLR|linear(?:ly)?\s+(?:decay|schedul)\w*|(?:decay|decreas)\w*\s+linearly",
    "warm-up": _WARM_UP,
}
"""The words of each learning-rate schedule a report may name, whether the ledger has it (``vocab.SCHEDULES``) or
not; a warm-up is one more, which no ledger value is. A value of the ledger's no words here name is read by its own
name. "step" is ``MultiStepLR``'s and ``StepLR``'s: a cut by a factor at epochs, at shares of training or every N
epochs ("divided by 10 at epochs 100 and 150", "halved every 20 epochs"), whose settings ``_STEP_SETTINGS`` reads."""
_EPOCH_LIST = r"\d+(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)\d+)*"
_SHARE = r"\d+(?:\.\d+)?\s*%"
_STEP_SETTINGS = {
    "milestones": (re.compile(rf"(?<!\w)(?:at|after)\s+(?:the\s+)?epochs?\s+(?P<value>{_EPOCH_LIST})(?!\w|\.\d|\s*%)",
                              re.IGNORECASE),
                   re.compile(r"(?<!\w)milestones\s*[=:]?\s*[\[(]\s*(?P<value>\d+(?:\s*,\s*\d+)*)\s*,?\s*[\])]",
                              re.IGNORECASE)),
    "every": (re.compile(r"(?<!\w)every\s+(?P<value>\d+)\s+epochs?(?!\w)", re.IGNORECASE),
              re.compile(r"(?<!\w)step[\s_-]?size\s*(?:[=:]|\s+of)?\s*(?P<value>\d+)(?![\w.])", re.IGNORECASE)),
    "shares": (re.compile(rf"(?<!\w)at\s+(?P<value>{_SHARE}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_SHARE})*)\s+of\s+"
                          r"(?:the\s+)?(?:training|total|(?:total\s+|all\s+)?epochs)(?!\w)", re.IGNORECASE),),
    "divisor": (re.compile(r"(?<!\w)(?:divid|decay|drop|reduc|decreas|cut)\w*\s+(?:it\s+)?by\s+(?:a\s+factor\s+of\s+)?"
                           r"(?P<value>\d+(?:\.\d+)?)(?:\s*[x×]|-?fold)?(?![\w.%])", re.IGNORECASE),),
    "factor": (re.compile(r"(?<!\w)multipl\w*\s+by\s+(?P<value>0?\.\d+)(?![\w.%])", re.IGNORECASE),
               re.compile(r"(?<!\w)gamma\s*(?:[=:]|\s+of|\s)\s*(?P<value>0?\.\d+)(?![\w.%])", re.IGNORECASE)),
    "halved": (re.compile(r"(?<!\w)halv\w*|cut\s+in\s+half", re.IGNORECASE),),
}
"""The words of a step schedule's settings: its milestones ("at epochs 100 and 150", "milestones=[50, 75]"), every
N epochs ("every 20 epochs", "step_size=30"), shares of training ("at 50% and 75% of training"), and its factor, as a
divisor ("divided by 10", "drops by a factor of 5", "decayed by 0.1": one below 1 is the factor), a factor
("multiplied by 0.1", "gamma=0.1") or a half ("halved")."""
_AUGMENTS = {
    "vertical flip": r"RandomFlip\(\s*(?:(?:mode\s*=\s*)?['\"](?:horizontal_and_)?vertical['\"])?\s*\)"
                     r"|RandomVerticalFlip|vertical_flip\s*=\s*True|vertical(?:ly)?\s+(?:flip|mirror)\w*"
                     r"|(?:flipped|mirrored)\s+vertically",
    "flip": r"RandomFlip\(\s*(?:mode\s*=\s*)?['\"]horizontal['\"]\s*\)|RandomHorizontalFlip|horizontal_flip\s*=\s*True"
            r"|horizontal(?:ly)?\s+flip\w*|(?:left[\s-]right|horizontal)\s+mirror\w*"
            r"|(?:flipped|mirrored)\s+horizontally|(?<!horizontal\s)(?<!vertical\s)mirroring(?!\s+(?:pad|vertical))",
    "resized crop": r"RandomResizedCrop|random(?:ly)?\s+resized\s+crop\w*",
    "crop": r"RandomCrop|random(?:ly)?\s+crop\w*",
    "rotate": r"RandomRotation|rotation_range|random(?:ly)?\s+rotat\w*",
    "shift": r"RandomTranslation|(?:width|height)_shift_range|random(?:ly)?\s+(?:shift|translat)\w*"
             r"|translations?(?![\w-])(?!\s+invarian)",
    "zoom": r"RandomZoom|zoom_range|random(?:ly)?\s+zoom\w*",
    "color_jitter": r"ColorJitter|colou?r[\s_-]+jitter\w*",
    "randaugment": r"RandAugment|rand[\s-]?augment",
    "perspective": r"RandomPerspective|random\s+perspective",
    "autoaugment": r"AutoAugment|auto[\s-]?augment",
    "trivialaugment": r"TrivialAugment\w*|trivial[\s-]?augment",
    "augmix": r"AugMix",
    "cutout": r"cut-?out|random(?:ly)?\s+cut\s+out"
              r"|cut\s+out(?!\s+(?:the|an?|its|their|our|this|that|these|those|some|all|each|every|one|two|three|\d))",
    "random erasing": r"RandomErasing|random\s+erasing",
    "mixup": r"mix[\s-]?up",
    "cutmix": r"cut[\s-]?mix",
}
"""The words of each training augmentation a report may name, whether the ledger has it (``vocab.AUGMENTATIONS``) or
not (a shift, a zoom, Cutout, mixup, CutMix, AutoAugment: named, they keep augment a TODO): Keras's ``RandomFlip()``
flips vertically too ("horizontal_and_vertical"), torchvision's ``RandomResizedCrop`` is no padded ``RandomCrop``,
mirroring is a horizontal flip and a translation a shift; "cut out the ..." cuts no Cutout."""
_TEST_TIME = re.compile(r"(?<!\w)(?:test[\s-]+time|at\s+test|testing|inference|evaluat\w*|TTA)(?!\w)", re.IGNORECASE)
"""Words of a clause on test time, whose augmentations are no training's: "At test time we average the predictions of
each image and its horizontal flip", "flips at inference only (test-time augmentation)"."""
_TRAINING = re.compile(r"(?<!\w)train\w*", re.IGNORECASE)
"""Words of a clause on training, whose augmentations a clause on test time too leaves in doubt."""
_CLAUSE_END = re.compile(r";|,\s*(?:and|but|while|whereas)(?!\w)|\s(?:while|whereas)(?!\w)", re.IGNORECASE)
"""What ends a clause of a sentence on augmentations: "random crops and flips, and average over flips at test
time"."""
_NEGATION = r"(?<!\w)(?:no|not|without|never|nor|neither|none|\w+n[’']t)(?!\w)"
"""A word that negates what follows it: "no", "not", "without", "don't"."""
_NEGATED_BEFORE = re.compile(rf"{_NEGATION}(?:\s+(?:use[sd]?|using|appl(?:y|ies|ied)|any|the|an?|data|image|random))*"
                             rf"\s+$", re.IGNORECASE)
"""A negation right before an augmentation's words, which it negates: "we do not use horizontal flips", "no random
crops", "without horizontal flips"."""
_NEGATED_AFTER = re.compile(r"\s+(?:is|are|was|were)\s*(?:not|never|n[’']t)(?!\w)", re.IGNORECASE)
"""Words after an augmentation's that negate it: "vertical flips are not used", "flips are never applied"."""
_UNNEGATED = re.compile(r"(?<!\w)(?:only|but|instead|whereas|while)(?!\w)", re.IGNORECASE)
"""A word after a negation that ends its reach: "no horizontal flipping, only random crops"."""
_NO_AUGMENTATION = re.compile(r"(?<!\w)(?:no|without|(?:do|does|did)\s+not\s+use|never\s+use[sd]?)(?:\s+any)?"
                          r"\s+(?:data\s+)?augmentations?(?!\w)", re.IGNORECASE)
"""Words that state no augmentation: "No data augmentation was used", "trained without augmentation"."""
_NONE = "none"
"""The value read of words that state no augmentation (``_NO_AUGMENTATION``): no ledger augmentation, the default."""
_VALIDATION_SPLIT = re.compile(rf"(?<![\w-])validation[\s_-]+split{_IS}(?P<number>0?\.\d+)(?![\w%]|\.\d)",
                               re.IGNORECASE)
"""A share of the training images held out for validation: Keras's "validation_split=0.1", "a validation split of
0.1"."""
_HELD_OUT = (
    re.compile(r"(?<!\w)(?:(?:hold|holds|holding|held)\s+out|set\s+aside|reserve[sd]?)\s+(?P<percent>\d+(?:\.\d+)?)\s*%"
               r"\s+of\s+(?:the\s+)?train(?:ing)?\s+(?:set|data|images|samples|split)\s+(?:for|as)\s+(?:the\s+|a\s+)?"
               r"validation(?!\w)", re.IGNORECASE),
    re.compile(r"(?<![\w.])(?P<percent>\d+(?:\.\d+)?)\s*%\s+of\s+(?:the\s+)?train(?:ing)?\s+(?:set|data|images|samples"
               r"|split)\s+(?:is|are|was|were)\s+(?:held\s+out|set\s+aside|reserved)\s+(?:for|as)\s+(?:the\s+|a\s+)?"
               r"validation(?!\w)", re.IGNORECASE),
)
"""A percentage of the training images held out for validation: "hold out 10% of the training set for validation",
"10% of the training images are held out for validation"."""
_VALIDATION_DATA = re.compile(r"(?<!\w)validation_data\s*=\s*(?P<sets>\([^()]*\)|[\w.]+)")
"""The images Keras's ``fit`` measures its validation numbers on: "validation_data=(x_test, y_test)"."""
_TEST_SET = re.compile(r"test", re.IGNORECASE)
_OWN_SET = re.compile(r"val|dev|hold", re.IGNORECASE)
"""The words of a ``validation_data``'s names that name the test set ("x_test", "test_images"), or a held-out set of
the author's own ("x_val", "X_valid", "dev_ds")."""
_EARLY_STOPPING = re.compile(r"(?<![\w-])(?:early[\s_-]*stop\w*|stop(?:s|ped)?\s+early)(?!\w)", re.IGNORECASE)
"""Words that name early stopping: "early stopping", Keras's "EarlyStopping", "stopped early"."""
_STOPPING_SETTINGS = {
    "monitor": (re.compile(r"(?<!\w)monitor\s*=\s*['\"](?P<value>\w+)['\"]"),),
    "patience": (re.compile(rf"(?<![\w-])patience{_IS}(?P<value>\d+)(?!\w|\.\d)", re.IGNORECASE),
                 re.compile(r"(?<![\w.])(?P<value>\d+)\s+(?:consecutive\s+)?epochs?\s+(?:without|with\s+no|of\s+no)"
                            r"\s+(?:\w+\s+)?improvement", re.IGNORECASE)),
    "restore_best": (re.compile(r"(?<!\w)restore_best_weights\s*=\s*(?P<value>True|False)(?!\w)"),),
}
"""The words of each of early stopping's settings: "a patience of 5 epochs", "patience=5", "10 epochs without
improvement"; Keras's "monitor='val_loss'" and "restore_best_weights=True"."""
_KERAS_STOPPING = {"early_stopping.monitor": "val_loss", "early_stopping.restore_best": False}
"""Keras's EarlyStopping's defaults for the early_stopping keys (``monitor``, ``restore_best_weights``); its patience's,
0, stops at the first epoch without improvement, which no report leaves unsaid."""
_KERAS = re.compile(r"(?<![\w-])(?:tf\.keras|Keras|TensorFlow)(?![\w-])", re.IGNORECASE)
"""The names of the framework whose Adam and AdamW add an epsilon of 1e-7 (``KERAS_EPS``)."""
_PYTORCH = re.compile(r"(?<![\w-])(?:PyTorch|torch\w*)(?![\w-])", re.IGNORECASE)
"""The names of the framework whose Adam's epsilon is the ledger's default: a report that names it and Keras may
train with either."""
_OWN = {"eps": (vocab.EPS_OPTIMIZERS, "Adam's and AdamW's"), "momentum": ((vocab.MOMENTUM_OPTIMIZER,), "SGD's"),
        "nesterov": ((vocab.MOMENTUM_OPTIMIZER,), "SGD's")}
"""The settings only some optimizers take, with those optimizers (``vocab``) and whose they are, in words."""
KERAS_EPS = 1e-7
"""Keras's Adam's and AdamW's default epsilon; PyTorch's, the ledger's default ``eps``, is 1e-8."""
_FLOORED = "cosine to a floor"
"""A cosine schedule that ends at a learning rate above 0, which the ledger's "cosine" (``eta_min`` 0) is not."""
_LEAST = r"min(?:imum|imal)?[\s_-]*(?:learning[\s_-]+rate|lr)|final[\s_-]+(?:learning[\s_-]+rate|lr)|floor"
_FLOOR = re.compile(rf"(?<!\w)(?:(?:to|{_LEAST})(?:\s+(?:a|the|{_LEAST}))*|(?P<eta>eta[\s_-]*min)){_IS}"
                    rf"{_NUMBER}(?!\s*(?:epoch|step|iter|batch|image|sample)\w*)", re.IGNORECASE)
"""A learning rate a schedule may end at: "to 1e-4", "a minimum lr of 1e-5", "to a floor of 0.001", "eta_min=1e-6";
not "up to 300 epochs". ``_floor`` takes one above 0 and below 1 alone, no "to 0" nor "to 224"."""
_FLOOR_APART = re.compile(rf";|batch|epochs?\s*\d|{_WARM_UP}|resiz|(?<!\w)scal(?:e|ed|es|ing)(?!\w)|crop|image"
                          r"|momentum|weight[\s_-]+decay", re.IGNORECASE)
"""What parts a cosine's words from a number no floor of theirs: a ";" or another setting's name between them ("the
batch size to 256", "from epoch 10 to 200", "a warm-up to 0.4", "resized to 224", "scale lr linearly to 0.4"); not a
count of epochs before its name, the cosine's length ("over 200 epochs to a floor of 0.001")."""
_NESTEROV = re.compile(r"(?<!\w)Nesterov(?!\w)", re.IGNORECASE)
_UNNESTEROV = re.compile(r"(?<!\w)(?:without|no|not|non|never)(?:[\s-]+(?:use[sd]?|using|the|a|any))*[\s-]+Nesterov"
                         r"(?!\w)|(?<!\w)Nesterov(?:\s+momentum)?(?:\s+(?:is|was|were))?\s+(?:not|disabled|off)(?!\w)"
                         r"|(?<!\w)Nesterov(?:\s+momentum)?\s*[:=]\s*(?:False|No|off|none|disabled|✗|✘)"
                         r"(?![\w✗✘])", re.IGNORECASE)
"""Words that say Nesterov's momentum is not used: "without Nesterov", "Nesterov momentum not used", "Nesterov: No"
(a list's item, or a table's row "Nesterov | No")."""


@dataclass(frozen=True)
class Stated:
    """A recipe key's value a sentence states."""

    key: str
    value: object
    """As the ledger writes it ("sgd", 0.1, 128), or the report's name of one the ledger has not ("rmsprop")."""
    words: str
    """The words that state it: "lr 0.1", "SGD"."""
    alone: bool = True
    """False where the words may state more values than those read: a plural name ("learning rates of 0.1"), or a
    bare number joined after them ("lr 0.1, 93.2 on CIFAR-10"); the key is then not guessed."""
    note: str = ""
    """What the ledger needs in place of a value it cannot take as stated (a share of the training images where
    ``val_size`` counts them); the key is then not guessed, and the note says so."""


@dataclass(frozen=True)
class Drafted:
    """The drafted recipe: each key's guess (``Guess``) or TODO, in the schema's order; the comment lines that go
    above a key (what the report states that the draft did not guess); the sentences read."""

    keys: dict[str, object]
    notes: dict[str, list[str]]
    sentences: list[str]


def drafted(sentences: Iterable[str], headings: Iterable[str] = (), rows: Iterable[Sequence[str]] = ()) -> Drafted:
    """The recipe of a report whose running text is ``sentences`` and whose tables of hyperparameters have the setting
    ``rows`` (``row_statements``): a TODO for each key every recipe needs, naming its allowed values; a guess for
    each key they state one value of, which the ledger takes; for a key they state several values of, or one the
    ledger does not take, a note, and the TODO (a key no recipe needs gets one then too). A guessed schedule that
    takes a table of its own ("plateau") gets a TODO for it, a guessed Adam of a report whose sentences or
    ``headings`` name Keras, its epsilon unstated, Keras's (``_keras_eps``), and early stopping's settings stated,
    an early_stopping table (``_early_stopping_table``)."""
    sentences = list(sentences)
    found: dict[str, list[Stated]] = {}
    read = []
    for words, own in [*((sentence, list(stated(sentence))) for sentence in sentences), *map(row_statements, rows)]:
        read += [words] if own and words not in read else []
        for setting in own:
            found.setdefault(setting.key, []).append(setting)
    found["augment"] = _used(found.get("augment", []))
    entries: dict[str, object] = {}
    notes: dict[str, list[str]] = {}
    for name, field in _FIELDS.items():
        entry, notes[name] = _entry(name, found.get(name, []), field.default is dataclasses.MISSING)
        if entry is not None:
            entries[name] = entry
    schedule = entries.get("schedule")
    if isinstance(schedule, Guess) and schedule.value == "step":
        entries["step"], notes["step"] = _step_table(found, entries.get("epochs"))
    elif isinstance(schedule, Guess) and (table := _table(str(schedule.value))):
        entries[str(schedule.value)] = table
    if stopping := _early_stopping_table(found, [*headings, *sentences]):
        entries["early_stopping"], notes["early_stopping"] = stopping
    if "eps" not in found and (eps := _keras_eps(entries.get("optimizer"), [*headings, *sentences])):
        entries["eps"], notes["eps"] = eps
    _optimizers_own(entries, notes)
    return Drafted({key: entries[key] for key in _FIELDS if key in entries},
                   {key: lines for key, lines in notes.items() if lines}, read)


def _entry(key: str, settings: list[Stated], required: bool) -> tuple[object | None, list[str]]:
    """The guess of ``key`` where ``settings`` state one value of it the ledger takes, else its TODO where they state
    any or the key is ``required``, else None; with the notes on what they state that is no guess."""
    values = list(dict.fromkeys(setting.value for setting in settings))
    noted = list(dict.fromkeys(setting.note for setting in settings if setting.note))
    refused = [value for value in values if not _takes(key, value)] if not noted else []
    several = (not _listed(key) and len(values) > 1) or not all(setting.alone for setting in settings)
    notes = [*([_several(key, settings)] if several else []), *(_refused(key, value, settings) for value in refused),
             *noted]
    if not several and values and not refused and not noted:
        return _guess(key, values, settings), notes
    return (_todo(key) if settings or required else None), notes


def _todo(key: str) -> str:
    """The TODO of ``key`` (an early_stopping key by its own name), naming its allowed values."""
    return todo(key.rpartition(".")[2].replace("_", " "), _allowed(key))


def _early_stopping_table(found: dict[str, list[Stated]],
                          texts: list[str]) -> tuple[dict[str, object], list[str]] | None:
    """The early_stopping table where the settings ``found`` state any of its keys (``_early_stopping``), else None:
    each key guessed as a recipe's is (``_entry``), or unstated, Keras's default (``_keras_default``) or a TODO; each
    key's comment, above the table, as its own line."""
    if not any(key in found for key in _STOPPING):
        return None
    return _inline_table(_STOPPING, found, lambda key: _keras_default(key, texts))


def _step_table(found: dict[str, list[Stated]], epochs: object) -> tuple[dict[str, object], list[str]]:
    """The step table of a guessed ``schedule = "step"``: its milestones as stated, or every N epochs or at shares of
    training of the guessed ``epochs`` (``_milestones``), and its gamma, each guessed as a recipe key is, or a TODO
    under a comment that says what the report states, or that it does not."""
    total = epochs.value if isinstance(epochs, Guess) and isinstance(epochs.value, int) else None
    stated_ones = {"step.milestones": [*found.get("step.milestones", []),
                                       *(_milestones(setting, total) for key in ("step.every", "step.shares")
                                         for setting in found.get(key, []))],
                   "step.gamma": found.get("step.gamma", [])}
    return _inline_table(_STEP, {key: settings for key, settings in stated_ones.items() if settings},
                         lambda key: (_todo(key), [f"the report does not state {key}: give it"]))


def _milestones(setting: Stated, total: int | None) -> Stated:
    """A step schedule's milestones every N epochs (N, 2N, ... below ``total``, the guessed epochs) or at shares of
    training (of ``total``, each a whole epoch); with a note, which keeps them a TODO, where ``total`` is None or
    gives none."""
    if setting.key == "step.every":
        said = f"every {setting.value} epochs"
        epochs = tuple(range(int(setting.value), total, int(setting.value))) if total else ()
    else:
        said = f"at {' and '.join(f'{share:g}%' for share in setting.value)} of training"
        exact = [total * share / 100 for share in setting.value] if total else []
        epochs = tuple(map(int, exact)) if exact and all(e.is_integer() and 0 < e < total for e in exact) else ()
    if epochs:
        return Stated("step.milestones", epochs, setting.words)
    of = f"of {total} epochs" if total else "and no one number of epochs"
    return Stated("step.milestones", said, setting.words, note=f"the report states step.milestones {said} "
                  f"({setting.words!r}) {of}: give them as epochs below the recipe's epochs")


def _inline_table(keys: dict[str, object], found: dict[str, list[Stated]],
                  unstated: Callable[[str], tuple[object, list[str]]]) -> tuple[dict[str, object], list[str]]:
    """The inline table of the dotted ``keys``: each guessed as a recipe key is (``_entry``), or ``unstated``'s entry
    where ``found`` has none of it; each key's comment, above the table, as its own line."""
    table: dict[str, object] = {}
    notes: list[str] = []
    for key in keys:
        entry, said = _entry(key, found[key], True) if key in found else unstated(key)
        table[key.rpartition(".")[2]] = entry.value if isinstance(entry, Guess) else entry
        notes += [f"{key}: {entry.comment}"] if isinstance(entry, Guess) else said
    return table, notes


def _keras_default(key: str, texts: list[str]) -> tuple[Guess | str, list[str]]:
    """Keras's EarlyStopping default of an unstated early_stopping ``key`` (``_KERAS_STOPPING``) where the report's
    ``texts`` name Keras and not PyTorch, as ``_keras_eps`` reads them; a TODO with a note elsewhere."""
    keras, torch = _frameworks(texts)
    if key not in _KERAS_STOPPING or not keras:
        return _todo(key), [f"the report does not state {key}: give it"]
    if torch:
        return _todo(key), [f"the report names {keras.group()!r} and {torch.group()!r}: {key} is Keras's "
                            f"EarlyStopping default {toml(_KERAS_STOPPING[key])} if it trained with Keras"]
    return Guess(_KERAS_STOPPING[key], f"Keras's EarlyStopping default: the report trains with Keras "
                                       f"({keras.group()!r})"), []


def row_statements(row: Sequence[str]) -> tuple[str, list[Stated]]:
    """A table's setting row ("Learning rate | 0.05", a value cell per model) in its words, and the settings it
    states: each value cell's, read as the sentence "<label>: <value>" is, with the row's words."""
    words = " | ".join(row)
    return words, [dataclasses.replace(setting, words=words) for cell in row[1:] if cell
                   for setting in stated(f"{row[0]}: {cell}")]


def _optimizers_own(entries: dict[str, object], notes: dict[str, list[str]]) -> None:
    """No guessed setting of some optimizers' alone (``_OWN``: an epsilon, a momentum, Nesterov's) but beside one of
    them: none beside another guessed optimizer, a TODO with a note beside an optimizer not guessed."""
    optimizer = entries.get("optimizer")
    for key, (optimizers, whose) in _OWN.items():
        setting = entries.get(key)
        if not (isinstance(setting, Guess) and setting.value) or (isinstance(optimizer, Guess)
                                                                   and optimizer.value in optimizers):
            continue
        if isinstance(optimizer, Guess):
            del entries[key]
            continue
        entries[key] = todo(key)
        notes[key] = [f"the report states {key} {setting.value} ({setting.comment.removeprefix('read from ')}), "
                      f"{whose} only: keep it if the optimizer is {'one' if optimizers[1:] else optimizers[0]}"]


def _keras_eps(optimizer: object, texts: list[str]) -> tuple[Guess | str, list[str]] | None:
    """Keras's Adam's epsilon (``KERAS_EPS``) where the guessed ``optimizer`` is Adam or AdamW and the report's
    ``texts`` (its headings and sentences) name Keras or TensorFlow, which the report then trains with, and not
    PyTorch; a TODO with a note where they name both; None elsewhere."""
    keras, torch = _frameworks(texts)
    if not (keras and isinstance(optimizer, Guess) and optimizer.value in vocab.EPS_OPTIMIZERS):
        return None
    if torch:
        return todo("eps"), [f"the report names {keras.group()!r} and {torch.group()!r}: eps is Keras's Adam's "
                             f"default {KERAS_EPS} or PyTorch's 1e-8, as the framework it trained with"]
    return Guess(KERAS_EPS, f"Keras's Adam's default epsilon, where PyTorch's is 1e-8: the report trains with Keras "
                            f"({keras.group()!r})"), []


def _frameworks(texts: list[str]) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """The first words of ``texts`` that name Keras or TensorFlow (``_KERAS``), and PyTorch (``_PYTORCH``); None for
    either they do not name."""
    return (next((match for text in texts if (match := _KERAS.search(text))), None),
            next((match for text in texts if (match := _PYTORCH.search(text))), None))


def _guess(key: str, values: list[object], settings: list[Stated]) -> Guess:
    """The guess of a key the report states: its one value, with the first words read, or the list of a list's key
    (``augment``), with each item's words."""
    if not _listed(key):
        return Guess(values[0], f"read from {settings[0].words!r}")
    words = " and ".join(dict.fromkeys(repr(setting.words) for setting in settings))
    return Guess(values, f"read from {words}")


def _listed(key: str) -> bool:
    """Whether the recipe's ``key`` holds a list of values (``augment``): several stated are its items."""
    return get_origin(_TYPES[key]) is tuple


def stated(sentence: str) -> Iterator[Stated]:
    """The recipe keys ``sentence`` (plain text) states a value of, with their words: each number of a list or a
    range after a setting's name ("lr 0.1, 0.01", each even where the draft makes it a candidate claim; one in doubt,
    "lr 0.1 and 0.01 yield", too), not alone where a plural name or a bare number joined after them may state more
    (``draft_text.listed``: "lr 0.1, 93.2 on CIFAR-10"; not one read as another setting's, "lr 0.1 and 0.9 for
    momentum"); none of one before it ("20, 30, and 40 epochs"), another's
    ("after 30 epochs", a minimum learning rate) or a candidate claim's alone; a cosine to a floor (``_floor``) as no
    "cosine"."""
    claimed = [range(mention.start, mention.start + len(mention.printed)) for mention in draft_text.mentions(sentence)
               if draft_text.is_candidate(mention, sentence)]
    numbers = {key: list(_numbers(key, sentence)) for key in _NAMES}
    read = {match.start("number") for matches in numbers.values() for match in matches}
    for key, matches in numbers.items():
        for match in matches:
            several = bool(match.groupdict().get("name") and draft_text.plural(match["name"]))
            found = draft_text.listed(sentence, match.end("number"), _value(key, match["number"]), several)
            items = [match, *found.items, *([found.after] if found.maybe else [])]
            after = found.after if found.after and found.after.start("number") not in read else None
            words = _phrase(sentence, match.start(), max(match.end(), (after or items[-1]).end("number")))
            alone = not (several or after)
            if items[1:] or not alone or not any(match.start("number") in span for span in claimed):
                theirs = _whose(key, sentence, match.start())[0]
                yield from (Stated(key, value, words, alone, _doubt(key, value, words, theirs))
                            for value in (_value(key, item["number"]) for item in items))
    yield from _mean_std(sentence)
    floor = _floor(sentence)
    for key, names in (("optimizer", _OPTIMIZERS), ("schedule", _SCHEDULES)):
        own = {value: re.escape(value) for value in _allowed(key) if value not in names}
        for value, pattern in {**names, **own}.items():
            for match in re.finditer(_named(pattern), sentence, re.IGNORECASE):
                if not (floor and value == "cosine"):
                    yield Stated(key, value, match.group())
    if floor:
        yield floor
    yield from _step_settings(sentence)
    if match := _UNNESTEROV.search(sentence):
        yield Stated("nesterov", False, match.group())
    elif match := _NESTEROV.search(sentence):
        yield Stated("nesterov", True, match.group())
    yield from _augmentations(sentence)
    yield from _validation_split(sentence)
    yield from _validation_data(sentence)
    yield from _early_stopping(sentence)


def _augmentations(sentence: str) -> Iterator[Stated]:
    """The training augmentations ``sentence`` names (``_AUGMENTS``), in the order it names them, but those it names
    under a negation ("we do not use horizontal flips", "vertical flips are not used") or in a clause on test time
    (``_tested``: "At test time we average ... its horizontal flip"); one a negation stands before in its clause that
    may be its own ("no random crops, horizontal flips or rotations"), or in a clause on test time and training, with
    a note, which keeps augment a TODO; and ``_NONE`` where it states no augmentation ("no data augmentation")."""
    if match := _NO_AUGMENTATION.search(sentence):
        yield Stated("augment", _NONE, match.group())
    found = {match.start(): (value, match) for value, pattern in _AUGMENTS.items()
             for match in re.finditer(_named(pattern), sentence, re.IGNORECASE)}
    for start in sorted(found):
        value, match = found[start]
        if _NEGATED_BEFORE.search(sentence, 0, start) or _NEGATED_AFTER.match(sentence, match.end()):
            continue
        clause = sentence[sentence.rfind(";", 0, start) + 1:start]
        negation = list(re.finditer(_NEGATION, clause, re.IGNORECASE))
        tested, trained = _tested(sentence, start)
        if tested and not trained:
            continue
        doubt = ""
        if negation and not _UNNEGATED.search(clause, negation[-1].end()):
            doubt = f"after a negation ({negation[-1].group()!r})"
        elif tested and trained:
            doubt = f"in words on test time ({tested.group()!r}) and training ({trained.group()!r})"
        yield Stated("augment", value, match.group(), note=f"the report names augment {value} ({match.group()!r}) "
                     f"{doubt}: say whether its training used it" if doubt else "")


def _tested(sentence: str, start: int) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """The words on test time (``_TEST_TIME``) and on training (``_TRAINING``) of the clause of ``sentence`` around
    ``start`` (``_CLAUSE_END``), or None for either it has none of."""
    ends = list(_CLAUSE_END.finditer(sentence))
    first = max((end.end() for end in ends if end.end() <= start), default=0)
    last = min((end.start() for end in ends if end.start() >= start), default=len(sentence))
    return _TEST_TIME.search(sentence, first, last), _TRAINING.search(sentence, first, last)


def _used(settings: list[Stated]) -> list[Stated]:
    """The augmentations ``settings`` state used: none where a sentence states no augmentation
    (``_NONE``) and none is named; each with a note, which keeps augment a TODO, where some are."""
    said = next((setting for setting in settings if setting.value == _NONE), None)
    used = [setting for setting in settings if setting.value != _NONE]
    if said is None:
        return used
    return [dataclasses.replace(setting, note=f"the report states no augmentation ({said.words!r}) and augment "
                                f"{setting.value} ({setting.words!r}): say whether its training used it")
            for setting in used]


def _validation_split(sentence: str) -> Iterator[Stated]:
    """A validation split ``sentence`` states (``_VALIDATION_SPLIT``, ``_HELD_OUT``): a hold-out (``validation =
    "holdout"``), and its share of the training images, which ``val_size`` counts in images: a note says so (and how
    Keras's split differs from claimbench's)."""
    if match := _VALIDATION_SPLIT.search(sentence):
        share = float(match["number"])
    elif match := next((found for pattern in _HELD_OUT if (found := pattern.search(sentence))), None):
        share = round(float(match["percent"]) / 100, 10)
    else:
        return
    keras = ("; Keras holds out the last ones before shuffling, claimbench a random draw per seed"
             if "_" in match.group() else "")
    yield Stated("validation", "holdout", match.group())
    yield Stated("val_size", share, match.group(), note=f"the report states val_size {share} of the training images "
                 f"({match.group()!r}): give it in images ({share} × the training set's size){keras}")


def _validation_data(sentence: str) -> Iterator[Stated]:
    """The set Keras's ``validation_data`` in ``sentence`` names (``_VALIDATION_DATA``): the test set, ``validation =
    "test"``; a held-out set of the author's own (``_OWN_SET``), ``validation = "holdout"`` with a note that asks for
    its size, which the report does not give; none where its names say neither."""
    if not (match := _VALIDATION_DATA.search(sentence)):
        return
    if _TEST_SET.search(match["sets"]):
        yield Stated("validation", "test", match.group())
    elif _OWN_SET.search(match["sets"]):
        yield Stated("validation", "holdout", match.group(), note=f"the report validates on {match['sets']} "
                     f"({match.group()!r}), a held-out set of its own, not the test set: give validation = "
                     f"\"holdout\" and its val_size in images")


def _early_stopping(sentence: str) -> Iterator[Stated]:
    """The settings of early stopping a sentence that names it (``_EARLY_STOPPING``) states (``_STOPPING_SETTINGS``),
    each under its dotted key (``_STOPPING``); with a note where it names a reduce-on-plateau schedule too, whose
    they may be."""
    if not _EARLY_STOPPING.search(sentence):
        return
    plateau = re.search(_named(_SCHEDULES["plateau"]), sentence, re.IGNORECASE)
    for name, patterns in _STOPPING_SETTINGS.items():
        for match in (found for pattern in patterns for found in pattern.finditer(sentence)):
            key, value = f"early_stopping.{name}", _called(match["value"])
            yield Stated(key, value, match.group(), note=_doubt(key, value, match.group(), plateau,
                                                                "early stopping's"))


def _step_settings(sentence: str) -> Iterator[Stated]:
    """The settings of the step schedule a sentence names (``_SCHEDULES["step"]``) states (``_STEP_SETTINGS``): its
    milestones, every N epochs (``step.every``) or at shares of training (``step.shares``, in percent), which the
    recipe's epochs make milestones (``_milestones``), and its gamma, a factor above 0 and below 1."""
    if not re.search(_named(_SCHEDULES["step"]), sentence, re.IGNORECASE):
        return
    read = {name: [match for pattern in patterns for match in pattern.finditer(sentence)]
            for name, patterns in _STEP_SETTINGS.items()}
    for match in read["milestones"]:
        yield Stated("step.milestones", tuple(map(int, re.findall(r"\d+", match["value"]))), match.group())
    for match in read["every"]:
        yield Stated("step.every", int(match["value"]), match.group())
    for match in read["shares"]:
        yield Stated("step.shares", tuple(float(share) for share in re.findall(r"[\d.]+", match["value"])),
                     match.group())
    for name in ("divisor", "factor", "halved"):
        yield from (Stated("step.gamma", gamma, match.group()) for match in read[name]
                    if 0 < (gamma := _gamma(name, match)) < 1)


def _gamma(name: str, match: re.Match[str]) -> float:
    """The factor of a step schedule's words (``_STEP_SETTINGS``) of kind ``name``: 0.5 "halved", one over a divisor
    above 1 ("divided by 10"), else their number ("decayed by 0.1", "gamma=0.1")."""
    if name == "halved":
        return 0.5
    number = float(match["value"])
    return 1 / number if name == "divisor" and number > 1 else number


def _called(text: str) -> int | bool | str:
    """A setting's value as a call or a sentence writes it: a count, Python's True or False, or a name."""
    return int(text) if text.isdigit() else {"True": True, "False": False}.get(text, text)


def _numbers(key: str, sentence: str) -> Iterator[re.Match[str]]:
    """Each match of a number ``sentence`` gives setting ``key`` by its name ("lr 0.1"), before it ("0.9 momentum")
    or before "for" and it (``_GIVEN``: "0.9 for momentum"); none in a list or a range, none after or before words
    that make it another's, no batch size of a sentence on inference, and no momentum nor epsilon of batch norm's or
    label smoothing's (``_whose``)."""
    if key == "batch_size" and _UNTRAINED.search(sentence):
        return
    named = _mine(key, sentence, rf"(?<![\w-])(?P<name>{_NAMES[key]})(?![\w-]){_IS}{_NUMBER}")
    before = _mine(key, sentence, rf"{_NUMBER}{_AFTER[key]}(?![\w-])") if key in _AFTER else []
    given = (_mine(key, sentence, rf"{_NUMBER}\s+for\s+(?:the\s+)?(?P<name>{_NAMES[key]})(?![\w-])")
             if key in _GIVEN else [])
    for match in named:
        if not (_OTHER_NAME.search(sentence, 0, match.start())
                or _LISTED_BEFORE.search(sentence, 0, match.start("number"))
                or key == "epochs" and _OTHER_NUMBER.search(sentence, 0, match.start())
                or _elsewhere(key, sentence, match.end())):
            yield match
    for match in before:
        if not (_OTHER_NUMBER.search(sentence, 0, match.start())
                or _LISTED_BEFORE.search(sentence, 0, match.start("number"))
                or _elsewhere(key, sentence, match.end())):
            yield match
    for match in given:
        if not (_NAMED_BEFORE.search(sentence, 0, match.start("number"))
                or _LISTED_BEFORE.search(sentence, 0, match.start("number"))
                or _VALUE_AFTER.match(sentence, match.end())
                or _elsewhere(key, sentence, match.end())):
            yield match


def _doubt(key: str, value: object, words: str, theirs: re.Match[str] | None, whose: str = "the optimizer's") -> str:
    """The note on a setting whose words may be another's than ``whose`` (batch norm's or label smoothing's,
    ``_whose``; a plateau's): its ``theirs`` words, or None; none where they are not."""
    return (f"the report states {key} {value} ({words!r}) in words that name {theirs.group()!r} too: keep it if it is "
            f"{whose}" if theirs else "")


def _mine(key: str, sentence: str, pattern: str) -> list[re.Match[str]]:
    """The matches of ``pattern`` in ``sentence``, but those of a setting ``key`` surely batch norm's or label
    smoothing's (``_whose``)."""
    return [match for match in re.finditer(pattern, sentence, re.IGNORECASE)
            if not _whose(key, sentence, match.start())[1]]


def _whose(key: str, sentence: str, start: int) -> tuple[re.Match[str] | None, bool]:
    """The words of batch norm or label smoothing (``_THEIRS``) whose setting ``key`` named at ``start`` may be, and
    whether it surely is theirs: their words in its clause (between semicolons, a bracket's words left out, or in
    its bracket) and none of an optimizer's ("BatchNorm layers use epsilon 1e-5 and momentum 0.1"), or, in a
    bracket, right before it ("label smoothing (epsilon = 0.1)"). Words of theirs in a clause that names an
    optimizer too, or before its bracket but not right before it, leave it in doubt; none where an optimizer is
    named after them ("Models use BatchNorm and are trained with SGD (momentum 0.9)"), or none is near."""
    if key not in _THEIRS:
        return None, False
    opener = _opener(sentence, start)
    closer = sentence.find({"(": ")", "[": "]", "{": "}"}[sentence[opener]], start) if opener is not None else -1
    inner = sentence[opener + 1:closer if closer >= 0 else len(sentence)] if opener is not None else sentence
    clause = _clause(_blanked(inner), start - (opener + 1 if opener is not None else 0))
    if found := _THEIRS[key].search(clause):
        return found, not _OPTIMIZER.search(clause)
    if opener is None:
        return None, False
    before = re.split(r"[;()\[\]{}]", _blanked(sentence[:opener]))[-1]
    named = list(_THEIRS[key].finditer(before))
    if not named or any(optimizer.start() > named[-1].start() for optimizer in _OPTIMIZER.finditer(before)):
        return None, False
    return named[-1], bool(_OWN_BRACKET.fullmatch(before, named[-1].end()))


def _opener(sentence: str, start: int) -> int | None:
    """The index of the innermost bracket still open at ``start`` in ``sentence``; None where none is."""
    depth = 0
    for index in range(start - 1, -1, -1):
        if sentence[index] in ")]}":
            depth += 1
        elif sentence[index] in "([{":
            if not depth:
                return index
            depth -= 1
    return None


def _blanked(text: str) -> str:
    """``text`` with each closed bracket's words blanked (``_BRACKETED``), innermost first; its length kept."""
    while (blanked := _BRACKETED.sub(lambda match: " " * len(match.group()), text)) != text:
        text = blanked
    return text


def _clause(text: str, position: int) -> str:
    """The words of ``text`` between the semicolons around ``position``."""
    end = text.find(";", position)
    return text[text.rfind(";", 0, position) + 1:end if end >= 0 else len(text)]


def _elsewhere(key: str, sentence: str, end: int) -> bool:
    """Whether the words after a setting's words that end at ``end`` make its value another's (a BatchNorm's
    momentum: ``_OTHER_AFTER``) or its batch size one device's ("128 per GPU")."""
    return bool(_OTHER_AFTER.match(sentence, end) or key == "batch_size" and _PER_DEVICE.match(sentence, end))


def _phrase(sentence: str, start: int, end: int) -> str:
    """The words of ``sentence`` from ``start`` to ``end``, on to the bracket that closes one they open ("lr in
    {0.1, 0.01}", "weight decay 5e-4 (1e-4 for ImageNet)")."""
    for opener, closer in ("()", "[]", "{}"):
        words = sentence[start:end]
        if words.count(opener) > words.count(closer) and (close := sentence.find(closer, end)) >= 0:
            end = close + 1
    return sentence[start:end].strip()


def _floor(sentence: str) -> Stated | None:
    """The cosine schedule to a floor ``sentence`` states: a learning rate above 0 and below 1 it ends at, in the
    clause of a cosine's words on either side of them (``_FLOOR_APART``: "cosine annealing to 1e-4", "annealed to
    1e-5 with cosine annealing"), or an ``eta_min`` (a cosine's only) anywhere; None where it states none."""
    cosines = list(re.finditer(_named(_SCHEDULES["cosine"]), sentence, re.IGNORECASE))
    for floor in _FLOOR.finditer(sentence):
        if not 0 < _value("lr", floor["number"]) < 1:
            continue
        for cosine in cosines:
            first, last = sorted((cosine, floor), key=lambda match: match.start())
            if not _FLOOR_APART.search(sentence, first.end(), last.start()):
                return Stated("schedule", _FLOORED, sentence[first.start():last.end()])
        if floor["eta"]:
            return Stated("schedule", _FLOORED, floor.group())
    return None


def _named(pattern: str) -> str:
    """``pattern`` as whole words: no word nor hyphen glued to either end."""
    return rf"(?<![\w-])(?:{pattern})(?!\w)"


def _value(key: str, number: str) -> int | float:
    """The number as the ledger's key takes it: an int for a count (epochs, a batch size) printed whole, else a
    float; "3 × 10^-4" is 3e-4, "10^-4" 1e-4."""
    text = number.replace(",", "").replace("−", "-")
    if re.fullmatch(numerals.TEN_POWER, text):
        return float(f"1e{numerals.exponent(text)}")
    if power := re.search(_POWER, text):
        return float(f"{text[:power.start()]}e{numerals.exponent(power.group())}")
    counted = get_args(_FIELDS[key].type)[:1] == (int,)
    return int(text) if counted and text.isdigit() else float(text)


_STAT_VALUES = rf"(?:{draft_text.BARE})(?:\s*,\s*(?:{draft_text.BARE}))*"
"""A normalisation's mean or std: one value, or one per channel ("0.4914, 0.4822, 0.4465")."""
_STAT_IS = r"(?:\s*[=:]\s*|\s+(?:(?:of|is|are)\s+)?)"
"""What stands between a mean's or a std's name and its values: "mean 0.286", "std=0.353", "a mean of"."""
_STD = r"(?:std|stdev|standard[\s_-]+deviation)s?"
_MEAN_STD = (re.compile(rf"(?<![\w-])(?P<mean_words>means?{_STAT_IS}[(\[]?\s*(?P<mean>{_STAT_VALUES})\s*,?\s*[)\]]?)"
                        rf"(?:[\s,]+(?:and|with|a|an|the)(?!\w))*\s*"
                        rf"(?P<std_words>{_STD}{_STAT_IS}[(\[]?\s*(?P<std>{_STAT_VALUES})\s*,?\s*[)\]]?)",
                        re.IGNORECASE),
             re.compile(rf"Normali[sz]e\s*\(\s*(?:mean\s*=\s*)?[(\[]\s*(?P<mean>{_STAT_VALUES})\s*,?\s*[)\]]\s*,\s*"
                        rf"(?:std\s*=\s*)?[(\[]\s*(?P<std>{_STAT_VALUES})\s*,?\s*[)\]]\s*\)", re.IGNORECASE))
"""A normalisation's mean and std, in words ("mean 0.2860 and std 0.3530", "mean (0.49, 0.48, 0.45) and standard
deviation (0.25, 0.24, 0.26)") or in a call ("Normalize((0.1307,), (0.3081,))", "Normalize(mean=[...], std=[...])")."""


def _mean_std(sentence: str) -> Iterator[Stated]:
    """``normalize = "mean_std"`` and its ``mean`` and ``std``, where ``sentence`` names normalisation
    (``draft_text.NORMALIZES``) and states a mean and a std on [0, 1] pixels (``_MEAN_STD``), as many of one as of
    the other; nothing else (pixels on [0, 255], "one std for three means")."""
    if not draft_text.NORMALIZES.search(sentence):
        return
    for pattern in _MEAN_STD:
        for match in pattern.finditer(sentence):
            mean, std = (tuple(float(value) for value in re.split(r"\s*,\s*", match[key])) for key in ("mean", "std"))
            if len(mean) == len(std) and all(0 < value <= 1 for value in (*mean, *std)):
                words = match.groupdict()
                yield Stated("normalize", "mean_std", match.group())
                yield Stated("mean", mean, words.get("mean_words") or match.group())
                yield Stated("std", std, words.get("std_words") or match.group())


def _takes(key: str, value: object) -> bool:
    """Whether the ledger takes ``value`` for ``key``: one of its allowed values, or a number its schema takes."""
    if _allowed(key) or isinstance(value, str):
        return value in _allowed(key)
    try:
        TypeAdapter(_TYPES[key]).validate_python(value)
    except ValidationError:
        return False
    return True


def _allowed(key: str) -> tuple[str, ...]:
    """The values the ledger allows for the recipe's ``key`` (``vocab.OPTIMIZERS``, ``vocab.SCHEDULES``, ...), as
    the schema takes them; none for a number's key."""
    kind = _TYPES[key]
    kind = get_args(kind)[0] if _listed(key) else kind
    return get_args(kind) if get_origin(kind) is Literal else ()


def _several(key: str, settings: list[Stated]) -> str:
    """The note on a key the report states several values of, or may (not ``Stated.alone``), each words' values
    together ("0.1 and 0.01 ('lr 0.1, 0.01')", "0.1 ('lr 0.1, 93.2'), perhaps among others")."""
    values: dict[str, dict[object, None]] = {}
    for setting in settings:
        values.setdefault(setting.words, {})[setting.value] = None
    said = " and ".join(f"{' and '.join(map(str, own))} ({words!r})" for words, own in values.items())
    more = ", perhaps among others" if len({setting.value for setting in settings}) == 1 else ""
    return f"the report states {key} {said}{more}: give the one its claims trained with"


def _refused(key: str, value: object, settings: list[Stated]) -> str:
    """The note on a value of ``key`` the ledger does not take."""
    words = " and ".join(dict.fromkeys(repr(setting.words) for setting in settings if setting.value == value))
    has = f"has no such {key} ({' | '.join(_allowed(key))})" if _allowed(key) else f"takes no such {key}"
    lacks = "the ledger's cosine decays to 0 (eta_min 0)" if value == _FLOORED else f"the ledger {has}"
    return f"the report states {key} {value} ({words}); {lacks}: claimbench cannot train it as stated"


def _table(schedule: str) -> str | None:
    """The TODO of the recipe's table of the same name that a schedule takes ("plateau": ``schema.Plateau``), naming
    its keys; None where it takes none."""
    field = _FIELDS.get(schedule)
    record = next((kind for kind in get_args(field.type) if dataclasses.is_dataclass(kind)), None) if field else None
    if record is None:
        return None
    names = ", ".join(field.name for field in dataclasses.fields(record))
    return todo(f"the {schedule} schedule's settings, an inline table {{ {names} }}")
