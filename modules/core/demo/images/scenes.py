"""The scenes: a Madinah view per kind of news, each composed from the shapes.

A scene is a function of the canvas and a seeded random generator, and names the palettes
it looks right in; `draw_scene` picks one of them with the seed.
"""

import functools
import io
import math
import random
from collections.abc import Callable

from PIL import Image

from .canvas import HEIGHT, PALETTES, WIDTH, Canvas, mix
from .shapes import (
    ROAD_HALF_WIDTH,
    arcade,
    bus_front,
    bus_front_details,
    control_tower,
    crescent,
    dome,
    lane_marks,
    minaret,
    mosque,
    mountains,
    palm,
    plane,
    pointed_arch,
    road,
    road_edges,
    rosette,
    skyline,
    sparkles,
    star_lattice,
    star_points,
    tent_roof_terminal,
    umbrella,
)

JPEG_QUALITY = 82

# Depths of the layers, from the far skyline to the front of the picture.
HORIZON = 700
MIDGROUND = 770
FOREGROUND = 860


def _sky(canvas: Canvas, rng: random.Random, *, sun: bool = True) -> None:
    """Light at the horizon, the star lattice fading out above the skyline, a medallion."""
    palette = canvas.palette
    canvas.glow(rng.uniform(300, 1300), HORIZON, 1100, 460, palette.glow, 0.55)
    with canvas.layer(palette.line, opacity=0.16, fade=(0.05, 0.62)) as pen:
        star_lattice(pen, spacing=rng.choice((110, 130, 150)), offset=(rng.uniform(0, 60), 40))
    with canvas.layer(palette.line, opacity=0.32, fade=(0.25, 0.75)) as pen:
        rosette(pen, rng.choice((160, 1440)), rng.uniform(150, 230), rng.uniform(150, 210))
    if sun:
        x, y = rng.uniform(480, 1120), rng.uniform(150, 300)
        canvas.glow(x, y, 240, 240, palette.glow, 0.75)
        with canvas.layer(palette.glow, opacity=0.92) as pen:
            pen.ellipse(x, y, 44, 44)


def _night_sky(canvas: Canvas, rng: random.Random) -> None:
    palette = canvas.palette
    with canvas.layer(palette.line, opacity=0.1, fade=(0.05, 0.6)) as pen:
        star_lattice(pen, spacing=140, offset=(rng.uniform(0, 70), 30))
    with canvas.layer(palette.light, opacity=0.8) as pen:
        sparkles(pen, rng, count=90, top=10, bottom=560)
    x, y = rng.uniform(1050, 1350), rng.uniform(130, 220)
    canvas.glow(x, y, 280, 280, palette.glow, 0.4)
    with canvas.layer(palette.light) as pen:
        crescent(pen, x, y, 58, tilt=rng.uniform(-0.9, -0.3))


def scene_prophets_mosque(canvas: Canvas, rng: random.Random) -> None:
    """The mosque's domes and minarets above the umbrellas of its courtyard."""
    palette = canvas.palette
    _sky(canvas, rng)
    with canvas.layer(palette.far) as pen:
        skyline(pen, rng, HORIZON - 20, low=40, high=120)
    with canvas.layer(mix(palette.far, palette.near, 0.6)) as pen:
        mosque(pen, rng, rng.uniform(620, 980), MIDGROUND, 1.35)
        for i in range(10):
            umbrella(pen, -80 + i * 200, HORIZON - 100, 196, 46, MIDGROUND)
        pen.rect(-10, MIDGROUND, WIDTH + 10, HEIGHT + 10)
    with canvas.layer(palette.near) as pen:
        shift = rng.uniform(-60, 60)
        for i in range(6):
            umbrella(pen, shift + i * 340, HORIZON - 10, 336, 78, HEIGHT + 10)
        pen.rect(-10, FOREGROUND + 10, WIDTH + 10, HEIGHT + 10)


