"""The shapes the scenes are made of: ornament, buildings, palms, vehicles, roads.

Every function draws on a `Pen` in the picture's coordinates (1600×900); sizes and
positions come from the scene, which varies them with its seeded random generator.
"""

import math
import random

from .canvas import HEIGHT, WIDTH, Pen, Point


def star_points(cx: float, cy: float, radius: float, rotation: float = 0.0) -> list[Point]:
    """The eight-point star of two overlapping squares (the khatam)."""
    inner = radius * math.cos(math.pi / 4) / math.cos(math.pi / 8)
    points = []
    for i in range(16):
        angle = rotation + i * math.pi / 8
        r = radius if i % 2 == 0 else inner
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def star_lattice(pen: Pen, *, spacing: float, offset: Point = (0, 0)) -> None:
    """Stars on a square grid joined tip to tip, with a small star in each cell."""
    radius = spacing * 0.34
    cols = int(WIDTH / spacing) + 3
    rows = int(HEIGHT / spacing) + 3
    for row in range(-1, rows):
        y = offset[1] + row * spacing
        pen.line([(-10, y), (WIDTH + 10, y)], width=1.2)
        for col in range(-1, cols):
            x = offset[0] + col * spacing
            if row == -1:
                pen.line([(x, -10), (x, HEIGHT + 10)], width=1.2)
            pen.outline(star_points(x, y, radius, math.pi / 8), width=2)
            pen.outline(star_points(x + spacing / 2, y + spacing / 2, radius * 0.45), width=1.4)


def rosette(pen: Pen, cx: float, cy: float, radius: float) -> None:
    """Nested stars in a ring: a medallion as on a mosque's ceiling."""
    pen.circle_outline(cx, cy, radius * 1.08, width=3)
    for step in range(4):
        r = radius * (1 - step * 0.22)
        pen.outline(star_points(cx, cy, r, (step % 2) * math.pi / 8), width=3 - step * 0.5)
    pen.circle_outline(cx, cy, radius * 0.18, width=2.5)


def crescent(pen: Pen, cx: float, cy: float, r: float, tilt: float = -0.6) -> None:
    pen.ellipse(cx, cy, r, r)
    pen.ellipse(
        cx + r * 0.38 * math.cos(tilt), cy + r * 0.38 * math.sin(tilt), r * 0.84, r * 0.84, cut=True
    )


def sparkles(pen: Pen, rng: random.Random, *, count: int, top: float, bottom: float) -> None:
    for _ in range(count):
        x, y = rng.uniform(0, WIDTH), rng.uniform(top, bottom)
        size = rng.choice((1.4, 1.8, 2.4, 3.4))
        if size > 3:
            pen.polygon(star_points(x, y, size * 2.2, math.pi / 8))
        else:
            pen.ellipse(x, y, size, size)


def dome(pen: Pen, cx: float, base: float, width: float, height: float) -> None:
    """A dome on its drum, slightly pointed, with a finial and crescent."""
    drum = height * 0.24
    pen.rect(cx - width * 0.46, base - drum, cx + width * 0.46, base)
    pen.rect(cx - width * 0.52, base - drum - height * 0.03, cx + width * 0.52, base - drum)
    shell = height * 0.62
    spring = base - drum - height * 0.03
    curve = []
    for i in range(41):
        t = math.pi * i / 40
        x = cx - width / 2 * math.cos(t)
        lift = math.sin(t) ** 0.85 + 0.12 * math.exp(-(((t - math.pi / 2) / 0.25) ** 2))
        curve.append((x, spring - shell * lift))
    pen.polygon([(cx - width / 2, spring), *curve, (cx + width / 2, spring)])
    top = spring - shell * 1.12
    pen.rect(cx - width * 0.012, top - height * 0.08, cx + width * 0.012, top + 2)
    pen.ellipse(cx, top - height * 0.03, width * 0.025, width * 0.025)
    crescent(pen, cx, top - height * 0.1, width * 0.035, tilt=-math.pi / 2)


