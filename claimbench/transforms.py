"""The pure batch functions that training applies on the device: normalisation and augmentation.

Each takes a whole N×C×H×W batch and, where it draws, an explicit ``torch.Generator``, so a run is a
function of its seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
import torch.nn.functional as F

from claimbench import vocab

__all__ = ["AUGMENT_OPTIONS", "GATHERED_AUGMENTATIONS", "POINTWISE_NORMALIZATIONS", "RANDAUGMENT_OPS",
           "augment", "folds_into_gather", "gather_batch", "normalize", "normalize_unit"]

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
PER_IMAGE_EPS = 1e-4

GATHERED_AUGMENTATIONS = ("crop", "flip")
"""Pure data movement, folded by ``gather_batch`` into the gather of a batch (in this order)."""
POINTWISE_NORMALIZATIONS = ("unit", "half", "imagenet", "mean_std")
"""Per-channel affine maps, so a uint8 batch that ``gather_batch`` cropped and flipped may be normalised after it:
torchvision's order, augmentation first (a zero fill is black)."""
AUGMENT_OPTIONS: dict[str, dict[str, float | bool]] = {
    "crop": {"padding": 4, "reflect": False},
    "rotate": {"degrees": 15.0, "fill": 0.0, "expand": False},
    "perspective": {"p": 0.5, "distortion": 0.5},
    "color_jitter": {"brightness": 0.4, "contrast": 0.4, "saturation": 0.4},
    "randaugment": {"ops": 2, "magnitude": 0.2},
}
"""The options each parametrised augmentation takes, with the defaults used where a recipe names none."""
RANDAUGMENT_OPS = ("translate_x", "translate_y", "shear_x", "shear_y", "brightness", "contrast", "color", "solarize",
                   "auto_contrast", "equalize")
"""The ops "randaugment" picks from uniformly, in its order: keras_cv 0.9's RandAugment's ten (its list starts
auto_contrast, equalize, ...; only the set matters); keras_cv has no flip."""
RANDAUGMENT_MAGNITUDE_STDDEV = 0.15
"""keras_cv's RandAugment's default ``magnitude_stddev``: the spread of the ops it draws a magnitude for."""
RANDAUGMENT_RATE = 10 / 11
"""keras_cv's RandAugment's default ``rate`` (its signature's, where its docstring says 1.0): the chance that a round
applies an op to an image at all, standing in for the paper's identity op."""
SOLARIZE_MOST_ADDED = 110 / 255
"""The most keras_cv's RandAugment solarize adds before it inverts (110 of 255)."""
EQUALIZE_SLACK = 1e-3
"""How far below a whole level of 255 (in levels) equalize still counts a value as that level: keras_cv's whole levels
are exact on [0, 255], where on [0, 1] one can land an ulp below (about 2e-5 levels; solarize's 1 - v does for 159
of the 256 levels), and truncation would then drop it a level."""



def normalize(batch: torch.Tensor, how: str, *, mean: Sequence[float] = (), std: Sequence[float] = ()
              ) -> torch.Tensor:
    """A uint8 N×C×H×W batch as float32: "unit" /255, "half" to [-1, 1], "imagenet", "per_image" or
    "mean_std" (see ``normalize_unit``)."""
    if batch.dtype != torch.uint8 or batch.dim() != 4:
        raise ValueError(f"normalize takes a uint8 N×C×H×W batch, got {batch.dtype} {tuple(batch.shape)}")
    return normalize_unit(batch.to(torch.float32) / 255, how, mean=mean, std=std)


