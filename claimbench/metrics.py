"""The statistic a report printed, computed from a finished run's ``History``; and seed intervals.

Units follow the ledger: accuracy and gap in percent, precision and recall as fractions, loss as
is, best epoch a 1-based epoch number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from claimbench import vocab
from claimbench.history import Epoch, Evaluation, History

__all__ = ["floored", "interval95", "macro_precision_recall", "possible", "prediction95", "prediction95_limit",
           "resolution", "value"]

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; beyond, Cornish-Fisher's expansion.
_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042)
_NORMAL95 = 1.96
_Z975 = 1.959963984540054
"""The normal's 0.975 point, unrounded, from which ``_t95`` expands t's."""


def _t95(df: int) -> float:
    """The two-sided 95% quantile of Student's t for ``df`` degrees of freedom: the table's through 30, then the
    Cornish-Fisher expansion of t about the normal in powers of 1/df (Abramowitz and Stegun 26.7.5), within 1e-5
    of the exact quantile from 30 on, so it falls towards 1.96 smoothly rather than stepping down to it (the normal
    at df 31 covered 94.1%)."""
    if df <= len(_T95):
        return _T95[df - 1]
    z = _Z975
    terms = ((z ** 3 + z) / 4, (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96,
             (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384,
             (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160)
    return z + math.fsum(term / df ** power for power, term in enumerate(terms, start=1))


def _sd(values: Sequence[float], mean: float) -> float:
    """The sample standard deviation (n - 1)."""
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _scatter(values: Sequence[float], mean: float, step: float) -> float:
    """The scatter a prediction interval takes: the values' sample sd, at least ``step`` (``floored``)."""
    return max(_sd(values, mean), step)


def floored(values: Sequence[float], step: float) -> bool:
    """Whether ``values`` scatter less than one ``step`` of their statistic (``step``), so that the prediction
    interval takes the step as their scatter: seeds that tie, or nearly, on a statistic that moves in steps (a best
    epoch in whole epochs, an accuracy by one image) say only that a run's scatter is under a step or so, not that
    it is 0."""
    return len(values) > 1 and _sd(values, math.fsum(values) / len(values)) < step


def interval95(values: Sequence[float]) -> tuple[float, float]:
    """Mean and half-width of the 95% t-interval of the mean; the half-width is 0 for one value."""
    if not values:
        raise ValueError("no values to summarise")
    mean = math.fsum(values) / len(values)
    if len(values) == 1:
        return mean, 0.0
    return mean, _t95(len(values) - 1) * _sd(values, mean) / math.sqrt(len(values))


def prediction95(values: Sequence[float], runs: int = 1, step: float = 0.0) -> tuple[float, float]:
    """Mean of ``values`` (n runs) and the half-width of the 95% interval around it within which the mean of
    ``runs`` further runs of the same recipe lands: t95(n - 1)·s·sqrt(1/runs + 1/n), the difference of two means
    whose runs scatter alike. Unlike the mean's own interval it never shrinks below the runs' own scatter, however
    many values there are; it needs two values to estimate that scatter, and takes s as one ``step`` of the
    statistic at least (``floored``; 0: a continuous one)."""
    if len(values) < 2:
        raise ValueError(f"a prediction interval needs at least 2 values, got {len(values)}")
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    mean = math.fsum(values) / len(values)
    return mean, _t95(len(values) - 1) * _scatter(values, mean, step) * math.sqrt(1 / runs + 1 / len(values))


def prediction95_limit(values: Sequence[float], runs: int, step: float = 0.0) -> float:
    """The half-width ``prediction95`` tends to as ever more values of the same scatter come in: 1.96·s·sqrt(1/runs),
    the scatter of the mean of ``runs`` runs itself, which no number of values narrows (s one ``step`` at least)."""
    mean = math.fsum(values) / len(values)
    return _NORMAL95 * _scatter(values, mean, step) * math.sqrt(1 / runs)


_POSSIBLE = {"accuracy": (0.0, 100.0), "gap": (-100.0, 100.0), "precision": (0.0, 1.0), "recall": (0.0, 1.0),
             "loss": (0.0, math.inf)}
"""The values each training statistic but a best epoch can take, in its unit: an accuracy in percent, a gap (train
minus test accuracy) in points either way, a precision or recall a fraction, a loss (cross-entropy) any
non-negative number."""


def possible(kind: str, epochs: int | None = None) -> tuple[float, float]:
    """The least and greatest value a run can give a statistic of ``kind``, in its unit (``_POSSIBLE``); a best epoch
    from 1 to the recipe's ``epochs`` (unbounded above where none is given)."""
    if kind == "best_epoch":
        return 1.0, math.inf if epochs is None else float(epochs)
    if kind not in _POSSIBLE:
        raise ValueError(f"kind {kind!r} is not a training statistic")
    return _POSSIBLE[kind]