def scene_quba(canvas: Canvas, rng: random.Random) -> None:
    """Quba mosque is white: here the building is light against the sky, palms in front."""
    palette = canvas.palette
    _sky(canvas, rng)
    with canvas.layer(palette.far) as pen:
        mountains(pen, rng, HORIZON - 30, height=130)
    with canvas.layer(palette.light, opacity=0.95) as pen:
        cx = rng.uniform(640, 960)
        pen.rect(cx - 380, HORIZON - 60, cx + 380, MIDGROUND)
        dome(pen, cx, HORIZON - 60, 170, 170)
        for side in (-1, 1):
            for step in (1, 2, 3):
                dome(pen, cx + side * (40 + step * 82), HORIZON - 60, 56, 56)
            for corner in (0, 1):
                minaret(pen, cx + side * (380 - corner * 60), MIDGROUND, 26, 380 - corner * 24)
    with canvas.layer(palette.near) as pen:
        pen.rect(-10, MIDGROUND, WIDTH + 10, HEIGHT + 10)
        for x in (
            rng.uniform(40, 180),
            rng.uniform(250, 370),
            rng.uniform(1230, 1350),
            rng.uniform(1420, 1560),
        ):
            palm(pen, rng, x, HEIGHT + 10, rng.uniform(380, 480))


def scene_palms(canvas: Canvas, rng: random.Random) -> None:
    """A palm grove below a ridge like Mount Uhud's."""
    palette = canvas.palette
    _sky(canvas, rng)
    with canvas.layer(palette.far) as pen:
        mountains(pen, rng, HORIZON, height=240)
    with canvas.layer(palette.near, opacity=0.6) as pen:
        for _ in range(11):
            palm(pen, rng, rng.uniform(0, WIDTH), MIDGROUND, rng.uniform(170, 260))
        pen.rect(-10, MIDGROUND, WIDTH + 10, HEIGHT + 10)
    with canvas.layer(palette.near) as pen:
        for x in sorted(rng.uniform(0, WIDTH) for _ in range(5)):
            palm(pen, rng, x, HEIGHT + 10, rng.uniform(420, 600))
        pen.rect(-10, FOREGROUND, WIDTH + 10, HEIGHT + 10)


def scene_airport(canvas: Canvas, rng: random.Random) -> None:
    """A terminal under tent-like roofs, the control tower, an airliner climbing away."""
    palette = canvas.palette
    _sky(canvas, rng, sun=False)
    with canvas.layer(palette.far) as pen:
        mountains(pen, rng, HORIZON - 20, height=100)
    with canvas.layer(palette.near, opacity=0.85) as pen:
        tent_roof_terminal(pen, rng.uniform(-40, 100), rng.uniform(1000, 1200), MIDGROUND, 130)
        control_tower(pen, rng.uniform(1300, 1480), MIDGROUND, 340)
    with canvas.layer(palette.near) as pen:
        pen.rect(-10, MIDGROUND, WIDTH + 10, HEIGHT + 10)
    with canvas.layer(palette.line, opacity=0.8) as pen:
        for i in range(14):
            x0 = i * 130 + 20
            pen.rect(x0, FOREGROUND, x0 + 70, FOREGROUND + 5)
    x, y = rng.uniform(700, 1100), rng.uniform(200, 300)
    heading = rng.uniform(-0.5, -0.3)
    with canvas.layer(palette.light, opacity=0.35) as pen:
        tail = (x - 900 * math.cos(heading), y - 900 * math.sin(heading))
        pen.line([tail, (x - 140 * math.cos(heading), y - 140 * math.sin(heading))], width=5)
    with canvas.layer(palette.near) as pen:
        plane(pen, x, y, 320, heading)


def scene_road(canvas: Canvas, rng: random.Random) -> None:
    """The Hijrah road running to the horizon, palms along it, a shuttle bus."""
    palette = canvas.palette
    _sky(canvas, rng)
    vanish = rng.uniform(650, 950)
    with canvas.layer(palette.far) as pen:
        mountains(pen, rng, HORIZON - 40, height=160)
    with canvas.layer(palette.glow, opacity=0.3) as pen:
        pen.rect(-10, HORIZON - 40, WIDTH + 10, HEIGHT + 10)
    with canvas.layer(palette.near, opacity=0.8) as pen:
        for _ in range(8):
            side = rng.choice((-1, 1))
            distance = rng.uniform(0.2, 1)
            x = vanish + side * (180 + 650 * distance)
            palm(pen, rng, x, HORIZON - 40 + 90 * distance, 90 + 200 * distance)
    with canvas.layer(palette.near) as pen:
        road(pen, HORIZON - 40, vanish)
    with canvas.layer(palette.light, opacity=0.5) as pen:
        road_edges(pen, HORIZON - 40, vanish)
    with canvas.layer(palette.line, opacity=0.85) as pen:
        lane_marks(pen, HORIZON - 40, vanish)
    # A shuttle in the lane towards the viewer, sized by its distance down the road.
    base = rng.uniform(760, 800)
    half_road = ROAD_HALF_WIDTH * (base - HORIZON + 40) / (HEIGHT - HORIZON + 40)
    cx, width = vanish + half_road * 0.64, half_road * 0.4
    with canvas.layer(palette.light) as pen:
        bus_front(pen, cx, base, width)
    with canvas.layer(palette.near, opacity=0.9) as pen:
        bus_front_details(pen, cx, base, width, lights=False)
    with canvas.layer(palette.glow) as pen:
        bus_front_details(pen, cx, base, width, lights=True)