def minaret(pen: Pen, cx: float, base: float, width: float, height: float) -> None:
    """Tiers narrowing upwards with a balcony at each step, a cone and a crescent."""
    tiers = [(0.0, 0.36, 1.0), (0.36, 0.62, 0.84), (0.62, 0.80, 0.7), (0.80, 0.88, 0.56)]
    for start, end, share in tiers:
        half = width * share / 2
        pen.rect(cx - half, base - height * end, cx + half, base - height * start)
        if end < 0.88:
            balcony = width * (share + 0.42) / 2
            y = base - height * end
            pen.rect(cx - balcony, y - height * 0.018, cx + balcony, y)
            pen.polygon(
                [
                    (cx - balcony, y),
                    (cx + balcony, y),
                    (cx + half, y + height * 0.03),
                    (cx - half, y + height * 0.03),
                ]
            )
    half = width * 0.32
    y = base - height * 0.88
    pen.polygon([(cx - half, y), (cx, base - height * 0.975), (cx + half, y)])
    pen.rect(cx - 1.2, base - height, cx + 1.2, base - height * 0.97)
    crescent(pen, cx, base - height * 1.01, width * 0.12, tilt=-math.pi / 2)


def pointed_arch(
    x0: float, x1: float, spring: float, bottom: float, sharpness: float = 0.85
) -> list[Point]:
    """The outline of a two-centred (pointed) arch opening from `bottom` up."""
    span = x1 - x0
    radius = span * sharpness
    mid = (x0 + x1) / 2
    end = math.acos((span / 2 - radius) / radius)
    left, right = [], []
    for i in range(21):
        angle = math.pi - (math.pi - end) * i / 20
        left.append((x0 + radius + radius * math.cos(angle), spring - radius * math.sin(angle)))
        right.append((2 * mid - left[-1][0], left[-1][1]))
    return [(x0, bottom), (x0, spring), *left, *reversed(right), (x1, spring), (x1, bottom)]


def arcade(pen: Pen, x0: float, x1: float, base: float, height: float, count: int) -> None:
    """A wall pierced by a row of pointed arches."""
    pen.rect(x0, base - height, x1, base)
    bay = (x1 - x0) / count
    for i in range(count):
        left = x0 + i * bay + bay * 0.16
        right = left + bay * 0.68
        pen.polygon(pointed_arch(left, right, base - height * 0.52, base), cut=True)


def mosque(pen: Pen, rng: random.Random, cx: float, base: float, scale: float) -> None:
    """A prayer hall with a main dome, smaller domes and minarets at both ends."""
    hall = 520 * scale
    pen.rect(cx - hall / 2, base - 90 * scale, cx + hall / 2, base)
    pen.rect(cx - hall / 2 - 6, base - 98 * scale, cx + hall / 2 + 6, base - 88 * scale)
    dome(pen, cx, base - 96 * scale, 190 * scale, 190 * scale)
    for side in (-1, 1):
        for step in (1, 2):
            dome(pen, cx + side * step * 115 * scale, base - 96 * scale, 70 * scale, 70 * scale)
        minaret(
            pen,
            cx + side * (hall / 2 + 24 * scale),
            base,
            34 * scale,
            rng.uniform(390, 430) * scale,
        )


def skyline(pen: Pen, rng: random.Random, base: float, *, low: float, high: float) -> None:
    """Distant city blocks, with here and there a dome or a minaret."""
    x = -20.0
    while x < WIDTH + 20:
        width = rng.uniform(60, 150)
        height = rng.uniform(low, high)
        pen.rect(x, base - height, x + width, base + 2)
        feature = rng.random()
        if feature < 0.12:
            dome(pen, x + width / 2, base - height, width * 0.6, width * 0.5)
        elif feature < 0.2:
            minaret(pen, x + width / 2, base - height, 12, rng.uniform(110, 170))
        x += width + rng.uniform(-20, 6)


def mountains(pen: Pen, rng: random.Random, base: float, *, height: float, waves: int = 4) -> None:
    """A ridge like Mount Uhud's: long, broken, flat-topped in places."""
    phases = [rng.uniform(0, math.tau) for _ in range(waves)]
    frequencies = [rng.uniform(0.6, 1.4) * (i + 1) for i in range(waves)]
    ridge = []
    for i in range(161):
        x = WIDTH * i / 160
        wave = sum(
            math.sin(x / WIDTH * math.tau * freq + phase) / (n + 1)
            for n, (freq, phase) in enumerate(zip(frequencies, phases, strict=True))
        )
        ridge.append((x, base - height * (0.62 + 0.3 * wave) + rng.uniform(-3, 3)))
    pen.polygon(
        [
            (-10, HEIGHT + 10),
            (-10, ridge[0][1]),
            *ridge,
            (WIDTH + 10, ridge[-1][1]),
            (WIDTH + 10, HEIGHT + 10),
        ]
    )


