"""Tests of claimbench.transforms: normalisation and augmentation of whole batches, seeded."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from claimbench import transforms, vocab

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
"""torchvision's ImageNet channel statistics (``ImageClassification``'s defaults)."""


# --------------------------------------------------------------------------------- normalize


def uint8_batch(seed: int, shape: tuple[int, ...] = (4, 3, 8, 8)) -> torch.Tensor:
    return torch.randint(0, 256, shape, generator=torch.Generator().manual_seed(seed), dtype=torch.uint8)


def test_normalize_unit_and_half_endpoints() -> None:
    batch = torch.tensor([0, 255], dtype=torch.uint8).view(2, 1, 1, 1)
    assert transforms.normalize(batch, "unit").flatten().tolist() == [0.0, 1.0]
    assert transforms.normalize(batch, "half").flatten().tolist() == [-1.0, 1.0]


def test_normalize_imagenet_per_channel() -> None:
    batch = uint8_batch(0)
    out = transforms.normalize(batch, "imagenet")
    for c, (mean, std) in enumerate(zip(IMAGENET_MEAN, IMAGENET_STD, strict=True)):
        torch.testing.assert_close(out[:, c], (batch[:, c].float() / 255 - mean) / std)
    with pytest.raises(ValueError, match=r"has 3 mean\(s\) and 3 std\(s\); the images have 1 channel"):
        transforms.normalize(uint8_batch(0, (2, 1, 4, 4)), "imagenet")


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), channels=st.sampled_from([1, 3]))
def test_normalize_per_image_standardises_each_channel(seed: int, channels: int) -> None:
    out = transforms.normalize(uint8_batch(seed, (3, channels, 6, 6)), "per_image")
    std, mean = torch.std_mean(out, dim=(2, 3), correction=0)
    torch.testing.assert_close(mean, torch.zeros_like(mean), atol=1e-5, rtol=0)
    torch.testing.assert_close(std, torch.ones_like(std), atol=1e-2, rtol=0)


def test_normalize_per_image_constant_image_is_zero() -> None:
    out = transforms.normalize(torch.full((1, 1, 4, 4), 7, dtype=torch.uint8), "per_image")
    assert torch.equal(out, torch.zeros_like(out))


def test_normalize_mean_std_per_channel() -> None:
    batch = uint8_batch(0)
    out = transforms.normalize(batch, "mean_std", mean=(0.1, 0.2, 0.3), std=(0.5, 0.25, 2.0))
    for c, (mean, std) in enumerate(((0.1, 0.5), (0.2, 0.25), (0.3, 2.0))):
        torch.testing.assert_close(out[:, c], (batch[:, c].float() / 255 - mean) / std)
    with pytest.raises(ValueError, match=r"has 2 mean\(s\) and 2 std\(s\); the images have 1 channel"):
        transforms.normalize(uint8_batch(0, (2, 1, 4, 4)), "mean_std", mean=(0.1, 0.2), std=(1.0, 1.0))


def test_normalize_mean_std_of_one_value_serves_every_channel_as_torchvision_s() -> None:
    """``Normalize((0.5,), (0.5,))`` on RGB images: one mean and std broadcast over the three channels."""
    functional = pytest.importorskip("torchvision.transforms.functional")
    batch = uint8_batch(1)
    out = transforms.normalize(batch, "mean_std", mean=(0.5,), std=(0.25,))
    torch.testing.assert_close(out, functional.normalize(batch.float() / 255, [0.5], [0.25]))
    with pytest.raises(ValueError, match=r"has 2 mean\(s\) and 2 std\(s\); the images have 3 channel"):
        transforms.normalize(batch, "mean_std", mean=(0.1, 0.2), std=(1.0, 1.0))


@pytest.mark.parametrize("batch, how, match", [
    (torch.zeros(1, 1, 2, 2), "unit", "uint8"),
    (torch.zeros(1, 1, 2, 2, dtype=torch.uint8), "zscore", "'zscore'"),
])
def test_normalize_rejects(batch: torch.Tensor, how: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        transforms.normalize(batch, how)


# ----------------------------------------------------------------------------------- augment


def float_batch(seed: int, shape: tuple[int, ...] = (16, 3, 12, 12)) -> torch.Tensor:
    return transforms.normalize(uint8_batch(seed, shape), "unit")


def seeded(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def test_flip_mirrors_a_random_subset() -> None:
    batch = float_batch(0, (64, 3, 5, 5))
    out = transforms.augment(batch, ["flip"], seeded(1))
    flipped = (out == batch.flip(-1)).flatten(1).all(1)
    assert ((out == batch).flatten(1).all(1) | flipped).all()
    assert 0 < int(flipped.sum()) < 64


def test_flip_is_an_involution_under_one_mask() -> None:
    batch = float_batch(0)
    once = transforms.augment(batch, ["flip"], seeded(3))
    assert torch.equal(transforms.augment(once, ["flip"], seeded(3)), batch)


@pytest.mark.parametrize("options, mode", [({}, "constant"), ({"reflect": True}, "reflect"),
                                           ({"padding": 2}, "constant"), ({"padding": 3, "reflect": True}, "reflect"),
                                           ({"padding": 11}, "constant")])
def test_crop_takes_a_window_of_the_padded_image(options: dict[str, float | bool], mode: str) -> None:
    """Zero padding unless ``reflect``, by ``padding`` pixels (4 unless given; zeros may pad beyond the image's
    sides), each image its own window."""
    batch, padding = float_batch(1, (12, 2, 9, 9)), int(options.get("padding", 4))
    out = transforms.augment(batch, ["crop"], seeded(2), {"crop": options})
    padded = F.pad(batch, (padding,) * 4, mode=mode)
    windows = padded.unfold(2, 9, 1).unfold(3, 9, 1)  # N, C, offsets, offsets, 9, 9
    for i in range(len(batch)):
        matches = (windows[i] == out[i][:, None, None]).flatten(3).all(-1).all(0)
        assert matches.any(), f"image {i} is no window of its {mode}-padded copy"
    assert not torch.equal(out, batch)


def window_offsets(ones: torch.Tensor) -> torch.Tensor:
    """Each zero-padded crop of an all-ones N×1×H×W batch's (row, column) shift: zero rows (columns) below less
    zero rows above."""
    def shift(filled: torch.Tensor) -> torch.Tensor:  # N×L: whether each row (column) holds a one
        first, last = filled.int().argmax(1), filled.shape[1] - 1 - filled.int().flip(1).argmax(1)
        return (filled.shape[1] - 1 - last) - first
    return torch.stack([shift(ones.amax(dim=(1, 3)) > 0), shift(ones.amax(dim=(1, 2)) > 0)], dim=1)


def test_crop_by_default_is_torchvisions_zero_padded_random_crop() -> None:
    """On all-ones images the default crop's zero pixels and window shifts are distributed as those of torchvision's
    ``RandomCrop(size, padding=4)`` (constant fill 0), 4,000 draws each."""
    v2 = pytest.importorskip("torchvision.transforms.v2")
    n, size = 4000, 32
    ours = transforms.augment(torch.ones(n, 1, size, size), ["crop"], seeded(0))
    torch.manual_seed(0)
    crop = v2.RandomCrop(size, padding=4)
    theirs = torch.stack([crop(torch.ones(1, size, size)) for _ in range(n)])
    zeros_ours, zeros_theirs = (ours == 0).float().mean().item(), (theirs == 0).float().mean().item()
    assert zeros_theirs > 0.1 and abs(zeros_ours - zeros_theirs) < 0.005, (zeros_ours, zeros_theirs)
    shifts = torch.arange(-4, 5)
    for axis in range(2):
        frequency = [(window_offsets(batch)[:, axis, None] == shifts).float().mean(0) for batch in (ours, theirs)]
        assert (frequency[0] - frequency[1]).abs().max() < 0.03, (axis, frequency)
        assert frequency[0].min() > 0.08


def test_crop_padding_is_whole_and_reflect_padding_below_the_sides() -> None:
    with pytest.raises(ValueError, match=r"crop: reflect padding 4 needs images over 4 pixels a side, got 4×6"):
        transforms.augment(float_batch(0, (2, 1, 4, 6)), ["crop"], seeded(0), {"crop": {"reflect": True}})
    with pytest.raises(ValueError, match=r"crop: padding is a whole number of pixels, at least 0, got 2.5"):
        transforms.augment(float_batch(0), ["crop"], seeded(0), {"crop": {"padding": 2.5}})


@pytest.mark.parametrize("name", vocab.AUGMENTATIONS)
def test_augment_keeps_shape_and_is_seeded(name: str) -> None:
    batch = float_batch(4)
    torch.manual_seed(0)
    out = transforms.augment(batch, [name], seeded(5))
    torch.manual_seed(1)
    assert torch.equal(out, transforms.augment(batch, [name], seeded(5)))
    assert out.shape == batch.shape and out.dtype == batch.dtype and out.isfinite().all()
    assert not torch.equal(out, transforms.augment(batch, [name], seeded(6)))


@pytest.mark.parametrize("name, options", [
    ("rotate", {"degrees": 0.0}), ("rotate", {"degrees": 0.0, "expand": True, "fill": 255.0}),
    ("perspective", {"distortion": 0.0}), ("perspective", {"p": 0.0}),
    ("color_jitter", {"brightness": 0.0, "contrast": 0.0, "saturation": 0.0}), ("randaugment", {"ops": 0}),
])
def test_augmentations_at_zero_magnitude_are_the_identity(name: str, options: dict[str, float]) -> None:
    batch = float_batch(6)
    rounding = 1e-5 * max(1.0, options.get("fill", 0.0))  # a fill is subtracted and added back
    out = transforms.augment(batch, [name], seeded(0), {name: options})
    torch.testing.assert_close(out, batch, atol=rounding, rtol=0)


def test_rotation_fills_with_its_fill_value() -> None:
    """The author's fill 255 on [0, 1] images: corners turned out of the image read 255."""
    black = torch.zeros(16, 3, 12, 12)
    out = transforms.augment(black, ["rotate"], seeded(1), {"rotate": {"degrees": 45.0, "fill": 255.0}})
    assert out.amin().item() == pytest.approx(0, abs=1e-3) and out.amax().item() == pytest.approx(255, abs=1e-3)


