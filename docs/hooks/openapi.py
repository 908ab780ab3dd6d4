"""MkDocs hook: the OpenAPI reference page rendered from the application itself.

The app is built (never started) on a throw-away SQLite store, its OpenAPI description is
written into the built site as ``openapi.json``, and ``openapi.md``'s marker is replaced by a table
of every operation, grouped by tag. The reference is therefore always the served API's, not a
copy that drifts from it.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files

MARKER = "<!-- openapi-operations -->"
METHODS = ("get", "post", "put", "patch", "delete")


@cache
def _description() -> dict[str, Any]:
    # Imported here, not at the top: MkDocs loads hooks before anything is built, and a build
    # without the package installed should fail on this page only, naming what is missing.
    from credstack.entrypoints.web.app import create_app
    from credstack.settings import Settings

    with tempfile.TemporaryDirectory(prefix="credstack-docs-") as directory:
        settings = Settings.from_env(data_dir=Path(directory))
        return create_app(settings, run_jobs=False).openapi()


#: The folders of the built site that hold a language's pages (mkdocs.yml's i18n languages).
LANGUAGE_FOLDERS = ("", "ja")


def on_post_build(config: Any) -> None:
    # Written into the built site, not among the pages: the i18n plugin builds each language
    # into a folder of its own, reads every page from a file, and runs this hook once.
    text = json.dumps(_description(), indent=1)
    for folder in LANGUAGE_FOLDERS:
        target = Path(config["site_dir"], folder)
        target.mkdir(parents=True, exist_ok=True)
        (target / "openapi.json").write_text(text, encoding="utf-8")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _operations() -> str:
    description = _description()
    groups: dict[str, list[str]] = {}
    for path, item in sorted(description["paths"].items()):
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            summary = operation.get("summary") or operation.get("description") or ""
            first = summary.splitlines()[0] if summary else ""
            groups.setdefault(tag, []).append(
                f"| `{method.upper()}` | `{path}` | {_cell(first)} |")
    sections = [f"{len(description['paths'])} paths, version {description['info']['version']}."]
    for tag in sorted(groups):
        sections.append(f"\n## {tag}\n\n| method | path | what |\n| --- | --- | --- |\n"
                        + "\n".join(groups[tag]))
    return "\n".join(sections)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, _operations())