def scene_heat(canvas: Canvas, rng: random.Random) -> None:
    """A midday sun over the city, heat shimmering above the roofs."""
    palette = canvas.palette
    x, y = rng.uniform(600, 1000), rng.uniform(200, 280)
    canvas.glow(x, y, 900, 600, palette.glow, 0.9)
    with canvas.layer(palette.line, opacity=0.35, fade=(0.1, 0.75)) as pen:
        for ring in range(1, 6):
            pen.circle_outline(x, y, 90 + ring * 70, width=2)
            pen.outline(star_points(x, y, 90 + ring * 70, ring * math.pi / 8), width=1.5)
    with canvas.layer(palette.light) as pen:
        pen.ellipse(x, y, 80, 80)
    with canvas.layer(palette.far, opacity=0.8) as pen:
        skyline(pen, rng, HORIZON, low=30, high=100)
    with canvas.layer(palette.light, opacity=0.35) as pen:
        for row in range(5):
            base = HORIZON - 130 + row * 24
            phase = rng.uniform(0, math.tau)
            pen.line(
                [(x0, base + 6 * math.sin(x0 / 40 + phase)) for x0 in range(0, WIDTH + 40, 20)],
                width=3,
            )
    with canvas.layer(palette.near) as pen:
        mosque(pen, rng, rng.uniform(450, 1150), MIDGROUND, 1.0)
        pen.rect(-10, MIDGROUND, WIDTH + 10, HEIGHT + 10)
        for x in (rng.uniform(20, 240), rng.uniform(1360, 1580)):
            palm(pen, rng, x, HEIGHT + 10, rng.uniform(380, 480))


def scene_night(canvas: Canvas, rng: random.Random) -> None:
    """The mosque at night under a crescent moon, the city's windows lit."""
    palette = canvas.palette
    _night_sky(canvas, rng)
    with canvas.layer(palette.far) as pen:
        skyline(pen, rng, MIDGROUND, low=60, high=170)
    with canvas.layer(palette.light, opacity=0.5) as pen:
        for _ in range(140):
            x, y = rng.uniform(0, WIDTH), rng.uniform(MIDGROUND - 130, MIDGROUND - 10)
            pen.rect(x, y, x + 5, y + 8)
    canvas.glow(WIDTH / 2, FOREGROUND, 1000, 220, palette.glow, 0.3)
    with canvas.layer(palette.near) as pen:
        mosque(pen, rng, rng.uniform(450, 1150), FOREGROUND, 1.2)
        pen.rect(-10, FOREGROUND, WIDTH + 10, HEIGHT + 10)
    with canvas.layer(palette.light, opacity=0.7) as pen:
        for i in range(40):
            pen.ellipse(i * 41 + 10, FOREGROUND + 16, 2.5, 2.5)


def scene_arches(canvas: Canvas, rng: random.Random) -> None:
    """The view out of a colonnade: the city framed by pointed arches."""
    palette = canvas.palette
    _sky(canvas, rng)
    with canvas.layer(palette.far) as pen:
        skyline(pen, rng, MIDGROUND, low=40, high=140)
        minaret(pen, rng.uniform(300, 1300), MIDGROUND, 30, 420)
        pen.rect(-10, MIDGROUND, WIDTH + 10, HEIGHT + 10)
    bays = rng.choice((3, 4))
    bay = WIDTH / bays
    with canvas.layer(palette.near) as pen:
        pen.rect(-10, -10, WIDTH + 10, HEIGHT + 10)
        for i in range(bays):
            pen.polygon(
                pointed_arch(i * bay + bay * 0.12, (i + 1) * bay - bay * 0.12, 380, FOREGROUND),
                cut=True,
            )
    with canvas.layer(palette.line, opacity=0.55) as pen:
        for i in range(bays):
            left, right = i * bay + bay * 0.12, (i + 1) * bay - bay * 0.12
            pen.outline(pointed_arch(left - 14, right + 14, 380, FOREGROUND), width=4, closed=False)
        pen.rect(-10, FOREGROUND, WIDTH + 10, FOREGROUND + 6)
        for i in range(bays + 1):
            pen.outline(star_points(i * bay, 200, 54, math.pi / 8), width=3)
            pen.outline(star_points(i * bay, 200, 30), width=2)