def palm(pen: Pen, rng: random.Random, x: float, base: float, height: float) -> None:
    """A date palm: a leaning, tapering trunk and a crown of feathered fronds."""
    lean = rng.uniform(-0.14, 0.14)
    top = (x + lean * height, base - height)
    control = (x + lean * height * 0.15, base - height * 0.5)
    left, right = [], []
    for i in range(21):
        t = i / 20
        px = (1 - t) ** 2 * x + 2 * (1 - t) * t * control[0] + t**2 * top[0]
        py = (1 - t) ** 2 * base + 2 * (1 - t) * t * control[1] + t**2 * top[1]
        half = height * (0.035 - 0.016 * t)
        left.append((px - half, py))
        right.append((px + half, py))
    pen.polygon([*left, *reversed(right)])
    fronds = rng.randint(9, 12)
    for i in range(fronds):
        angle = math.pi + math.pi * (i + rng.uniform(-0.3, 0.3)) / (fronds - 1)
        frond(pen, top, angle, height * rng.uniform(0.38, 0.5))
    for side in (-1, 1):
        pen.ellipse(
            top[0] + side * height * 0.03, top[1] + height * 0.05, height * 0.03, height * 0.045
        )


def frond(pen: Pen, root: Point, angle: float, length: float) -> None:
    """One palm frond: a drooping rib with leaflets on both sides, pointing to the tip."""
    steps = 22
    spine = [
        (
            root[0] + length * t * math.cos(angle),
            root[1] + length * t * math.sin(angle) + 0.5 * length * t * t,
        )
        for t in (i / steps for i in range(steps + 1))
    ]
    pen.line(spine, width=max(2.0, length * 0.014))
    for i in range(2, steps + 1):
        t = i / steps
        (x, y), (nx, ny) = spine[i], _normal(spine, i)
        tx, ty = ny, -nx
        reach = length * 0.2 * math.sin(math.pi * min(t, 0.92)) ** 0.7
        for side in (-1, 1):
            # Leaflets sweep forward and sag a little under their own weight.
            end = (
                x + (side * nx * 0.8 + tx * 0.6) * reach,
                y + (side * ny * 0.8 + ty * 0.6) * reach + reach * 0.25,
            )
            pen.line([(x, y), end], width=max(1.6, length * 0.01))


def _normal(points: list[Point], i: int) -> Point:
    a = points[max(i - 1, 0)]
    b = points[min(i + 1, len(points) - 1)]
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1
    return -dy / length, dx / length


def umbrella(pen: Pen, cx: float, top: float, width: float, depth: float, ground: float) -> None:
    """One of the Prophet's Mosque's courtyard umbrellas, open: a canopy on a tall column."""
    half = width / 2
    underside = [
        (cx + half * s, top + depth * (1 - abs(s)) ** 1.8) for s in (i / 20 - 1 for i in range(41))
    ]
    scallops = []
    for i in range(4, -1, -1):
        x = cx - half + width * i / 4
        scallops.append((x, top))
        if i:
            scallops.append((x - width / 8, top + depth * 0.16))
    pen.polygon([*underside, *scallops])
    pen.rect(cx - width * 0.016, top + depth * 0.8, cx + width * 0.016, ground)
    pen.rect(cx - width * 0.03, ground - 12, cx + width * 0.03, ground)


def plane(pen: Pen, cx: float, cy: float, length: float, heading: float) -> None:
    """An airliner seen from below, climbing away."""
    body = [
        (0.5, 0),
        (0.44, 0.035),
        (0.3, 0.045),
        (-0.42, 0.04),
        (-0.5, 0.012),
        (-0.5, -0.012),
        (-0.42, -0.04),
        (0.3, -0.045),
        (0.44, -0.035),
    ]
    wing = [(0.1, 0.04), (-0.14, 0.5), (-0.22, 0.5), (-0.12, 0.04)]
    tail = [(-0.34, 0.03), (-0.45, 0.19), (-0.5, 0.19), (-0.47, 0.03)]
    engine = [(0.06, 0.17), (0.06, 0.22), (-0.08, 0.22), (-0.08, 0.17)]
    shapes = [body]
    for part in (wing, tail, engine):
        shapes.append(part)
        shapes.append([(x, -y) for x, y in part])
    cos, sin = math.cos(heading), math.sin(heading)
    for shape in shapes:
        pen.polygon(
            [
                (cx + length * (x * cos - y * sin), cy + length * (x * sin + y * cos))
                for x, y in shape
            ]
        )