def normalize_unit(unit: torch.Tensor, how: str, *, mean: Sequence[float] = (), std: Sequence[float] = ()
                   ) -> torch.Tensor:
    """A [0, 1]-scaled float N×C×H×W batch normalised as ``how`` names: "unit" as it is, "half" to
    [-1, 1], "imagenet" by ImageNet's channel means and deviations, "mean_std" by the given ones (one
    per channel or one for all, torchvision's ``Normalize(mean, std)``), "per_image" by each image's own:
    (x - mean) / (std + 1e-4) per channel over H×W, with the population standard deviation.
    Augmentation comes before it, as torchvision's ``Normalize`` comes last in a transform."""
    if how == "unit":
        return unit
    if how == "half":
        return (unit - 0.5) / 0.5
    if how == "imagenet":
        return _by_channel(unit, IMAGENET_MEAN, IMAGENET_STD, how)
    if how == "mean_std":
        return _by_channel(unit, mean, std, how)
    if how == "per_image":
        std, mean = torch.std_mean(unit, dim=(2, 3), keepdim=True, correction=0)
        return (unit - mean) / (std + PER_IMAGE_EPS)
    raise ValueError(f"unknown normalisation {how!r}; known: {', '.join(vocab.NORMALIZATIONS)}")


def _by_channel(unit: torch.Tensor, mean: Sequence[float], std: Sequence[float], how: str) -> torch.Tensor:
    """(x - mean[c]) / std[c] for each channel c; one mean or std serves every channel, as in torchvision's
    ``Normalize``."""
    channels = unit.shape[1]
    if len(mean) not in (1, channels) or len(std) not in (1, channels):
        raise ValueError(f"{how!r} normalisation has {len(mean)} mean(s) and {len(std)} std(s); "
                         f"the images have {channels} channel(s)")
    mean_, std_ = (torch.tensor(values, device=unit.device).view(1, -1, 1, 1) for values in (mean, std))
    return (unit - mean_) / std_


def augment(
    batch: torch.Tensor, names: Sequence[str], generator: torch.Generator,
    options: Mapping[str, Mapping[str, float | bool]] | None = None,
) -> torch.Tensor:
    """Apply the named augmentations, in the given order, to a float N×C×H×W batch.

    ``options[name]`` overrides ``AUGMENT_OPTIONS[name]``.
    Exact (airbench style, whole batch at once): "flip" mirrors each image with probability 1/2;
    "crop" pads by ``padding`` pixels a side and takes an H×W window per image at an offset drawn uniformly on
    each axis (one gather), as torchvision's ``RandomCrop(size, padding)``: zeros outside the image (its default
    ``padding_mode="constant"``, fill 0), or, with ``reflect``, the image mirrored about its edge pixels
    (``padding_mode="reflect"``, airbench's crop; ``padding`` below the image's sides).
    Batched counterparts of torchvision's per-image transforms: "rotate" turns each image by U(-degrees, degrees)
    about its centre in pixels, as torchvision's rotate (bilinear; ``fill`` outside; ``expand`` shrinks each axis
    so the turned image fits, as torchvision's expand=True followed by a resize back to H×W, whose canvas is
    rounded out to whole pixels where this one is exact); "perspective" warps with probability ``p`` by
    the homography moving torchvision's corner points (0 and size - 1 on each axis) inward by
    U{0..⌊distortion·half-size⌋} pixels per axis, as torchvision's RandomPerspective (bilinear, zero fill; both
    warps blend their fill in at the border as torchvision does); "color_jitter" scales brightness, contrast and
    saturation by U(1 - x, 1 + x) each, in that fixed order, without hue and without clamping; "randaugment"
    applies ``ops`` rounds that each give an image, with probability 10/11 (keras_cv's rate), one op picked
    uniformly from keras_cv 0.9's ten (no flip, which keras_cv has not): translate_x / translate_y (by
    U(-magnitude, magnitude) of the size, to a fraction of a pixel), shear_x / shear_y (factor N(magnitude, 0.15²)
    clipped to [0, 1], of random sign, about the top-left pixel),
    both bilinear with the image mirrored about its edges beyond them (keras_cv's fill_mode "reflect"),
    brightness (adds U(-magnitude, magnitude), a fraction of the value range, as keras_cv's RandomBrightness),
    contrast (each channel about its own mean by U(1 - magnitude, 1 + magnitude)), color (a blend towards gray
    by N(magnitude, 0.15²) clipped to [0, 1]), solarize (adds N(magnitude, 0.15²)·110/255 clipped to
    [0, 110/255], then inverts values at or above N(1 - magnitude, 0.15²) clipped to [0, 1]), auto_contrast
    (each channel stretched to [0, 1]) and equalize (each channel's 256-level histogram equalised, as keras_cv's
    Equalization), clipping to [0, 1] after each round as keras_cv clips to its range.
    Photometric ops act on the values as given; pass [0, 1]-scaled images to match torchvision.
    All randomness comes from ``generator``, which may live on another device than ``batch``.
    """
    unknown = [name for name in names if name not in vocab.AUGMENTATIONS]
    if unknown:
        raise ValueError(f"unknown augmentation(s) {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(vocab.AUGMENTATIONS)}")
    if not batch.is_floating_point() or batch.dim() != 4:
        raise ValueError(f"augment takes a float N×C×H×W batch, got {batch.dtype} {tuple(batch.shape)}")
    ops = {"flip": _flip, "crop": _crop, "rotate": _rotate, "color_jitter": _color_jitter,
           "perspective": _perspective, "randaugment": _randaugment}
    for name in names:
        batch = ops[name](batch, generator, **_settings(name, options))
    return batch


