"""One-off (issue 53): move the pages' ``(ja, en)`` tuples into gettext catalogues.

Reads every ``MESSAGES`` of ``entrypoints/web/i18n/*.py``, writes ``locale/{ja,en}/…/messages.po``
(a key ``x.one`` becomes the English singular of the plural message ``x``), lists in
``locale/keys.txt`` the keys no ``t(…)`` call names, runs ``dev.py messages`` (extract, update,
compile), then checks, in a fresh process, that the translator says what the tuples said, word
for word, for every key in both languages. Re-run after merging main, then delete the tuple
modules again.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import write_po  # noqa: E402

from credstack.entrypoints.web.i18n import extraction  # noqa: E402

I18N = ROOT / "src" / "credstack" / "entrypoints" / "web" / "i18n"
WEB = I18N.parent
NOT_MESSAGES = {"__init__", "catalogue", "translator", "negotiation", "vocabulary", "scripts",
                "extraction"}


def old_messages() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for path in sorted(I18N.glob("*.py")):
        if path.stem in NOT_MESSAGES:
            continue
        module = importlib.import_module(f"credstack.entrypoints.web.i18n.{path.stem}")
        messages = module.MESSAGES
        clash = merged.keys() & messages.keys()
        assert not clash, clash
        merged.update(messages)
    return merged


def named_keys() -> dict[str, bool]:
    """Every key a call names, and whether as a plural."""
    found: dict[str, bool] = {}
    for pattern, method in (("templates/**/*.html", extraction.templates),
                            ("**/*.py", extraction.python)):
        for path in sorted(WEB.glob(pattern)):
            with path.open("rb") as file:
                for _line, function, message, _notes in method(file, {}, (), {}):
                    key = message[0] if isinstance(message, tuple) else message
                    plural = function == "ngettext"
                    assert found.get(key, plural) == plural, f"{key}: called both ways"
                    found[key] = plural
    return found


def main() -> None:
    old = old_messages()
    plurals = {key.removesuffix(".one") for key in old if key.endswith(".one")}
    keys = {key for key in old if not key.endswith(".one")}
    named = named_keys()
    unknown = set(named) - keys
    assert not unknown, f"named but in no tuple module: {sorted(unknown)}"
    wrongly = {key for key, plural in named.items() if plural and key not in plurals}
    # A plural call to a key with no singular: English says it the same for every count.
    plurals |= wrongly
    singular_call = {key for key, plural in named.items() if not plural and key in plurals}
    assert not singular_call, f"plural keys called as t(…): {sorted(singular_call)}"

    listed = sorted(keys - set(named))
    lines = [
        "# Message keys no t(\"…\") or t.plural(\"…\", n) call names, so that `pybabel extract`",
        "# (babel.cfg) puts them in the catalogues: keys built from a code at run time",
        "# (\"jobs.kind.\" ~ kind) and keys passed along as values (error=\"wallet.error.…\").",
        "# One key a line; \"plural\" after a key makes it a plural message (t.plural).",
    ]
    area = None
    for key in listed:
        if key.split(".")[0] != area:
            area = key.split(".")[0]
            lines.append("")
        lines.append(f"{key} plural" if key in plurals else key)
    extraction.LISTED.write_text("\n".join(lines) + "\n", encoding="utf-8")

    for index, language in enumerate(("ja", "en")):
        catalog = Catalog(
            locale=language, domain="messages", project="credstack", version="0.1",
            copyright_holder="credstack contributors", fuzzy=False,
            last_translator="credstack contributors",
            language_team=f"credstack {language}",
            header_comment=(
                f"# The {'Japanese' if language == 'ja' else 'English'} words of credstack's "
                "pages.\n# A msgid is a message key (nav.programmes), a msgstr its words,\n"
                "# {placeholders} kept as they are. `python3 dev.py messages` adds\n"
                "# the new keys; their words are written here.\n"
                "# Distributed under credstack's license."))
        for key in sorted(keys):
            if key in plurals:
                one = old.get(f"{key}.one", old[key])[index]
                forms = (old[key][index],) if language == "ja" else (one, old[key][index])
                catalog.add((key, key), forms)
            else:
                catalog.add(key, old[key][index])
        path = extraction.LOCALE / language / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write_po(file, catalog, omit_header=False, sort_output=True, no_location=True)
    extraction._english.cache_clear()

    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    dev.BIN = Path(sys.executable).parent
    assert dev.messages() == 0
    fixture = ROOT / ".convert-old.json"
    fixture.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    try:
        subprocess.run([sys.executable, __file__, "verify"], check=True, cwd=ROOT)
    finally:
        fixture.unlink()
    print(f"{len(keys)} keys ({len(plurals)} plural, {len(listed)} listed in keys.txt)")


def verify() -> None:
    """In a fresh process: the translator over the new catalogues says what the tuples said."""
    import re
    from decimal import Decimal

    from babel.messages.pofile import read_po
    from markupsafe import escape

    from credstack.entrypoints.web.i18n import Translator, catalogue

    old: dict[str, tuple[str, str]] = json.loads(
        (ROOT / ".convert-old.json").read_text(encoding="utf-8"))
    keys = {key for key in old if not key.endswith(".one")}
    for name in ("messages.pot", "ja/LC_MESSAGES/messages.po", "en/LC_MESSAGES/messages.po"):
        with (catalogue.LOCALE / name).open("rb") as file:
            found = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(file) if m.id}
        assert found == keys, (name, sorted(found ^ keys)[:20])
    checked = 0
    for index, language in enumerate(("ja", "en")):
        t = Translator(language)  # type: ignore[arg-type]
        for key in sorted(keys):
            text = old[key][index]
            names = set(re.findall(r"{(\w+)}", text + old.get(f"{key}.one", ("", ""))[index]))
            values = {name: f"<{name}&>" for name in names if name != "n"}
            if f"{key}.one" in old:
                for count in (0, 1, 2, 3, 11, 21, 100, 1000, Decimal("1.5"), Decimal("1.00")):
                    chosen = f"{key}.one" if count == 1 else key
                    expected = escape(old[chosen][index]).format(
                        n=t.number(count), **values)
                    got = t.plural(key, count, **values)
                    assert got == expected, (key, language, count, got, expected)
                    checked += 1
                continue
            if "n" in names:
                values["n"] = "<n&>"
            expected = escape(text).format(**values) if names else escape(text).format()
            got = t(key, **values)
            assert got == expected, (key, language, got, expected)
            assert t.has(key)
            checked += 1
    print(f"verified {checked} renderings word for word")


if __name__ == "__main__":
    verify() if sys.argv[1:] == ["verify"] else main()
