"""Who followed a link: a person, or a program that fetched it to show a preview.

Chat apps, social networks and mail scanners fetch every link in a message they carry to draw
its preview card or to check it for malware; counted, each would say "opened" for a learner
who never looked. They say who they are in ``User-Agent`` (Slack's ``Slackbot-LinkExpanding``,
``facebookexternalhit``, ``Discordbot``, ``TelegramBot``, ``WhatsApp``, ``SkypeUriPreview``,
``LinkedInBot``, Microsoft's ``BingPreview``, Google's ``Google-Safety``…), and by convention
the words *bot*, *crawler*, *spider* or *preview*. What hides behind a browser's agent (some
mail gateways do) cannot be told apart, and is counted; a request naming no agent at all is
a program's, never a browser's.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["fetched_for_a_preview"]

_PREVIEWERS: Final = re.compile(
    r"bot\b|bot[/;-]|crawler|spider|preview|facebookexternalhit|facebookcatalog|whatsapp|"
    r"slack|skypeuri|embedly|google-safety|google-inspectiontool|linkexpand|"
    r"microsoft office|ms-office|outlook-ios|yahoo! slurp|nuzzel|bitly|iframely|vkshare",
    re.IGNORECASE)


def fetched_for_a_preview(user_agent: str | None) -> bool:
    """Whether a request with this ``User-Agent`` came from a program fetching the link for a
    preview or a scan rather than from a person's browser."""
    if not user_agent or not user_agent.strip():
        return True
    return _PREVIEWERS.search(user_agent) is not None