def _settings(name: str, options: Mapping[str, Mapping[str, float | bool]] | None) -> dict[str, float | bool]:
    """``AUGMENT_OPTIONS[name]`` with ``options[name]`` over it; an option no augmentation of ``options`` takes is an
    error."""
    options = options or {}
    for augmentation, given in options.items():
        unknown_options = set(given) - set(AUGMENT_OPTIONS.get(augmentation, {}))
        if unknown_options:
            raise ValueError(f"{augmentation} takes no option {', '.join(sorted(unknown_options))}; "
                             f"it takes {', '.join(AUGMENT_OPTIONS.get(augmentation, {})) or 'none'}")
    return {**AUGMENT_OPTIONS.get(name, {}), **options.get(name, {})}


def _rand(n: int, generator: torch.Generator, like: torch.Tensor, low: float = 0.0, high: float = 1.0) -> torch.Tensor:
    """n draws of U(low, high) from ``generator``, on ``like``'s device and dtype."""
    draws = torch.rand(n, generator=generator, device=generator.device)
    return (draws * (high - low) + low).to(device=like.device, dtype=like.dtype)


def _randint(high: int, n: int, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    return torch.randint(high, (n,), generator=generator, device=generator.device).to(device)


def _per_image(values: torch.Tensor) -> torch.Tensor:
    return values.view(-1, 1, 1, 1)


def _flip(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    mask = _rand(len(batch), generator, batch) < 0.5
    return torch.where(_per_image(mask), batch.flip(-1), batch)


def _reflect(position: torch.Tensor, size: int) -> torch.Tensor:
    """Positions up to ``size - 1`` outside ``[0, size)`` mirrored back in, as reflect padding reads them."""
    return (size - 1) - ((size - 1) - position.abs()).abs()


def folds_into_gather(names: Sequence[str]) -> bool:
    """Whether ``gather_batch`` can apply these augmentations: "crop", "flip", or both in that order."""
    return list(names) == [name for name in GATHERED_AUGMENTATIONS if name in names]


def gather_batch(
    images: torch.Tensor, indices: torch.Tensor, names: Sequence[str], generator: torch.Generator,
    options: Mapping[str, Mapping[str, float | bool]] | None = None,
) -> torch.Tensor:
    """``images[indices]`` with "crop" and "flip" folded into one gather, in channels_last memory (any dtype:
    the engine gathers its uint8 images, ``augment`` crops float batches with it).

    Each output pixel is read straight from the stored image at its shifted and mirrored position (reflected
    back in with the crop's ``reflect``, else read as 0 off the image), so the batch is never padded, cropped or
    flipped as separate copies. Equal to ``augment(images[indices], names, generator, options)`` for the same
    generator state; a pointwise normalisation (``POINTWISE_NORMALIZATIONS``) may follow, and then normalises the
    fill too, as torchvision pads before it normalises.
    """
    if not folds_into_gather(names):
        raise ValueError(f"gather_batch folds in {' then '.join(GATHERED_AUGMENTATIONS)}, got {list(names)}")
    if not names:
        return images[indices].contiguous(memory_format=torch.channels_last)
    n, (c, h, w), device = len(indices), images.shape[1:], images.device
    rows = torch.arange(h, device=device).expand(n, h)
    cols = torch.arange(w, device=device).expand(n, w)
    zero_fill = False  # without a crop every position is on the image
    if "crop" in names:  # the draws of _crop, then of _flip: equal results for equal generator states
        padding, reflect = _crop_padding(_settings("crop", options), h, w)
        zero_fill = not reflect
        rows = rows + _randint(2 * padding + 1, n, generator, device)[:, None] - padding
        cols = cols + _randint(2 * padding + 1, n, generator, device)[:, None] - padding
    if "flip" in names:
        mirrored = torch.rand(n, generator=generator, device=generator.device).to(device) < 0.5
        cols = torch.where(mirrored[:, None], cols.flip(1), cols)
    within = _clamp if zero_fill else _reflect
    pixels = within(rows, h)[:, :, None] * w + within(cols, w)[:, None, :]
    flat = images.flatten(2)[indices]  # N×C×(H·W): whole images, one contiguous copy each
    picked = flat.gather(2, pixels.view(n, 1, h * w).expand(n, c, h * w))
    if zero_fill:  # torchvision's constant padding: a position off the image reads 0
        off = _off(rows, h)[:, :, None] | _off(cols, w)[:, None, :]
        picked.masked_fill_(off.view(n, 1, h * w), 0)
    return picked.view(n, c, h, w).contiguous(memory_format=torch.channels_last)


def _crop_padding(settings: Mapping[str, float | bool], h: int, w: int) -> tuple[int, bool]:
    """The crop's padding in pixels and whether it reflects, checked against H×W images."""
    padding, reflect = settings["padding"], bool(settings["reflect"])
    if padding != int(padding) or padding < 0:
        raise ValueError(f"crop: padding is a whole number of pixels, at least 0, got {padding!r}")
    if reflect and padding >= min(h, w):
        raise ValueError(f"crop: reflect padding {padding} needs images over {padding} pixels a side, got {h}×{w}")
    return int(padding), reflect


def _clamp(position: torch.Tensor, size: int) -> torch.Tensor:
    """Positions outside ``[0, size)`` moved to the nearest edge: any readable pixel, for a read ``_off`` masks."""
    return position.clamp(0, size - 1)


def _off(position: torch.Tensor, size: int) -> torch.Tensor:
    """Whether each position lies outside ``[0, size)``."""
    return (position < 0) | (position >= size)


def _crop(batch: torch.Tensor, generator: torch.Generator, *, padding: int, reflect: bool) -> torch.Tensor:
    return gather_batch(batch, torch.arange(len(batch), device=batch.device), ["crop"], generator,
                        {"crop": {"padding": padding, "reflect": reflect}})


def _warp(batch: torch.Tensor, homographies: torch.Tensor, fill: float = 0.0) -> torch.Tensor:
    """Sample each image at H·(x, y, 1) of every output pixel's normalised coordinates (bilinear); ``fill``
    outside, blended in by the covered fraction as torchvision's bilinear fill does."""
    n, _, h, w = batch.shape
    identity = torch.eye(2, 3, device=batch.device, dtype=batch.dtype).expand(n, 2, 3)
    grid = F.affine_grid(identity, [n, 1, h, w], align_corners=False)
    points = torch.cat([grid, torch.ones_like(grid[..., :1])], dim=-1) @ homographies.transpose(1, 2).unsqueeze(1)
    with_coverage = torch.cat([batch, torch.ones_like(batch[:, :1])], dim=1)
    # a degenerate homography (a perspective's end points in a line) divides by zero: that pixel is filled, where
    # torchvision's would be NaN and poison the batch's loss
    source = torch.nan_to_num(points[..., :2] / points[..., 2:], nan=2.0, posinf=2.0, neginf=-2.0)
    sampled = F.grid_sample(with_coverage, source, mode="bilinear", padding_mode="zeros", align_corners=False)
    image, covered = sampled[:, :-1], sampled[:, -1:]
    return image * covered + (1 - covered) * fill


def _rotate(batch: torch.Tensor, generator: torch.Generator, *, degrees: float, fill: float, expand: bool,
            ) -> torch.Tensor:
    return _rotate_by(batch, _rand(len(batch), generator, batch, -degrees, degrees), fill=fill, expand=expand)


def _rotate_by(batch: torch.Tensor, angles: torch.Tensor, *, fill: float, expand: bool) -> torch.Tensor:
    """Each image turned counter-clockwise by its angle (degrees) about its centre, in pixels as torchvision's
    ``rotate``; ``expand`` scales each axis by the turned image's bounding box over the image, to fit it."""
    _, _, h, w = batch.shape
    angle = torch.deg2rad(angles.to(batch.dtype))
    cos, sin, zero, one = angle.cos(), angle.sin(), torch.zeros_like(angle), torch.ones_like(angle)
    zoom_x = (cos.abs() * w + sin.abs() * h) / w if expand else one
    zoom_y = (sin.abs() * w + cos.abs() * h) / h if expand else one
    # a pixel-space rotation in the grid's normalised coordinates: the aspect ratio enters off the diagonal
    rows = [torch.stack(r, dim=-1) for r in ((cos * zoom_x, -sin * zoom_y * h / w, zero),
                                             (sin * zoom_x * w / h, cos * zoom_y, zero), (zero, zero, one))]
    return _warp(batch, torch.stack(rows, dim=1), fill)


def _perspective(batch: torch.Tensor, generator: torch.Generator, *, p: float, distortion: float) -> torch.Tensor:
    n, _, h, w = batch.shape
    corners = torch.tensor([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], device=batch.device, dtype=batch.dtype)
    inward = torch.tensor([[1, 1], [-1, 1], [-1, -1], [1, -1]], device=batch.device, dtype=batch.dtype)
    apply = (_rand(n, generator, batch) < p).to(batch.dtype).view(n, 1, 1)
    most = torch.tensor([int(distortion * (w // 2)), int(distortion * (h // 2))], device=batch.device,
                        dtype=batch.dtype)  # torchvision: randint(0, int(distortion * half) + 1) pixels
    pixels = (_rand(8 * n, generator, batch).view(n, 4, 2) * (most + 1)).floor().minimum(most) * apply
    return _perspective_between(batch, corners.expand(n, 4, 2), corners + inward * pixels)


def _perspective_between(batch: torch.Tensor, startpoints: torch.Tensor, endpoints: torch.Tensor) -> torch.Tensor:
    """Each image warped so its ``startpoints`` land on its ``endpoints`` (N×4×2 pixels, x then y), as torchvision's
    ``perspective``, which puts point p at 2p / size - 1 of the sampling grid (zero fill)."""
    n, _, h, w = batch.shape
    solve_dtype = torch.promote_types(batch.dtype, torch.float32)
    size = torch.tensor([w, h], device=batch.device, dtype=solve_dtype)
    (u, v), (x, y) = ((points.to(solve_dtype) * 2 / size - 1).unbind(-1) for points in (startpoints, endpoints))
    zeros, ones = torch.zeros_like(u), torch.ones_like(u)
    a = torch.cat([torch.stack([x, y, ones, zeros, zeros, zeros, -u * x, -u * y], dim=-1),
                   torch.stack([zeros, zeros, zeros, x, y, ones, -v * x, -v * y], dim=-1)], dim=1)
    # maps each end point to its start point: least squares in float64 as torchvision solves it, by SVD (gelsd, a
    # CPU driver: 8×8 systems) so that two end points on one pixel (distortion 1) give a warp, not an error
    targets = torch.cat([u, v], dim=1).unsqueeze(-1)
    solved = torch.linalg.lstsq(a.cpu().double(), targets.cpu().double(), driver="gelsd").solution
    coefficients = solved.squeeze(-1).to(device=batch.device, dtype=solve_dtype)
    homographies = torch.cat([coefficients, torch.ones_like(coefficients[:, :1])], dim=1).view(n, 3, 3)
    return _warp(batch, homographies.to(batch.dtype))


def _gray(batch: torch.Tensor) -> torch.Tensor:
    if batch.shape[1] != 3:
        return batch.mean(dim=1, keepdim=True)
    weights = torch.tensor((0.299, 0.587, 0.114), device=batch.device, dtype=batch.dtype).view(1, 3, 1, 1)
    return (batch * weights).sum(dim=1, keepdim=True)


def _brightness(batch: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    return batch * _per_image(factor)


def _contrast(batch: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    mean = _gray(batch).mean(dim=(1, 2, 3), keepdim=True)
    return mean + (batch - mean) * _per_image(factor)


def _color_jitter(batch: torch.Tensor, generator: torch.Generator, *, brightness: float, contrast: float,
                  saturation: float) -> torch.Tensor:
    n = len(batch)
    batch = _brightness(batch, _rand(n, generator, batch, 1 - brightness, 1 + brightness))
    batch = _contrast(batch, _rand(n, generator, batch, 1 - contrast, 1 + contrast))
    return _saturation(batch, _rand(n, generator, batch, 1 - saturation, 1 + saturation))


def _saturation(batch: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    """Each image blended with its grayscale: factor 0 is gray, 1 the image as it is."""
    gray = _gray(batch)
    return gray + (batch - gray) * _per_image(factor)


def _solarize(batch: torch.Tensor, threshold: torch.Tensor, addition: torch.Tensor) -> torch.Tensor:
    """Each image with its addition added (clipped to [0, 1]), then the values at or above its threshold inverted
    (v to 1 - v), as keras_cv's Solarization on [0, 1]."""
    added = (batch + _per_image(addition)).clamp(0, 1)
    return torch.where(added >= _per_image(threshold), 1 - added, added)


def _auto_contrast(batch: torch.Tensor) -> torch.Tensor:
    """Each channel of each image stretched so that its darkest value is 0 and its brightest 1; a flat channel
    is left as it is (keras_cv's AutoContrast)."""
    low, high = batch.amin(dim=(2, 3), keepdim=True), batch.amax(dim=(2, 3), keepdim=True)
    spread = high - low
    return torch.where(spread > 0, (batch - low) / spread.where(spread > 0, torch.ones_like(spread)), batch)


def _equalize(batch: torch.Tensor) -> torch.Tensor:
    """Each channel of each image histogram-equalised as keras_cv 0.9's Equalization (bins=256) on [0, 255].

    Values are truncated to whole levels 0..255, as keras_cv casts to int32 (within ``EQUALIZE_SLACK`` below a level
    counts as that level; values outside are clamped in, as its histogram bins them). Level v then maps to
    (pixels below v + step // 2) // step, at most 255, where step = (pixels - the smallest non-zero level count)
    // 255; a channel whose step is 0 keeps its truncated levels. PIL and torchvision subtract the count of the
    highest level present where keras_cv 0.9 subtracts the smallest count."""
    n, c, h, w = batch.shape
    levels = (batch * 255 + EQUALIZE_SLACK).clamp(0, 255).floor().to(torch.int64).reshape(n, c, h * w)
    counts = torch.zeros(n, c, 256, dtype=torch.int32, device=batch.device)
    counts.scatter_add_(2, levels, torch.ones_like(levels, dtype=torch.int32))
    step = (h * w - counts.masked_fill(counts == 0, h * w).amin(dim=2, keepdim=True)) // 255
    lut = counts.cumsum(2, dtype=torch.int32).sub_(counts).add_(step // 2)
    lut = lut.div_(step.clamp(min=1), rounding_mode="floor").clamp_(max=255)
    equalised = torch.where(step > 0, lut.gather(2, levels), levels)
    return (equalised.to(batch.dtype) / 255).view(n, c, h, w)


def _mirror(index: torch.Tensor, size: int) -> torch.Tensor:
    """Whole-pixel positions on the image extended by mirroring about its outer edges (d c b a | a b c d | d c b a,
    each edge pixel repeated), mapped back into [0, size)."""
    folded = index % (2 * size)
    return torch.where(folded >= size, 2 * size - 1 - folded, folded)


def _sample_mirrored(batch: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
    """Each output pixel read at its source point (``xs``, ``ys``: N×H×W, in pixels, 0 the first pixel), bilinear,
    from the image extended by ``_mirror``: TF's ImageProjectiveTransformV3 with fill_mode "reflect", which keras_cv's
    RandomTranslation and RandomShear use by default."""
    n, c, h, w = batch.shape
    x0, y0 = xs.floor(), ys.floor()
    fx, fy = (xs - x0).unsqueeze(1), (ys - y0).unsqueeze(1)
    x0, y0 = x0.long(), y0.long()
    flat = batch.flatten(2)

    def read(rows: torch.Tensor, cols: torch.Tensor) -> torch.Tensor:
        pixels = (_mirror(rows, h) * w + _mirror(cols, w)).view(n, 1, h * w).expand(n, c, h * w)
        return flat.gather(2, pixels).view(n, c, h, w)

    # lerp is exact between equal values, where a·(1 - f) + a·f can come out an ulp off a flat region's value
    top = torch.lerp(read(y0, x0), read(y0, x0 + 1), fx)
    bottom = torch.lerp(read(y0 + 1, x0), read(y0 + 1, x0 + 1), fx)
    return torch.lerp(top, bottom, fy)


def _pixel_grid(batch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each output pixel's x and y (N×H×W, in pixels from the top-left pixel), in ``batch``'s dtype."""
    n, _, h, w = batch.shape
    ys = torch.arange(h, device=batch.device, dtype=batch.dtype).view(1, h, 1).expand(n, h, w)
    xs = torch.arange(w, device=batch.device, dtype=batch.dtype).view(1, 1, w).expand(n, h, w)
    return xs, ys


def _translate(batch: torch.Tensor, shifts: torch.Tensor, axis: int) -> torch.Tensor:
    """Each image moved by its shift in pixels (any fraction) along x (``axis`` 1) or y (``axis`` 0): each output
    pixel reads the input at its own position less the shift, as keras_cv's RandomTranslation (bilinear, reflect
    fill)."""
    xs, ys = _pixel_grid(batch)
    shift = shifts.to(batch.dtype).view(-1, 1, 1)
    return _sample_mirrored(batch, xs - shift, ys) if axis == 1 else _sample_mirrored(batch, xs, ys - shift)


def _shear(batch: torch.Tensor, shears: torch.Tensor, axis: int) -> torch.Tensor:
    """Each image sheared by its factor s along x (``axis`` 1: each output pixel (x, y) reads the input at
    (x + s·y, y)) or y (``axis`` 0: at (x, y + s·x)), in pixels from the top-left pixel, which stays put: keras_cv's
    RandomShear's matrix (bilinear, reflect fill)."""
    xs, ys = _pixel_grid(batch)
    s = shears.to(batch.dtype).view(-1, 1, 1)
    return _sample_mirrored(batch, xs + s * ys, ys) if axis == 1 else _sample_mirrored(batch, xs, ys + s * xs)


def _normal(n: int, generator: torch.Generator, like: torch.Tensor, mean: float, std: float) -> torch.Tensor:
    """n draws of N(mean, std²) from ``generator``, on ``like``'s device and dtype."""
    draws = torch.randn(n, generator=generator, device=generator.device)
    return (draws * std + mean).to(device=like.device, dtype=like.dtype)


def _shear_factors(n: int, generator: torch.Generator, like: torch.Tensor, magnitude: float) -> torch.Tensor:
    """keras_cv's RandAugment shear: N(magnitude, 0.15²) clipped to [0, 1], its sign then flipped with
    probability 1/2."""
    factors = _normal(n, generator, like, magnitude, RANDAUGMENT_MAGNITUDE_STDDEV).clamp(0, 1)
    return torch.where(_rand(n, generator, like) > 0.5, -factors, factors)


def _channel_contrast(batch: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    """Each channel of each image spread about its own mean by the image's factor (keras_cv's RandomContrast)."""
    mean = batch.mean(dim=(2, 3), keepdim=True)
    return mean + (batch - mean) * _per_image(factor)


def _brighten(batch: torch.Tensor, delta: torch.Tensor) -> torch.Tensor:
    """Each image with its delta added to every value (keras_cv's RandomBrightness)."""
    return batch + _per_image(delta)


def _randaugment_candidates(batch: torch.Tensor, generator: torch.Generator, magnitude: float
                            ) -> tuple[torch.Tensor, ...]:
    """Every op of ``RANDAUGMENT_OPS`` applied to the whole batch, in that order, each with its own draws."""
    n, _, h, w = batch.shape
    spread, most = RANDAUGMENT_MAGNITUDE_STDDEV, SOLARIZE_MOST_ADDED
    return (
        _translate(batch, _rand(n, generator, batch, -magnitude, magnitude) * w, axis=1),
        _translate(batch, _rand(n, generator, batch, -magnitude, magnitude) * h, axis=0),
        _shear(batch, _shear_factors(n, generator, batch, magnitude), axis=1),
        _shear(batch, _shear_factors(n, generator, batch, magnitude), axis=0),
        _brighten(batch, _rand(n, generator, batch, -magnitude, magnitude)),
        _channel_contrast(batch, _rand(n, generator, batch, 1 - magnitude, 1 + magnitude)),
        _saturation(batch, 1 - _normal(n, generator, batch, magnitude, spread).clamp(0, 1)),
        _solarize(batch, _normal(n, generator, batch, 1 - magnitude, spread).clamp(0, 1),
                  _normal(n, generator, batch, magnitude * most, spread * most).clamp(0, most)),
        _auto_contrast(batch),
        _equalize(batch),
    )


def _randaugment(batch: torch.Tensor, generator: torch.Generator, *, ops: int, magnitude: float) -> torch.Tensor:
    """``ops`` rounds, each applying to every image, with probability ``RANDAUGMENT_RATE``, one op of
    ``RANDAUGMENT_OPS`` picked for it, the result clipped to [0, 1] as keras_cv clips to its value range. Every
    candidate is computed for the whole batch and the picked one kept, so the generator draws the same numbers
    whatever is picked."""
    for _ in range(ops):
        applies = _per_image(_rand(len(batch), generator, batch) <= RANDAUGMENT_RATE)
        choice = _per_image(_randint(len(RANDAUGMENT_OPS), len(batch), generator, batch.device))
        candidates = _randaugment_candidates(batch, generator, magnitude)
        picked = sum(torch.where(choice == k, c, 0) for k, c in enumerate(candidates)).clamp(0, 1)
        batch = torch.where(applies, picked, batch)
    return batch
