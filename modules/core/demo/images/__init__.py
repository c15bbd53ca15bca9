"""Pictures for the demo content, drawn with Pillow rather than downloaded.

Madinah scenes in silhouette — the Prophet's Mosque under its umbrellas, Quba mosque, the
airport, the Hijrah road, palm groves below Mount Uhud — over a sky in the committee's
green and gold, with eight-point star patterns. A seed varies the palette and the layout, so
every item gets its own picture and the same seed always draws the same one.

There is no lettering: Arabic needs shaping, which Pillow has only when built with raqm.
"""

from .canvas import HEIGHT, WIDTH
from .scenes import SCENES, draw_scene, jpeg_bytes, scene_jpeg

__all__ = ["HEIGHT", "SCENES", "WIDTH", "draw_scene", "jpeg_bytes", "scene_jpeg"]