def resolution(kind: str, split: str | None, statistic: str, history: History) -> float:
    """The least change one run can make in the statistic, in its unit: 1 for a best epoch; for an accuracy read
    from one evaluation of N images (one epoch's, the best of the epochs', the training set's after training) one
    image, 100/N points, and for one pooled over E epochs 100/(N·E). 0 where none floors a scatter: a loss, a macro
    precision or recall, and a gap (sums of ratios, whose steps are far finer than any run's scatter), a never-reset
    counter's running mean, and a running training accuracy, whose image count the history does not keep."""
    if kind == "best_epoch":
        return 1.0
    if kind != "accuracy" or split == "train_running" or statistic == "cumulative_mean":
        return 0.0
    if split == "train":
        evaluations = [_train_final(history, statistic)]
    elif statistic == "pooled":
        evaluations = [_evaluation(epoch, split or "") for epoch in history.epochs]
    else:
        evaluations = [_evaluation(_at(history, statistic) if statistic in vocab.ONE_EPOCH else history.epochs[-1],
                                   split or "")]
    images = sum(sum(map(sum, evaluation.confusion)) for evaluation in evaluations)
    return 100.0 / images if images else 0.0


def macro_precision_recall(confusion: Sequence[Sequence[int]]) -> tuple[float, float]:
    """sklearn's macro precision and recall from confusion[true][predicted], over the classes that
    occur as a label or a prediction; a class never predicted has precision 0. Columns past the rows are outputs
    beyond the data's classes (``Evaluation.beyond``): never a label, so precision and recall 0 where predicted."""
    predicted = [sum(column) for column in zip(*confusion)]
    beyond = [0] * (len(predicted) - len(confusion))
    support = [sum(row) for row in confusion] + beyond
    hits = [confusion[c][c] for c in range(len(confusion))] + beyond
    present = [c for c in range(len(predicted)) if support[c] or predicted[c]]
    if not present:
        raise ValueError("empty confusion matrix")
    precision = [hits[c] / predicted[c] if predicted[c] else 0.0 for c in present]
    recall = [hits[c] / support[c] if support[c] else 0.0 for c in present]
    return math.fsum(precision) / len(present), math.fsum(recall) / len(present)


def _at(history: History, statistic: str) -> Epoch:
    """The epoch a ``final``, ``best_epoch`` or ``min_val_loss`` statistic reads."""
    if not history.epochs:
        raise ValueError("the run has no epochs")
    if statistic == "best_epoch" and history.restored_epoch is not None:
        return history.epochs[history.restored_epoch - 1]
    if statistic == "min_val_loss":
        validated = [epoch for epoch in history.epochs if epoch.val is not None]
        if not validated:
            raise ValueError("statistic 'min_val_loss' needs a per-epoch 'val' evaluation")
        return min(validated, key=lambda epoch: epoch.val.loss)  # type: ignore[union-attr]
    if statistic in vocab.ONE_EPOCH:
        return history.epochs[-1]
    raise ValueError(f"statistic {statistic!r} does not pick one epoch")


def _evaluation(epoch: Epoch, split: str) -> Evaluation:
    found = epoch.val if split == "val" else epoch.test if split == "test" else None
    if found is None:
        raise ValueError(f"the run has no per-epoch {split!r} evaluation")
    return found


def _train_final(history: History, statistic: str) -> Evaluation:
    """The clean training-set evaluation, valid only for the weights the run returned."""
    if history.train_final is None:
        raise ValueError("the run did not evaluate the training set after training")
    returned = history.restored_epoch or len(history.epochs)
    if statistic not in vocab.ONE_EPOCH or _at(history, statistic).epoch != returned:
        raise ValueError(f"split 'train' is evaluated once, on the weights of epoch {returned}; "
                         f"statistic {statistic!r} needs other weights")
    return history.train_final


def _scalar(kind: str, split: str, epoch: Epoch) -> float:
    """Accuracy or loss of one epoch on a split logged per epoch."""
    if split == "train_running":
        return epoch.train_running_acc if kind == "accuracy" else epoch.train_loss
    return getattr(_evaluation(epoch, split), kind)


def _confusion(history: History, split: str, statistic: str) -> list[list[int]]:
    if split == "train":
        return _train_final(history, statistic).confusion
    if statistic != "pooled":
        return _evaluation(_at(history, statistic), split).confusion
    return _pooled([_evaluation(epoch, split) for epoch in history.epochs])


def _pooled(evaluations: Sequence[Evaluation]) -> list[list[int]]:
    """The confusion matrices of ``evaluations`` (of one set) summed, a column beyond the classes by the output it
    counts: each evaluation's ``beyond`` names its own, an old square one's (``_beyond``) are its outputs past them."""
    classes = min(len(evaluation.confusion) for evaluation in evaluations)
    read = [_beyond(evaluation, classes) for evaluation in evaluations]
    beyond = sorted({output for _, outputs in read for output in outputs})
    pooled = [[0] * (classes + len(beyond)) for _ in range(classes)]
    for rows, outputs in read:
        columns = [*range(classes), *(classes + beyond.index(output) for output in outputs)]
        for total, row in zip(pooled, rows, strict=True):
            for column, count in zip(columns, row, strict=True):
                total[column] += count
    return pooled