def test_expanded_rotation_shrinks_the_image_to_keep_all_of_it() -> None:
    """expand=True then a resize back: the turned image is scaled by 1 / (|cos| + |sin|) <= 1 and never
    cut, so a white image keeps between half and all of its mass, less than the unexpanded rotation."""
    white = torch.ones(64, 1, 32, 32)
    options = {"degrees": 45.0, "fill": 0.0}
    plain = transforms.augment(white, ["rotate"], seeded(2), {"rotate": options}).sum(dim=(1, 2, 3))
    expanded_options = {"rotate": {**options, "expand": True}}
    expanded = transforms.augment(white, ["rotate"], seeded(2), expanded_options).sum(dim=(1, 2, 3))
    area = 32 * 32
    assert (expanded <= plain + 1e-3).all() and (expanded < plain).any()
    assert (expanded >= area / 2 - 32).all() and (expanded <= area + 1e-3).all()


ROTATIONS = (30.0, -75.0, 90.0, 163.0)
"""Fixed angles in degrees, counter-clockwise as torchvision's."""
PYTHAGOREAN = math.degrees(math.atan2(3, 4))
"""The angle with cos 4/5 and sin 3/5: its expanded canvas is whole pixels for sizes that are multiples of 5."""


@pytest.mark.parametrize("h, w", [(32, 32), (28, 40), (40, 28)])
@pytest.mark.parametrize("fill", [0.0, 0.7])
def test_rotation_matches_torchvision_at_fixed_angles(h: int, w: int, fill: float) -> None:
    """Pixel for pixel torchvision's ``rotate`` (bilinear, about the centre, ``fill`` blended in), square or not."""
    functional = pytest.importorskip("torchvision.transforms.functional")
    images = torch.rand(len(ROTATIONS), 3, h, w, generator=seeded(h + w))
    ours = transforms._rotate_by(images, torch.tensor(ROTATIONS), fill=fill, expand=False)
    for image, turned, angle in zip(images, ours, ROTATIONS, strict=True):
        expected = functional.rotate(image, angle, functional.InterpolationMode.BILINEAR, fill=[fill] * 3)
        torch.testing.assert_close(turned, expected, atol=1e-5, rtol=0)