def scene_health(canvas: Canvas, rng: random.Random) -> None:
    """A hospital front with the Red Crescent emblem."""
    palette = canvas.palette
    _sky(canvas, rng, sun=False)
    with canvas.layer(palette.far) as pen:
        skyline(pen, rng, MIDGROUND, low=60, high=170)
        pen.rect(-10, MIDGROUND, WIDTH + 10, HEIGHT + 10)
    x0 = rng.uniform(300, 560)
    with canvas.layer(palette.near) as pen:
        pen.rect(x0, MIDGROUND - 330, x0 + 760, HEIGHT + 10)
        pen.rect(x0 - 60, MIDGROUND - 40, x0 + 820, MIDGROUND - 20)
        pen.rect(-10, FOREGROUND, WIDTH + 10, HEIGHT + 10)
        for x in (rng.uniform(20, 200), rng.uniform(1400, 1580)):
            palm(pen, rng, x, HEIGHT + 10, rng.uniform(380, 480))
    with canvas.layer(palette.light, opacity=0.45) as pen:
        for row in range(3):
            for col in range(9):
                x = x0 + 60 + col * 76
                y = MIDGROUND - 300 + row * 80
                pen.polygon(pointed_arch(x, x + 36, y + 18, y + 52, 0.7))
        pen.rect(x0 + 300, MIDGROUND + 10, x0 + 460, HEIGHT + 10)
    with canvas.layer("#ffffff") as pen:
        pen.ellipse(x0 + 380, MIDGROUND - 420, 72, 72)
    with canvas.layer("#b42318") as pen:
        crescent(pen, x0 + 380, MIDGROUND - 420, 50, tilt=0.0)


def scene_pattern(canvas: Canvas, rng: random.Random) -> None:
    """An ornament alone, for announcements, meetings and ceremonies."""
    palette = canvas.palette
    canvas.glow(rng.uniform(500, 1100), rng.uniform(350, 550), 1000, 700, palette.glow, 0.35)
    with canvas.layer(palette.line, opacity=0.22) as pen:
        star_lattice(pen, spacing=rng.choice((120, 140, 160)), offset=(rng.uniform(0, 80), 20))
    with canvas.layer(palette.line, opacity=0.85) as pen:
        cx, cy = rng.uniform(560, 1040), rng.uniform(360, 460)
        rosette(pen, cx, cy, rng.uniform(250, 300))
        for side in (-1, 1):
            rosette(pen, cx + side * 620, cy + rng.uniform(-80, 80), 150)
    with canvas.layer(palette.near, opacity=0.85) as pen:
        arcade(pen, -40, WIDTH + 40, HEIGHT + 10, 230, rng.choice((8, 10, 12)))


SCENES: dict[str, tuple[Callable[[Canvas, random.Random], None], tuple[str, ...]]] = {
    "prophets-mosque": (scene_prophets_mosque, ("dawn", "dusk", "day")),
    "quba": (scene_quba, ("day", "dawn")),
    "palms": (scene_palms, ("dawn", "dusk", "day")),
    "airport": (scene_airport, ("day", "dawn", "dusk")),
    "road": (scene_road, ("dusk", "dawn")),
    "heat": (scene_heat, ("noon",)),
    "night": (scene_night, ("night",)),
    "arches": (scene_arches, ("dawn", "day", "dusk")),
    "health": (scene_health, ("day", "dawn")),
    "pattern": (scene_pattern, ("dusk", "night", "dawn")),
}


def draw_scene(scene: str, *, seed: int) -> Image.Image:
    """The picture for `scene` (a key of SCENES); the same seed always draws the same one."""
    painter, palettes = SCENES[scene]
    rng = random.Random(f"{scene}:{seed}")
    canvas = Canvas(PALETTES[rng.choice(palettes)])
    painter(canvas, rng)
    return canvas.image


@functools.lru_cache(maxsize=32)
def scene_jpeg(scene: str, *, seed: int) -> bytes:
    """The picture as a JPEG file, drawn once per process (the tests load the demo often)."""
    return jpeg_bytes(draw_scene(scene, seed=seed))


def jpeg_bytes(image: Image.Image, *, quality: int = JPEG_QUALITY) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
