"""Badge images: Open Badges baked into PNG and SVG images and read back out of them, and
the fonts and logos a badge is drawn with (:mod:`.service`)."""

from credstack.services.badges.service import (
    badge_fonts,
    badge_logo,
    badge_style,
    design_for_stored,
    extract_credential,
    image_format,
    is_baked_image,
    render_badge_png,
)

__all__ = ["badge_fonts", "badge_logo", "badge_style", "design_for_stored", "extract_credential",
           "image_format", "is_baked_image", "render_badge_png"]
