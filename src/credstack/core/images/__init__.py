"""Badge images: the SVG design of a programme, its PNG rendering, what a baked image holds.

* :mod:`~credstack.core.images.badge_svg` — the badge design (SVG), from a programme's
  descriptors or from an OB 3.0 achievement.
* :mod:`~credstack.core.images.badge_png` — that design rendered to a 512 × 512 PNG.
* :mod:`~credstack.core.images.baked` — what a baked image carries (:class:`Extracted`),
  shared by :mod:`credstack.core.credentials.baking_png` and
  :mod:`credstack.core.credentials.baking_svg`.
"""

from credstack.core.images.badge_svg import (
    BadgeDesign,
    badge_svg,
    design_for_achievement,
    design_for_programme,
)
from credstack.core.images.baked import Extracted, PayloadKind, Standard, standard_of

__all__ = [
    "BadgeDesign",
    "Extracted",
    "PayloadKind",
    "Standard",
    "badge_svg",
    "design_for_achievement",
    "design_for_programme",
    "standard_of",
]