@pytest.mark.parametrize("h, w", [(20, 40), (40, 20)])
def test_expanded_rotation_is_torchvisions_canvas_resized_back(h: int, w: int) -> None:
    """expand=True is torchvision's expanded rotation resized back to H×W, checked where a bilinear resize is exact:
    on an image of its own pixel coordinates, inside the turned image, for canvases of whole pixels."""
    functional = pytest.importorskip("torchvision.transforms.functional")
    rows, cols = torch.meshgrid(torch.arange(h) + 0.5, torch.arange(w) + 0.5, indexing="ij")
    coordinates = torch.stack([cols, rows, torch.ones_like(cols)])
    angles = (PYTHAGOREAN, -PYTHAGOREAN, 90 - PYTHAGOREAN, 180 - PYTHAGOREAN)
    ours = transforms._rotate_by(coordinates.expand(len(angles), 3, h, w), torch.tensor(angles), fill=0.0, expand=True)
    for turned, angle in zip(ours, angles, strict=True):
        canvas = functional.rotate(coordinates, angle, functional.InterpolationMode.BILINEAR, expand=True,
                                   fill=[0.0] * 3)
        expected = F.interpolate(canvas[None], size=(h, w), mode="bilinear", align_corners=False)[0]
        inside = (turned[2] > 1 - 1e-6) & (expected[2] > 1 - 1e-6)  # fully covered: bilinear reads are exact there
        assert inside.float().mean() > 0.3
        torch.testing.assert_close(turned[:2, inside], expected[:2, inside], atol=5e-5, rtol=0)