def control_tower(pen: Pen, x: float, base: float, height: float) -> None:
    pen.polygon(
        [
            (x - height * 0.05, base),
            (x - height * 0.035, base - height * 0.78),
            (x + height * 0.035, base - height * 0.78),
            (x + height * 0.05, base),
        ]
    )
    pen.polygon(
        [
            (x - height * 0.08, base - height * 0.78),
            (x - height * 0.12, base - height * 0.9),
            (x + height * 0.12, base - height * 0.9),
            (x + height * 0.08, base - height * 0.78),
        ]
    )
    pen.rect(x - height * 0.13, base - height * 0.94, x + height * 0.13, base - height * 0.9)
    pen.rect(x - 1.5, base - height, x + 1.5, base - height * 0.94)


def tent_roof_terminal(pen: Pen, x0: float, x1: float, base: float, height: float) -> None:
    """A long terminal under a row of tent-like peaks."""
    pen.rect(x0, base - height * 0.55, x1, base)
    peaks = int((x1 - x0) / (height * 1.1))
    bay = (x1 - x0) / peaks
    for i in range(peaks):
        left = x0 + i * bay
        pen.polygon(
            [
                (left, base - height * 0.55),
                (left + bay / 2, base - height),
                (left + bay, base - height * 0.55),
            ]
        )
        pen.rect(left + bay / 2 - 1.5, base - height * 1.12, left + bay / 2 + 1.5, base - height)


def bus_front(pen: Pen, cx: float, base: float, width: float) -> None:
    """A shuttle bus coming towards the viewer: its body."""
    height = width * 1.05
    pen.rect(cx - width / 2, base - height, cx + width / 2, base - width * 0.06)
    pen.ellipse(cx, base - height, width / 2, width * 0.06)


def bus_front_details(pen: Pen, cx: float, base: float, width: float, *, lights: bool) -> None:
    """The windscreen, the sign above it and the wheels (or, with `lights`, the headlamps)."""
    height = width * 1.05
    if lights:
        for side in (-1, 1):
            pen.ellipse(cx + side * width * 0.32, base - width * 0.22, width * 0.07, width * 0.05)
        return
    pen.rect(cx - width * 0.43, base - height * 0.86, cx + width * 0.43, base - height * 0.42)
    pen.rect(cx - width * 0.3, base - height * 0.97, cx + width * 0.3, base - height * 0.9)
    pen.rect(cx - width * 0.46, base - width * 0.12, cx + width * 0.46, base - width * 0.08)
    for side in (-1, 1):
        x = cx + side * width * 0.36
        pen.rect(x - width * 0.07, base - width * 0.06, x + width * 0.07, base)


ROAD_HALF_WIDTH = 720


def road(pen: Pen, horizon: float, vanish_x: float) -> None:
    """A straight road to the horizon; its edges meet at `vanish_x`."""
    pen.polygon(
        [
            (vanish_x - 4, horizon),
            (vanish_x + 4, horizon),
            (vanish_x + ROAD_HALF_WIDTH, HEIGHT),
            (vanish_x - ROAD_HALF_WIDTH, HEIGHT),
        ]
    )


def road_edges(pen: Pen, horizon: float, vanish_x: float) -> None:
    for side in (-1, 1):
        pen.polygon(
            [
                (vanish_x + side * 3, horizon),
                (vanish_x + side * 4, horizon),
                (vanish_x + side * (ROAD_HALF_WIDTH - 30), HEIGHT),
                (vanish_x + side * (ROAD_HALF_WIDTH - 44), HEIGHT),
            ]
        )


def lane_marks(pen: Pen, horizon: float, vanish_x: float) -> None:
    depth = HEIGHT - horizon
    t = 0.06
    while t < 1:
        t_end = t + 0.05 + t * 0.08
        y0, y1 = horizon + depth * t**1.6, horizon + depth * min(t_end, 1) ** 1.6
        for lane in (-0.33, 0.33):
            x0 = vanish_x + lane * ROAD_HALF_WIDTH * t**1.6
            x1 = vanish_x + lane * ROAD_HALF_WIDTH * min(t_end, 1) ** 1.6
            width = 1 + 10 * t
            pen.polygon(
                [
                    (x0 - width / 2, y0),
                    (x0 + width / 2, y0),
                    (x1 + width / 2, y1),
                    (x1 - width / 2, y1),
                ]
            )
        t = t_end + 0.04 + t * 0.1