def _beyond(evaluation: Evaluation, classes: int) -> tuple[list[list[int]], list[int]]:
    """The matrix of ``evaluation`` as a row per class and its outputs beyond them: a run stored before ``beyond``
    holds an outputs × outputs matrix, whose rows past the classes are no true label's (a resumed run may mix both)."""
    confusion = evaluation.confusion
    if len(confusion) == classes:
        return confusion, evaluation.beyond
    if evaluation.beyond or any(map(any, confusion[classes:])):
        raise ValueError(f"evaluations of one set have {classes} and {len(confusion)} true labels: the run's "
                         f"confusion matrices cannot be pooled")
    return confusion[:classes], list(range(classes, len(confusion)))


def _cumulative_mean(kind: str, split: str, history: History, batch_size: int | None) -> float:
    """Deeper Networks' figure: correct and total counters set to zero once, before epoch 1, and never reset;
    after each test batch the accuracy so far, 100·correct / total over every epoch's batches up to this one;
    the printed value the mean of those over the last epoch's batches (``batch_size`` images each, in order,
    the last one short). The epochs before the last enter exactly, by their correct counts (the confusion
    matrices' diagonals); within the last epoch a run keeps no per-batch counts, so its correct images are
    taken as spread evenly over its batches. The residual is small because the earlier epochs' counts dominate
    the ratio: with binomial noise between batches of 64 it stayed within 0.02 pt at 10 epochs and 0.01 pt at
    50 (200 simulated runs each), but reaches tenths of a point at 2 epochs and over 1 pt at 1, where the last
    epoch's batch order weighs most. A loss is read the same way, as a sum of per-image losses over a count."""
    if split not in ("val", "test"):
        raise ValueError(f"statistic 'cumulative_mean' needs a per-epoch evaluation (split 'val' or 'test'), "
                         f"got split {split!r}")
    if batch_size is None or batch_size < 1:
        raise ValueError(f"statistic 'cumulative_mean' needs the evaluation batch size, got {batch_size!r}")
    evaluations = [_evaluation(epoch, split) for epoch in history.epochs]
    counts = [sum(map(sum, evaluation.confusion)) for evaluation in evaluations]
    if kind == "accuracy":
        sums = [100.0 * sum(row[c] for c, row in enumerate(e.confusion)) for e in evaluations]
    else:
        sums = [evaluation.loss * count for evaluation, count in zip(evaluations, counts)]
    images = counts[-1]
    if not images:
        raise ValueError("statistic 'cumulative_mean' needs a last epoch that evaluated images")
    before_sum, before_count, last_rate = math.fsum(sums[:-1]), sum(counts[:-1]), sums[-1] / images
    seen = [min(end, images) for end in range(batch_size, images + batch_size, batch_size)]
    return math.fsum((before_sum + last_rate * k) / (before_count + k) for k in seen) / len(seen)


def value(kind: str, split: str | None, statistic: str, history: History, *, batch_size: int | None = None
          ) -> float:
    """The claimed quantity measured on a run.

    ``max`` is the peak over epochs; ``cumulative_mean`` the mean over the last epoch's evaluation batches of
    never-reset counters' running value (see ``_cumulative_mean``; it needs the evaluation ``batch_size``, the
    recipe's); ``pooled`` accuracy and loss the mean over epochs (every pass holds the same images), and
    ``pooled`` precision and recall use the confusion matrices of every epoch summed.
    """
    if kind == "best_epoch":
        return float(_at(history, statistic).epoch)
    if kind == "gap":
        return _train_final(history, statistic).accuracy - _evaluation(_at(history, statistic), "test").accuracy
    if split is None:
        raise ValueError(f"a {kind!r} claim needs a split")
    if kind in ("precision", "recall"):
        precision, recall = macro_precision_recall(_confusion(history, split, statistic))
        return precision if kind == "precision" else recall
    if kind not in ("accuracy", "loss"):
        raise ValueError(f"kind {kind!r} is not a training statistic")
    if split == "train":
        return getattr(_train_final(history, statistic), kind)
    if statistic in vocab.ONE_EPOCH:
        return _scalar(kind, split, _at(history, statistic))
    if statistic == "cumulative_mean":
        return _cumulative_mean(kind, split, history, batch_size)
    series = [_scalar(kind, split, epoch) for epoch in history.epochs]
    if statistic == "max":
        return max(series)
    if statistic == "pooled":
        return math.fsum(series) / len(series)
    raise ValueError(f"unknown statistic {statistic!r}")
