"""The allowed values of a ledger, in one torch-free module that the ledger and the instruments import."""

STRUCTURAL_KINDS = ("params", "macs", "layer", "size")
METRIC_KINDS = ("accuracy", "loss", "precision", "recall")
"""Training kinds measured on one split."""
SUMMARY_KINDS = ("best_epoch", "gap")
"""Training kinds read from the whole history, on no one split."""
TRAINING_KINDS = (*METRIC_KINDS, *SUMMARY_KINDS)
KINDS = (*STRUCTURAL_KINDS, *TRAINING_KINDS, "epoch_time")

PARAM_COUNTS = ("trainable", "constructed", "keras", "tensors", "state_dict")
MAC_COUNTS = ("pure", "torchinfo")
LAYER_QUANTITIES = ("params", "macs", "output_shape")
LAYOUTS = ("channels_first", "channels_last")
SIZES = ("torchinfo_total", "checkpoint_weights", "checkpoint_sgd_momentum")

DATASETS = ("cifar10", "mnist", "fashion_mnist", "private")
SPLITS = ("train", "train_running", "val", "test")
STATISTICS = ("final", "best_epoch", "max", "cumulative_mean", "pooled")
ONE_EPOCH = ("final", "best_epoch")
READINGS = {"train": ONE_EPOCH, "gap": ONE_EPOCH, "best_epoch": ONE_EPOCH, "precision": (*ONE_EPOCH, "pooled"),
            "recall": (*ONE_EPOCH, "pooled")}
"""The statistics split ``train`` (evaluated once, after training) and these kinds can be read with; any other
split or kind takes them all. ``claimbench.metrics`` computes them; the ledger refuses the others at load."""

OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("constant", "plateau")
VALIDATIONS = ("none", "holdout", "test")
BATCH_NORMS = ("batch", "per_image")
NORMALIZATIONS = ("unit", "half", "imagenet", "per_image", "mean_std")
AUGMENTATIONS = ("flip", "crop", "randaugment", "rotate", "color_jitter", "perspective")
AUGMENT_OPTIONS = {"rotate": ("degrees", "fill", "expand"), "perspective": ("p", "distortion"),
                   "color_jitter": ("brightness", "contrast", "saturation"), "randaugment": ("ops", "magnitude")}
"""The options a recipe may set per augmentation (``claimbench.transforms.AUGMENT_OPTIONS`` holds their defaults)."""
MONITORS = ("val_loss", "val_accuracy")

ROUNDING_MODES = ("round", "truncate")
EXPECTS = ("refuted",)
STATUSES = ("unverifiable",)
