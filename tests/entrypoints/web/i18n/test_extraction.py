"""How ``pybabel extract`` finds the message keys, and that the template holds them all."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from credstack.entrypoints.web.i18n import extraction

ROOT = Path(__file__).resolve().parents[4]


def _found(method: object, source: str) -> list[tuple[str, object]]:
    found = method(io.BytesIO(source.encode()), {}, (), {})  # type: ignore[operator]
    return [(function, key) for _line, function, key, _notes in found]


def test_a_template_names_keys_by_t_and_t_plural() -> None:
    """Literal keys of t() and t.plural() are found; a key built at run time is not."""
    source = ("{{ t('nav.programmes') }} {{ t.plural('list.total', n) }}"
              "{{ t('jobs.kind.' ~ kind) }} {{ other('nav.home') }}")
    assert _found(extraction.templates, source) == [
        ("gettext", "nav.programmes"), ("ngettext", ("list.total", "list.total"))]


def test_a_page_names_keys_by_t_and_t_plural() -> None:
    """The pages' Python: the same two calls, with a literal key."""
    source = ("problem = t('nav.programmes', n=1)\ncount = t.plural('list.total', 3)\n"
              "label = t(key)\nother('nav.home')\n")
    assert _found(extraction.python, source) == [
        ("gettext", "nav.programmes"), ("ngettext", ("list.total", "list.total"))]


def test_the_list_names_keys_one_a_line() -> None:
    """keys.txt: a key a line, "plural" after a plural one, comments and blank lines skipped."""
    source = "# built from codes\n\njobs.kind.export  # the export\ncount.error plural\n"
    assert _found(extraction.listed, source) == [
        ("gettext", "jobs.kind.export"), ("ngettext", ("count.error", "count.error"))]


def test_a_key_carries_its_english_words_for_translators() -> None:
    """The note a translator reads beside a key is its English text."""
    (found,) = extraction.listed(io.BytesIO(b"count.error plural\n"), {}, (), {})
    assert found[3] == ["en: {n} error", "en: {n} errors"]


def test_the_template_holds_every_key_the_pages_name() -> None:
    """``babel.cfg`` run over the pages finds exactly the template's keys, plurals as plurals:
    a key added to a page and not extracted (``python3 dev.py messages``) fails here."""
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    extracted = {(message if isinstance(message, str) else message[0],
                  isinstance(message, tuple))
                 for _path, _line, message, _notes, _context
                 in extract_from_dir(str(extraction.LOCALE.parent), method_map, options_map)}
    with (extraction.LOCALE / "messages.pot").open("rb") as file:
        template = {(message.id[0] if message.pluralizable else message.id,
                     message.pluralizable) for message in read_po(file) if message.id}
    assert extracted == template
