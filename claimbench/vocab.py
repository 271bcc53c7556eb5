"""The allowed values of a ledger, in one torch-free module that the ledger and the instruments import."""

STRUCTURAL_KINDS = ("params", "macs", "layer", "size")
METRIC_KINDS = ("accuracy", "loss", "precision", "recall")
"""Training kinds measured on one split."""
SUMMARY_KINDS = ("best_epoch", "gap")
"""Training kinds read from the whole history, on no one split."""
TRAINING_KINDS = (*METRIC_KINDS, *SUMMARY_KINDS)
KINDS = (*STRUCTURAL_KINDS, *TRAINING_KINDS, "epoch_time")

PARAM_COUNTS = ("trainable", "all", "constructed", "keras", "state_dict_elements", "tensors", "state_dict")
ENTRY_COUNTS = ("tensors", "state_dict")
"""The parameter counts that count tensors, not their elements: a refuted one says so."""
PARAM_PARTS = ("without_batchnorm", "without_classifier", "without_aux_classifiers", "without_biases")
"""The parts of a model a refuted parameter count is measured without, under its own count: its BatchNorm layers,
its classifier (the final Linear layer, as a feature extractor's count leaves it out), its auxiliary classifiers
(its modules named aux*, as a model's published weights may drop them), its biases (a hand count's usual slip)."""
MAC_COUNTS = ("pure", "torchinfo", "flops")
LAYER_QUANTITIES = ("params", "macs", "output_shape")
LAYOUTS = ("channels_first", "channels_last")
SIZES = ("torchinfo_total", "checkpoint_weights", "checkpoint_sgd_momentum", "state_dict_file", "parameter_bytes",
         "torchinfo_params", "keras_weights")
TORCHINFO_SIZES = ("torchinfo_total", "torchinfo_params")
"""The sizes torchinfo prints after a forward: they need the model's input, the others are counted without one."""
CONVENTION_WORDS = {
    "constructed": "counted right after construction: a layer built lazily in the first forward is left out",
    "all": "counts every parameter, frozen (requires_grad False) ones too",
    "keras": "counted as Keras does: a BatchNorm's moving mean and variance count as parameters",
    "state_dict_elements": ("counts every element of the state_dict, sum(v.numel() for v in "
                            "model.state_dict().values()): the parameters and every buffer, a BatchNorm's moving mean "
                            "and variance and its num_batches_tracked among them"),
    "tensors": "counts parameter tensors, len(list(model.parameters())): tensors, not their elements",
    "state_dict": "counts state_dict entries, len(model.state_dict()): tensors, not their elements",
    "torchinfo": ("counted as torchinfo's Mult-Adds: a bias adds one per output element, and another layer with "
                  "parameters (BatchNorm) adds its parameter count"),
    "flops": "counted in FLOPs: two per multiply-accumulate (a multiply and an add)",
    "torchinfo_total": ("torchinfo's Estimated Total Size: the input, twice the outputs of the layers with "
                        "parameters, and the parameters"),
    "checkpoint_weights": ("the bytes of a torch.save training checkpoint saved to a stream (its zip's folder "
                           "'archive', not a file's name): the weights, and an SGD state without momentum buffers"),
    "checkpoint_sgd_momentum": ("the bytes of a torch.save checkpoint of the weights and SGD momentum buffers, saved "
                                "to a stream (its zip's folder 'archive', not a file's name)"),
    "state_dict_file": ("the bytes of torch.save(model.state_dict()) saved to a stream (its zip's folder 'archive', "
                        "not a file's name): the weights and buffers alone, as torchvision's weight files hold them"),
    "parameter_bytes": "the bytes of all the parameters' values: no buffers, no file overhead",
    "torchinfo_params": ("torchinfo 1.8.0's Params size: the bytes of the parameters of the layers without "
                         "submodules that ran; no buffers"),
    "keras_weights": ("the bytes of every weight Keras counts, each at its own element size: the parameters' values "
                      "and a BatchNorm's moving mean and variance (no num_batches_tracked), as Keras 3's "
                      "model.summary() sizes its Total params"),
    "channels_last": "the shape in Keras's channels-last order (H, W, C)",
}
"""How a number was counted, in words, for each count, size and layout that is not the plain one (``trainable``
parameters, ``pure`` MACs, ``channels_first`` shapes): the report says it beside every number so counted."""
PLAIN_WORDS = {
    "trainable": "counts the parameters with requires_grad",
    "pure": ("counts one per multiply-accumulate of a conv, linear or matmul (FlopCounterMode's FLOPs / 2, as "
             "torchvision's GFLOPS and most model tables count); biases, BatchNorm, activations and pooling count 0"),
    "channels_first": "the shape in PyTorch's channels-first order (C, H, W)",
}
"""What the plain count, MAC count and layout mean, which the report does not say beside a number: with
``CONVENTION_WORDS``, every value of ``PARAM_COUNTS``, ``MAC_COUNTS``, ``SIZES`` and ``LAYOUTS`` in words, as the
ledger's JSON Schema describes them."""

DATASETS = ("cifar10", "mnist", "fashion_mnist", "private")
CHANNELS = {"cifar10": 3, "mnist": 1, "fashion_mnist": 1}
"""The channels of each dataset claimbench loads (``claimbench.data.IMAGE_SHAPES`` gives each image's whole shape):
a recipe's ``mean`` and ``std`` give one value for each, or one for all."""
SPLITS = ("train", "train_running", "val", "test")
STATISTICS = ("final", "best_epoch", "min_val_loss", "max", "cumulative_mean", "pooled")
RETURNED = ("final", "best_epoch")
"""The statistics that read the epoch whose weights the run returned."""
ONE_EPOCH = (*RETURNED, "min_val_loss")
"""The statistics that read one epoch."""
READINGS = {"train": RETURNED, "gap": RETURNED, "best_epoch": ONE_EPOCH, "precision": (*ONE_EPOCH, "pooled"),
            "recall": (*ONE_EPOCH, "pooled")}
"""The statistics split ``train`` (evaluated once, after training) and these kinds can be read with; any other
split or kind takes them all. ``claimbench.metrics`` computes them; the ledger refuses the others at load."""

OPTIMIZERS = ("adam", "adamw", "sgd")
EPS_OPTIMIZERS = ("adam", "adamw")
"""The optimizers that take an epsilon (``eps``)."""
MOMENTUM_OPTIMIZER = "sgd"
"""The one optimizer that takes a momentum (``momentum``, ``nesterov``)."""
SCHEDULES = ("constant", "plateau", "cosine", "step")
VALIDATIONS = ("none", "holdout", "test")
BATCH_NORMS = ("batch", "per_image")
NORMALIZATIONS = ("unit", "half", "imagenet", "per_image", "mean_std")
AUGMENTATIONS = ("flip", "crop", "randaugment", "rotate", "color_jitter", "perspective")
AUGMENT_OPTIONS = {"crop": ("padding", "reflect"), "rotate": ("degrees", "fill", "expand"),
                   "perspective": ("p", "distortion"), "color_jitter": ("brightness", "contrast", "saturation"),
                   "randaugment": ("ops", "magnitude")}
"""The options a recipe may set per augmentation (``claimbench.transforms.AUGMENT_OPTIONS`` holds their defaults)."""
MONITORS = ("val_loss", "val_accuracy")

ROUNDING_MODES = ("round", "truncate")
EXPECTS = ("refuted",)
STATUSES = ("unverifiable",)