@pytest.mark.parametrize("angle", [30.0, -61.0, PYTHAGOREAN])
def test_expanded_rotation_of_a_wide_image_keeps_all_of_it(angle: float) -> None:
    """A white 20×40 image turned with expand=True touches every border of the canvas and keeps the area of the
    turned rectangle scaled to fit, H·W · W/(|cos|W + |sin|H) · H/(|sin|W + |cos|H), less its blended border."""
    h, w = 20, 40
    out = transforms._rotate_by(torch.ones(1, 1, h, w), torch.tensor([angle]), fill=0.0, expand=True)[0, 0]
    assert min(out[0].max(), out[-1].max(), out[:, 0].max(), out[:, -1].max()) > 0.1
    cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
    area = h * w * w / (cos * w + sin * h) * h / (sin * w + cos * h)
    assert area - (h + w) / 2 <= out.sum().item() <= area


def test_augment_rejects_unknown_options() -> None:
    with pytest.raises(ValueError, match="rotate takes no option angle; it takes degrees, fill, expand"):
        transforms.augment(float_batch(0), ["rotate"], seeded(0), {"rotate": {"angle": 3.0}})
    with pytest.raises(ValueError, match="flip takes no option p; it takes none"):
        transforms.augment(float_batch(0), ["flip"], seeded(0), {"flip": {"p": 0.3}})


def test_defaults_are_given_for_the_options_the_ledger_takes() -> None:
    assert {name: tuple(options) for name, options in transforms.AUGMENT_OPTIONS.items()} == vocab.AUGMENT_OPTIONS


@pytest.mark.parametrize("name", vocab.AUGMENTATIONS)
def test_augment_single_channel(name: str) -> None:
    batch = float_batch(7, (8, 1, 28, 28))
    assert transforms.augment(batch, [name], seeded(0)).shape == batch.shape


def test_augment_composes_in_order() -> None:
    batch = float_batch(8)
    both = transforms.augment(batch, ["crop", "flip"], seeded(9))
    generator = seeded(9)
    assert torch.equal(both, transforms.augment(transforms.augment(batch, ["crop"], generator), ["flip"], generator))


