"""The drawing surface: a gradient sky painted over with layers of anti-aliased shapes.

Pillow does not anti-alias its shapes, so each layer is drawn as a mask at twice the size
and scaled down before it is filled with its colour.
"""

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageColor, ImageDraw

WIDTH, HEIGHT = 1600, 900
SUPERSAMPLE = 2

Point = tuple[float, float]
Color = str | tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    sky_top: str
    sky_bottom: str
    glow: str
    far: str
    near: str
    line: str
    light: str


# The committee's colours (static/css/rifada.css): greens #0a4a37–#0d5a43, gold #c9a44c.
PALETTES = {
    "dawn": Palette("#0a4a37", "#dcb96a", "#fbe9b4", "#3d7560", "#082f24", "#c9a44c", "#f6e7c1"),
    "day": Palette("#0b6b4f", "#a8d2bd", "#ffffff", "#4f8c74", "#0a3a2c", "#e0c47a", "#f4f7f5"),
    "noon": Palette("#b07f2e", "#f4e2b4", "#fff8e1", "#9a7a45", "#0a3a2c", "#fff3cf", "#fffaf0"),
    "dusk": Palette("#06261d", "#b0782f", "#f2c46d", "#2a5646", "#04160f", "#c9a44c", "#f2d9a0"),
    "night": Palette("#03120d", "#0d5a43", "#c9a44c", "#0c3a2d", "#020a07", "#c9a44c", "#f3d27a"),
}


class Pen:
    """Draws on a supersampled mask in the picture's own coordinates."""

    def __init__(self, draw: ImageDraw.ImageDraw, scale: float):
        self._draw = draw
        self._scale = scale

    def _points(self, points: list[Point]) -> list[Point]:
        return [(x * self._scale, y * self._scale) for x, y in points]

    def _box(self, box: tuple[float, float, float, float]) -> list[float]:
        return [value * self._scale for value in box]

    def polygon(self, points: list[Point], *, cut: bool = False) -> None:
        self._draw.polygon(self._points(points), fill=0 if cut else 255)

    def outline(self, points: list[Point], *, width: float, closed: bool = True) -> None:
        points = [*points, points[0]] if closed else points
        self._draw.line(
            self._points(points), fill=255, width=max(1, round(width * self._scale)), joint="curve"
        )

    def rect(self, x0: float, y0: float, x1: float, y1: float, *, cut: bool = False) -> None:
        self._draw.rectangle(
            self._box((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))), fill=0 if cut else 255
        )

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, *, cut: bool = False) -> None:
        self._draw.ellipse(self._box((cx - rx, cy - ry, cx + rx, cy + ry)), fill=0 if cut else 255)

    def circle_outline(self, cx: float, cy: float, r: float, *, width: float) -> None:
        self._draw.ellipse(
            self._box((cx - r, cy - r, cx + r, cy + r)),
            outline=255,
            width=max(1, round(width * self._scale)),
        )

    def line(self, points: list[Point], *, width: float) -> None:
        self._draw.line(self._points(points), fill=255, width=max(1, round(width * self._scale)))


class Canvas:
    """A picture painted layer by layer: each layer is a shape mask filled with one colour."""

    def __init__(self, palette: Palette):
        self.palette = palette
        self.size = (WIDTH, HEIGHT)
        self.image = _vertical_gradient(self.size, palette.sky_top, palette.sky_bottom)

    @contextlib.contextmanager
    def layer(
        self,
        color: Color,
        *,
        opacity: float = 1.0,
        fade: tuple[float, float] | None = None,
    ) -> Iterator[Pen]:
        """Shapes drawn with the pen are filled with `color`.

        `fade` (top, bottom as fractions of the height) makes the layer vanish towards the
        bottom, so a pattern in the sky does not run into the skyline.
        """
        big = (self.size[0] * SUPERSAMPLE, self.size[1] * SUPERSAMPLE)
        mask = Image.new("L", big, 0)
        yield Pen(ImageDraw.Draw(mask), SUPERSAMPLE)
        mask = mask.reduce(SUPERSAMPLE)
        if fade is not None:
            mask = ImageChops.multiply(mask, _fade_mask(self.size, *fade))
        self._fill(color, mask, opacity)

    def glow(self, cx: float, cy: float, rx: float, ry: float, color: str, opacity: float) -> None:
        """A soft radial light (the sun's or the moon's halo, a lit horizon)."""
        box = (round(cx - rx), round(cy - ry), round(cx + rx), round(cy + ry))
        # Pillow's radial gradient reaches 181 at the middle of each edge, 255 in the corners.
        halo = Image.radial_gradient("L").point(
            lambda value: round(max(0.0, 1 - value / 181) ** 2.2 * 255 * opacity)
        )
        halo = halo.resize((box[2] - box[0], box[3] - box[1]), Image.Resampling.BILINEAR)
        visible = (
            max(box[0], 0),
            max(box[1], 0),
            min(box[2], self.size[0]),
            min(box[3], self.size[1]),
        )
        halo = halo.crop(
            (visible[0] - box[0], visible[1] - box[1], visible[2] - box[0], visible[3] - box[1])
        )
        self.image.paste(color, visible, halo)

    def _fill(self, color: Color, mask: Image.Image, opacity: float) -> None:
        # Only the box the shapes cover is blended: most layers are a small part of the picture.
        box = mask.getbbox()
        if box is None:
            return
        mask = mask.crop(box)
        if opacity < 1:
            mask = mask.point(lambda value: round(value * opacity))
        self.image.paste(color, box, mask)


def mix(first: str, second: str, share: float) -> tuple[int, int, int]:
    """`share` of the way from one colour to the other."""
    a, b = ImageColor.getrgb(first), ImageColor.getrgb(second)
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=False))


def _vertical_gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    height = size[1]
    column = Image.new("RGB", (1, height))
    column.putdata([mix(top, bottom, y / (height - 1)) for y in range(height)])
    return column.resize(size, Image.Resampling.NEAREST)


@functools.cache
def _fade_mask(size: tuple[int, int], start: float, end: float) -> Image.Image:
    """Opaque above `start`, transparent below `end`, a ramp between (fractions of height)."""
    height = size[1]
    column = Image.new("L", (1, height))
    column.putdata(
        [
            round(255 * min(1.0, max(0.0, (end - y / height) / max(end - start, 1e-6))))
            for y in range(height)
        ]
    )
    return column.resize(size, Image.Resampling.NEAREST)