@pytest.mark.parametrize("batch, names, match", [
    (float_batch(0), ["mixup"], "'mixup'"),
    (uint8_batch(0), ["flip"], "float"),
])
def test_augment_rejects(batch: torch.Tensor, names: list[str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        transforms.augment(batch, names, seeded(0))


@pytest.mark.parametrize("names", [[], ["crop"], ["flip"], ["crop", "flip"]])
@pytest.mark.parametrize("how", transforms.POINTWISE_NORMALIZATIONS)
@pytest.mark.parametrize("crop", [{}, {"reflect": True}, {"padding": 8}])
def test_gather_batch_equals_augmenting_the_indexed_batch(names: list[str], how: str,
                                                          crop: dict[str, float | bool]) -> None:
    images, indices = uint8_batch(10, (20, 3, 9, 7)), torch.tensor([4, 0, 19, 4, 11, 7])
    options = {"crop": crop} if "crop" in names else {}
    gathered = transforms.gather_batch(images, indices, names, seeded(3), options)
    assert gathered.dtype == torch.uint8 and gathered.is_contiguous(memory_format=torch.channels_last)
    channel_stats = {"mean": (0.4, 0.5, 0.6), "std": (0.2, 0.3, 0.4)} if how == "mean_std" else {}
    unit = transforms.augment(transforms.normalize(images[indices], "unit"), names, seeded(3), options)
    expected = transforms.normalize_unit(unit, how, **channel_stats)  # a zero fill is black, as torchvision pads
    torch.testing.assert_close(transforms.normalize(gathered, how, **channel_stats), expected, atol=1e-6, rtol=0)


@pytest.mark.parametrize("names, folds", [
    ([], True), (["crop"], True), (["flip"], True), (["crop", "flip"], True),
    (["flip", "crop"], False), (["crop", "crop"], False), (["crop", "rotate"], False), (["randaugment"], False),
])
def test_only_crop_then_flip_folds_into_the_gather(names: list[str], folds: bool) -> None:
    assert transforms.folds_into_gather(names) is folds
    if not folds:
        with pytest.raises(ValueError, match="crop then flip"):
            transforms.gather_batch(uint8_batch(0), torch.tensor([0]), names, seeded(0))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")
@pytest.mark.parametrize("generator_device", ["cpu", "cuda"])
def test_batch_functions_run_on_cuda(generator_device: str) -> None:
    batch = uint8_batch(0).cuda()
    out = transforms.augment(transforms.normalize(batch, "per_image"), list(vocab.AUGMENTATIONS),
                             torch.Generator(generator_device).manual_seed(0))
    assert out.device.type == "cuda" and out.shape == batch.shape
    gathered = transforms.gather_batch(batch, torch.tensor([1, 0], device="cuda"), ["crop", "flip"],
                                       torch.Generator(generator_device).manual_seed(0))
    assert gathered.device.type == "cuda" and gathered.shape == (2, *batch.shape[1:])


INWARD = torch.tensor([[1, 1], [-1, 1], [-1, -1], [1, -1]])
"""The inward direction (x, y) of each of torchvision's perspective corners: top-left, top-right, bottom-right,
bottom-left."""
PERSPECTIVE_OFFSETS = torch.tensor([[[0, 0], [0, 0], [0, 0], [0, 0]], [[3, 1], [0, 2], [5, 4], [1, 0]],
                                    [[7, 6], [2, 7], [0, 3], [6, 6]]])
"""Fixed inward moves of the four corners in pixels, one set per image."""


@pytest.mark.parametrize("h, w", [(32, 32), (28, 40), (40, 28)])
def test_perspective_matches_torchvision_at_fixed_points(h: int, w: int) -> None:
    """Pixel for pixel torchvision's ``perspective`` (bilinear, zero fill) from its corner points (0 and size - 1)
    to end points moved inward, square or not."""
    functional = pytest.importorskip("torchvision.transforms.functional")
    images = torch.rand(len(PERSPECTIVE_OFFSETS), 3, h, w, generator=seeded(h + w))
    start = torch.tensor([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    ends = start + INWARD * PERSPECTIVE_OFFSETS
    ours = transforms._perspective_between(images, start.expand_as(ends), ends)
    for image, warped, end in zip(images, ours, ends, strict=True):
        expected = functional.perspective(image, start.tolist(), end.tolist(), functional.InterpolationMode.BILINEAR,
                                          fill=[0.0] * 3)
        torch.testing.assert_close(warped, expected, atol=2e-5, rtol=0)


@pytest.mark.parametrize("name, options", [
    ("perspective", {"p": 1.0, "distortion": 0.3}), ("perspective", {"p": 1.0, "distortion": 0.6}),
    ("rotate", {"degrees": 30.0, "fill": 0.0}), ("rotate", {"degrees": 30.0, "fill": 1.0}),
])
def test_warps_keep_as_much_of_the_image_as_torchvision(name: str, options: dict[str, float]) -> None:
    """On a white batch, the mean is the share of the image a warp keeps, border blending included: it is
    torchvision's, whose transform the recipe names (the perspective moves the corners inward and zero-fills)."""
    torchvision_transforms = pytest.importorskip("torchvision.transforms")
    white = torch.ones(512, 3, 32, 40)
    ours = transforms.augment(white, [name], seeded(5), {name: options})
    torch.manual_seed(5)
    theirs = (torchvision_transforms.RandomPerspective(distortion_scale=options["distortion"], p=options["p"])
              if name == "perspective" else
              torchvision_transforms.RandomRotation(options["degrees"], fill=options["fill"]))
    expected = torch.stack([theirs(image) for image in white])
    assert ours.mean().item() == pytest.approx(expected.mean().item(), abs=0.015)
    assert (ours < 0.5).float().mean().item() == pytest.approx((expected < 0.5).float().mean().item(), abs=0.015)


def test_perspective_warps_a_share_p_of_the_images() -> None:
    white = torch.ones(512, 1, 16, 16)
    out = transforms.augment(white, ["perspective"], seeded(6), {"perspective": {"p": 0.5, "distortion": 0.5}})
    warped = (out.amin(dim=(1, 2, 3)) < 0.5).float().mean().item()
    assert 0.4 < warped < 0.6


@pytest.mark.parametrize("distortion", [0.9, 1.0])
def test_a_perspective_whose_corners_meet_warps_to_finite_pixels(distortion: float) -> None:
    """At full distortion two end points can share a pixel (a singular system) or fall in a line (a homography
    that divides by zero): the batch still warps, with its fill there, never an error or a NaN for the loss."""
    batch = torch.rand(1024, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    out = transforms.augment(batch, ["perspective"], seeded(0), {"perspective": {"p": 1.0, "distortion": distortion}})
    assert torch.isfinite(out).all()


# ------------------------------------------------------------------------------- randaugment

CIFAR_INFINITY_RANDAUGMENT = {"randaugment": {"ops": 3, "magnitude": 0.2}}
"""keras_cv's RandAugment as CIFAR-infinity configured it: three ops per image, magnitude 0.2."""


def test_randaugment_never_mirrors_an_image() -> None:
    """keras_cv's RandAugment has no flip: an image that is not symmetric never comes out as its mirror image."""
    batch = float_batch(11, (256, 3, 16, 16))
    out = transforms.augment(batch, ["randaugment"], seeded(2), {"randaugment": {"ops": 1, "magnitude": 0.2}})
    mirrored = [i for i in range(len(batch)) if torch.allclose(out[i], batch[i].flip(-1), atol=1e-6)]
    assert not mirrored


def test_randaugment_keeps_a_left_bar_on_the_left() -> None:
    """A bar at the left edge stays in the left half: ops=3 at magnitude 0.1 translate it by at most 3 × 3.2
    pixels, shear it about the top-left pixel by N(0.1, 0.15²) (its bottom row about 3 pixels on average), the
    photometric ops map every pixel of the background alike (so the bar is where the image departs from its median
    value), and only a mirror would put it on the right."""
    bar = torch.zeros(512, 3, 32, 32)
    bar[..., 1:5] = 0.5
    out = transforms.augment(bar, ["randaugment"], seeded(3), {"randaugment": {"ops": 3, "magnitude": 0.1}})
    departure = (out - out.flatten(1).median(dim=1).values.view(-1, 1, 1, 1)).abs()
    left, right = departure[..., :16].sum(dim=(1, 2, 3)), departure[..., 16:].sum(dim=(1, 2, 3))
    assert (right <= left + 1e-4).all(), f"{int((right > left + 1e-4).sum())} of 512 images have the bar on the right"


def test_randaugment_clips_to_the_unit_range() -> None:
    """keras_cv clips every op to its value range: [0, 1] images stay in [0, 1] (brightness 1.2 on a white pixel
    would read 1.2 unclipped)."""
    out = transforms.augment(float_batch(12, (512, 3, 16, 16)), ["randaugment"], seeded(4), CIFAR_INFINITY_RANDAUGMENT)
    assert out.min().item() >= 0.0 and out.max().item() <= 1.0


def test_randaugment_resumes_bit_identically_from_a_generator_state() -> None:
    """All randomness comes from the generator: a run resumed from a saved generator state augments the next batch
    exactly as the uninterrupted run did."""
    generator = seeded(5)
    transforms.augment(float_batch(13, (64, 3, 16, 16)), ["randaugment"], generator, CIFAR_INFINITY_RANDAUGMENT)
    state = generator.get_state()
    following = float_batch(14, (64, 3, 16, 16))
    uninterrupted = transforms.augment(following, ["randaugment"], generator, CIFAR_INFINITY_RANDAUGMENT)
    resumed = torch.Generator()
    resumed.set_state(state)
    assert torch.equal(transforms.augment(following, ["randaugment"], resumed, CIFAR_INFINITY_RANDAUGMENT),
                       uninterrupted)


def test_randaugment_skips_an_image_one_round_in_eleven() -> None:
    """keras_cv's RandAugment applies each round's op with probability rate = 10/11 (its default): at magnitude 1
    every op changes a noisy mid-gray image, so with ops=1 the images left as they were are the skipped ones."""
    noise = 0.3 + 0.3 * torch.rand(20_000, 3, 4, 4, generator=torch.Generator().manual_seed(14))
    out = transforms.augment(noise, ["randaugment"], seeded(15), {"randaugment": {"ops": 1, "magnitude": 1.0}})
    kept = (out == noise).flatten(1).all(dim=1).float().mean().item()
    assert abs(kept - 1 / 11) < 0.006


def test_randaugment_ops_are_keras_cvs() -> None:
    """keras_cv 0.9's ten RandAugment ops (``RandAugment.get_standard_policy``), each once, and no flip."""
    keras_cv = {"auto_contrast", "equalize", "solarize", "color", "contrast", "brightness", "shear_x", "shear_y",
                "translate_x", "translate_y"}
    assert sorted(transforms.RANDAUGMENT_OPS) == sorted(keras_cv)


def randaugment_candidate(op: str, batch: torch.Tensor, seed: int, magnitude: float = 0.2) -> torch.Tensor:
    """What the randaugment op named ``op`` makes of ``batch`` (before the round's clip)."""
    candidates = transforms._randaugment_candidates(batch, seeded(seed), magnitude)
    return candidates[transforms.RANDAUGMENT_OPS.index(op)]


def test_randaugment_brightness_adds_a_fraction_of_the_value_range() -> None:
    """keras_cv's RandomBrightness(factor=magnitude) adds U(-magnitude, magnitude) times the value range to every
    value of an image: the same shift for its dark and its bright pixels, where a factor would scale them apart."""
    batch = torch.full((2048, 3, 4, 4), 0.25)
    batch[..., 2:] = 0.75
    shift = randaugment_candidate("brightness", batch, 6) - batch
    assert torch.allclose(shift, shift[:, :1, :1, :1].expand_as(shift), atol=1e-6)
    assert shift.min().item() >= -0.2 and shift.max().item() <= 0.2
    assert shift.min().item() < -0.19 and shift.max().item() > 0.19


def test_randaugment_contrast_keeps_each_channels_mean() -> None:
    """keras_cv's RandomContrast spreads each channel about its own mean, so every channel's mean stays; about the
    image's gray mean a dark channel would drift away from it."""
    batch = torch.rand(64, 3, 8, 8, generator=torch.Generator().manual_seed(9)) * 0.2
    batch[:, 1] += 0.7
    out = randaugment_candidate("contrast", batch, 10)
    torch.testing.assert_close(out.mean(dim=(2, 3)), batch.mean(dim=(2, 3)))
    assert not torch.allclose(out, batch)


def test_randaugment_color_blends_towards_gray_by_a_clipped_normal() -> None:
    """keras_cv's RandAugment color: RandomColorDegeneration by N(magnitude, 0.15²) clipped to [0, 1], so about 9 %
    of images (those drawing below 0) keep their colour and the blend averages 0.206 at magnitude 0.2."""
    red = torch.zeros(100_000, 3, 1, 1)
    red[:, 0] = 1.0
    gray = 0.299
    blend = (1 - randaugment_candidate("color", red, 11)[:, 0].flatten()) / (1 - gray)
    assert abs((blend.abs() < 1e-6).float().mean().item() - 0.0912) < 0.005
    assert abs(blend.mean().item() - 0.2063) < 0.003


def test_randaugment_solarize_adds_then_inverts_above_a_drawn_threshold() -> None:
    """keras_cv's RandAugment solarize adds N(magnitude, 0.15²)·110/255 (clipped to [0, 110/255]) and inverts the
    values at or above N(1 - magnitude, 0.15²) (clipped to [0, 1]): a black image comes out at the addition
    (median 0.0863, 0 for about 9 %), and mid gray is inverted about 9.6 % of the time (10^7 numpy draws)."""
    black = randaugment_candidate("solarize", torch.zeros(100_000, 1, 1, 1), 12).flatten()
    assert abs(black.median().item() - 0.2 * 110 / 255) < 0.002
    assert abs((black == 0).float().mean().item() - 0.0910) < 0.005
    gray = randaugment_candidate("solarize", torch.full((100_000, 1, 1, 1), 0.5), 13).flatten()
    assert abs((gray < 0.5).float().mean().item() - 0.0961) < 0.005


def test_auto_contrast_stretches_each_channel_and_leaves_a_flat_one() -> None:
    image = torch.tensor([[[[0.2, 0.4], [0.6, 0.3]], [[0.5, 0.5], [0.5, 0.5]]]])
    out = transforms._auto_contrast(image)
    torch.testing.assert_close(out[0, 0], torch.tensor([[0.0, 0.5], [1.0, 0.25]]))
    assert torch.equal(out[0, 1], image[0, 1])


def pil_equalize(batch: torch.Tensor) -> torch.Tensor:
    """PIL's ``ImageOps.equalize`` of each image of a uint8 N×3×H×W batch."""
    images = [ImageOps.equalize(Image.fromarray(image.permute(1, 2, 0).contiguous().numpy())) for image in batch]
    return torch.stack([torch.tensor(np.asarray(image)) for image in images]).permute(0, 3, 1, 2)


@pytest.mark.parametrize("shape", [(48, 3, 32, 32), (48, 3, 20, 28), (16, 3, 8, 8)])
def test_randaugment_equalize_matches_pil_where_the_top_level_is_rarest(shape: tuple[int, ...]) -> None:
    """keras_cv 0.9's Equalization is PIL's ``ImageOps.equalize`` (256 bins, per channel, step // 2 rounding, the
    LUT shifted by one level and clipped to 255, a step of 0 leaving the channel) but for its step, which subtracts
    the smallest non-zero level count where PIL subtracts the highest level's: with one pixel at the top level the
    two agree. 8×8 images have step 0: both leave them as they are."""
    images = torch.randint(0, 200, shape, generator=seeded(16), dtype=torch.uint8)
    images[:, :, 0, 0] = torch.randint(200, 256, shape[:2], generator=seeded(17), dtype=torch.uint8)
    out = randaugment_candidate("equalize", images.float() / 255, 18)
    assert torch.equal((out * 255).round().to(torch.uint8), pil_equalize(images))


def test_equalize_steps_by_the_rarest_level_and_clips_to_255() -> None:
    """Worked by hand from keras_cv 0.9's equalize_channel. Channel 0: 130 pixels at level 10, 10 at 50, 500 at 200:
    step = (640 - 10) // 255 = 2, and a level maps to (pixels below it + 1) // 2: 0, 131 // 2 = 65, 141 // 2 = 70
    (PIL's step, (640 - 500) // 255 = 0, would leave the channel). Channel 1: 600 at 0, 40 at 100: step 600 // 255
    = 2, level 100 maps to 601 // 2 = 300, clipped to 255."""
    def channels(*runs: tuple[int, int]) -> torch.Tensor:
        return torch.cat([torch.full((count,), float(level)) for count, level in runs]).view(1, 2, 16, 40)

    levels = channels((130, 10), (10, 50), (500, 200), (600, 0), (40, 100))
    equalised = channels((130, 0), (10, 65), (500, 70), (600, 0), (40, 255))
    assert torch.equal((transforms._equalize(levels / 255) * 255).round(), equalised)


def test_equalize_truncates_to_whole_levels() -> None:
    """keras_cv casts [0, 255] values to int32 before equalizing, so a fraction of a level is cut off: up to 0.99 of
    a level added changes nothing where the step is positive (32×32; rounding would move some pixels up a level and
    not others), and where it is 0 (4×4) the channel keeps its truncated levels, not its values. A whole level that
    float arithmetic puts an ulp below itself on [0, 1] (1 - v, solarize's inversion) stays that level, as keras_cv's
    255 - v does."""
    images = float_batch(19, (8, 3, 32, 32)).clamp(max=254 / 255)
    fractions = torch.rand(images.shape, generator=seeded(21)) * 0.99 / 255
    assert torch.equal(transforms._equalize(images + fractions), transforms._equalize(images))
    levels = uint8_batch(20, (64, 3, 4, 4))
    small = transforms.normalize(levels, "unit")
    assert torch.equal(transforms._equalize(small.clamp(max=254 / 255) + 0.6 / 255), small.clamp(max=254 / 255))
    assert torch.equal(transforms._equalize(1 - small), transforms.normalize(255 - levels, "unit"))


def test_shear_slants_a_line_about_the_top_left_pixel() -> None:
    """keras_cv's RandomShear matrix (1, s, 0; 0, 1, 0) reads each output pixel (x, y) at (x + s·y, y), in pixels from
    the top-left pixel: a one-pixel column at x = 4 of a 9×9 image, sheared by 0.5, lands at x = 4 - y/2 on the even
    rows (its top stays put), and the transposed image likewise along y."""
    line = torch.zeros(1, 1, 9, 9)
    line[..., 4] = 1.0
    out = transforms._shear(line, torch.tensor([0.5]), axis=1)
    transposed = transforms._shear(line.transpose(2, 3), torch.tensor([0.5]), axis=0)
    for y in (0, 2, 4, 6, 8):
        assert out[0, 0, y].argmax().item() == 4 - y // 2
        assert transposed[0, 0, :, y].argmax().item() == 4 - y // 2


def test_translate_reads_between_pixels_and_mirrors_about_the_edge() -> None:
    """keras_cv's RandomTranslation moves by a fraction of the size, not whole pixels, and reads bilinearly from the
    image mirrored about its outer edges (TF's reflect: d c b a | a b c d | d c b a): [1, 2, 3, 4] moved right by
    1.5 reads positions -1.5, -0.5, 0.5, 1.5, and moved left by 1.5 reads 1.5 ... 4.5."""
    row = torch.tensor([1.0, 2.0, 3.0, 4.0]).view(1, 1, 1, 4)
    right = transforms._translate(row, torch.tensor([1.5]), axis=1)
    left = transforms._translate(row, torch.tensor([-1.5]), axis=1)
    down = transforms._translate(row.transpose(2, 3), torch.tensor([1.5]), axis=0)
    assert right.flatten().tolist() == [1.5, 1.0, 1.5, 2.5]
    assert left.flatten().tolist() == [2.5, 3.5, 4.0, 3.5]
    assert down.flatten().tolist() == [1.5, 1.0, 1.5, 2.5]


def test_translate_and_shear_keep_a_flat_image_exact() -> None:
    """Reading a flat image between pixels gives back its value exactly, not an ulp off it here and there, which a
    later auto_contrast round would stretch to the full [0, 1] range."""
    flat = torch.full((256, 3, 16, 16), 0.4312)
    amounts = torch.rand(256, generator=seeded(22)) * 2 - 1
    for moved in (transforms._translate(flat, amounts * 3.2, axis=1), transforms._shear(flat, amounts, axis=0)):
        assert torch.equal(moved, flat)
        assert torch.equal(transforms._auto_contrast(moved), flat)


def test_randaugment_leaves_a_flat_image_flat() -> None:
    """keras_cv fills what translate and shear uncover by reflection, so no black border appears: every op leaves a
    flat gray image flat (brightness and solarize shift or invert it as a whole)."""
    flat = torch.full((256, 3, 16, 16), 0.5)
    out = transforms.augment(flat, ["randaugment"], seeded(7), CIFAR_INFINITY_RANDAUGMENT)
    spread = out.amax(dim=(1, 2, 3)) - out.amin(dim=(1, 2, 3))
    assert (spread < 1e-6).all(), f"{int((spread >= 1e-6).sum())} of 256 flat images came out uneven"


def test_randaugment_shear_factors_follow_keras_cv() -> None:
    """keras_cv's RandAugment shears by N(magnitude, 0.15²) clipped to [0, 1], with a random sign."""
    factors = transforms._shear_factors(100_000, seeded(8), torch.zeros(1), 0.2)
    size = factors.abs()
    assert size.min().item() >= 0.0 and size.max().item() <= 1.0
    assert abs(size.mean().item() - 0.2063) < 0.003  # E clip(N(0.2, 0.15²), 0, 1), by 10^7 numpy draws
    assert abs((size == 0).float().mean().item() - 0.0912) < 0.005  # P(N(0.2, 0.15²) < 0), clipped to 0
    assert abs((factors < 0).float().mean().item() / (size > 0).float().mean().item() - 0.5) < 0.01