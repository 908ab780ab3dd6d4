"""The index on disk: ``<data dir>/registry-index/``.

``index.bin`` holds one build: a header (JSON: format, counts, the index's generation and
the *store generation* it reflects, where each section lies) followed by the sections —
bitmaps in Roaring's portable serialisation, number arrays as raw little-endian words,
tables as JSON. It is written to a temporary file and renamed over the old one, so a crash
leaves the old index or the new, never half of one. Reading the header alone is enough to
tell whether the index is current (:func:`read_header`).

``secret`` holds the 32 random bytes page tokens are signed with (file mode 0600). It outlives
rebuilds, so a visitor's "next page" link keeps working across a ``registry reindex``.
"""

from __future__ import annotations

import json
import os
import secrets
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final, cast

import orjson
from pyroaring import BitMap

from credstack.adapters.search.index import (
    SORT_ORDERS,
    IndexData,
    StoreGeneration,
    TitleOrder,
)
from credstack.adapters.search.ordering import SortOrder
from credstack.adapters.search.vocabulary import Vocabulary
from credstack.core.registry.documents import Provider
from credstack.core.registry.query import FACETS, LANGUAGES
from credstack.errors import ConfigurationError

__all__ = ["INDEX_DIRECTORY", "IndexHeader", "index_path", "load", "read_header", "save",
           "secret_for"]

INDEX_DIRECTORY: Final = "registry-index"
_FILE: Final = "index.bin"
_SECRET: Final = "secret"  # noqa: S105 (a file name, not a password)
_MAGIC: Final = b"CSRI\x00\x01"
#: 2: the skill facet's names (issue 17); an index of an older format is built again.
FORMAT: Final = 2
_U64: Final = struct.Struct("<Q")


def index_path(data_dir: Path) -> Path:
    return data_dir / INDEX_DIRECTORY


IndexHeader = dict[str, Any]


def _array_bytes(values: array[int]) -> bytes:
    if sys.byteorder == "little":
        return values.tobytes()
    copy = array(values.typecode, values)
    copy.byteswap()
    return copy.tobytes()


def _array_from(typecode: str, raw: memoryview) -> array[int]:
    values = array(typecode)
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _bitmaps_blob(bitmaps: Iterable[BitMap]) -> bytes:
    parts = [bitmap.serialize() for bitmap in bitmaps]
    offsets = array("Q", [0])
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return _U64.pack(len(parts)) + _array_bytes(offsets) + b"".join(parts)


def _bitmaps_from(raw: memoryview) -> Iterator[BitMap]:
    (count,) = _U64.unpack_from(raw, 0)
    offsets = _array_from("Q", raw[8:8 + 8 * (count + 1)])
    base = 8 + 8 * (count + 1)
    for index in range(count):
        # Roaring reads any buffer; the stubs name bytes only.
        yield BitMap.deserialize(cast(bytes, raw[base + offsets[index]:base + offsets[index + 1]]))


def _json(value: Any) -> bytes:
    return orjson.dumps(value)


def _sections(data: IndexData) -> Iterator[tuple[str, bytes]]:
    yield "programme_ids", _array_bytes(data.programme_ids)
    yield "versions", _array_bytes(data.versions)
    yield "title_refs", _array_bytes(data.title_refs)
    yield "provider_refs", _array_bytes(data.provider_refs)
    yield "live", data.live.serialize()
    for name in ("postings", "title_postings"):
        table: dict[str, BitMap] = getattr(data, name)
        yield f"{name}.terms", _json(list(table))
        yield f"{name}.bitmaps", _bitmaps_blob(table.values())
    for name in ("facets", "complements"):
        tables: dict[str, dict[str, BitMap]] = getattr(data, name)
        keys = [[facet, value] for facet, values in tables.items() for value in values]
        yield f"{name}.values", _json(keys)
        yield f"{name}.bitmaps", _bitmaps_blob(tables[f][v] for f, v in keys)
    yield "titles", _json(data.titles)
    yield "providers", _json([[p.slug, p.kind, dict(p.name)] for p in data.providers])
    yield "skill_names", _json(data.skill_names)
    for language, order in data.title_orders.items():
        yield f"title_order.{language}.texts", _json(order.texts)
        yield f"title_order.{language}.values", _array_bytes(
            array("I", (order.values[text] for text in order.texts)))
    for name in SORT_ORDERS:
        sort = data.sorts[name]
        yield f"sort.{name}.keys", _array_bytes(sort.keys)
        yield f"sort.{name}.order", _array_bytes(sort.order)
        yield f"sort.{name}.starts", _array_bytes(array("I", sort.block_starts))
    yield "vocabulary.latin", _json(data.vocabulary.latin)
    yield "vocabulary.frequencies", _json(list(data.vocabulary.frequencies.items()))


def save(data: IndexData, data_dir: Path, *, built_at: str) -> Path:
    """Write ``data`` to ``<data_dir>/registry-index/index.bin``; returns the file."""
    directory = index_path(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / _FILE
    temporary = directory / f".{_FILE}.{secrets.token_hex(4)}.tmp"
    sections = list(_sections(data))
    layout: dict[str, list[int]] = {}
    offset = 0
    for name, blob in sections:
        layout[name] = [offset, len(blob)]
        offset += len(blob)
    header = {
        "format": FORMAT,
        "documents": data.documents,
        "live": len(data.live),
        "terms": len(data.postings),
        "generation": data.generation,
        "updates": data.updates,
        "store_generation": list(data.store_generation),
        "built_at": built_at,
        "sections": layout,
    }
    head = _json(header)
    try:
        with temporary.open("wb") as out:
            out.write(_MAGIC + _U64.pack(len(head)) + head)
            for _, blob in sections:
                out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ConfigurationError(f"Cannot write the registry index to {directory}: "
                                 f"{exc.strerror}.") from None
    return target


def read_header(data_dir: Path) -> IndexHeader | None:
    """The header of the saved index, or None when there is none (or it is unreadable)."""
    path = index_path(data_dir) / _FILE
    try:
        with path.open("rb") as source:
            start = source.read(len(_MAGIC) + 8)
            if len(start) < len(_MAGIC) + 8 or not start.startswith(_MAGIC):
                return None
            (length,) = _U64.unpack_from(start, len(_MAGIC))
            header: IndexHeader = orjson.loads(source.read(length))
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return None
    header["size"] = path.stat().st_size
    return header


def header_generation(header: IndexHeader) -> StoreGeneration:
    count, organisations, changed = header["store_generation"]
    return int(count), int(organisations), str(changed)


def load(data_dir: Path) -> IndexData | None:
    """The saved index, or None when there is none or it cannot be read."""
    path = index_path(data_dir) / _FILE
    try:
        raw = memoryview(path.read_bytes())
    except OSError:
        return None
    try:
        return _decode(raw, data_dir)
    except (ValueError, KeyError, TypeError, IndexError, struct.error,
            orjson.JSONDecodeError):
        return None


def _decode(raw: memoryview, data_dir: Path) -> IndexData | None:
    if bytes(raw[:len(_MAGIC)]) != _MAGIC:
        return None
    (length,) = _U64.unpack_from(raw, len(_MAGIC))
    start = len(_MAGIC) + 8
    header = orjson.loads(raw[start:start + length])
    if header.get("format") != FORMAT:
        return None
    base = start + length

    def section(name: str) -> memoryview:
        offset, size = header["sections"][name]
        return raw[base + offset:base + offset + size]

    def loaded(name: str) -> Any:
        return orjson.loads(section(name))

    data = IndexData(secret=secret_for(data_dir), generation=header["generation"],
                     store_generation=header_generation(header))
    data.updates = int(header.get("updates", 0))
    data.programme_ids = _array_from("I", section("programme_ids"))
    data.versions = _array_from("I", section("versions"))
    data.title_refs = _array_from("I", section("title_refs"))
    data.provider_refs = _array_from("I", section("provider_refs"))
    data.live = BitMap.deserialize(bytes(section("live")))
    for name in ("postings", "title_postings"):
        setattr(data, name, dict(zip(loaded(f"{name}.terms"),
                                     _bitmaps_from(section(f"{name}.bitmaps")), strict=True)))
    for name in ("facets", "complements"):
        tables: dict[str, dict[str, BitMap]] = {facet: {} for facet in FACETS}
        for (facet, value), bitmap in zip(loaded(f"{name}.values"),
                                          _bitmaps_from(section(f"{name}.bitmaps")),
                                          strict=True):
            tables.setdefault(facet, {})[value] = bitmap
        setattr(data, name, tables)
    data.titles = loaded("titles")
    data.title_lookup = {tuple(sorted(title.items())): ref
                         for ref, title in enumerate(data.titles)}
    data.providers = [Provider(slug, kind, name) for slug, kind, name in loaded("providers")]
    data.provider_lookup = {p.slug: ref for ref, p in enumerate(data.providers)}
    data.skill_names = loaded("skill_names")
    for language in LANGUAGES:
        texts = loaded(f"title_order.{language}.texts")
        values = _array_from("I", section(f"title_order.{language}.values"))
        data.title_orders[language] = TitleOrder(texts, dict(zip(texts, values, strict=True)))
    for name in SORT_ORDERS:
        data.sorts[name] = SortOrder.restore(
            _array_from("Q", section(f"sort.{name}.keys")),
            _array_from("I", section(f"sort.{name}.order")),
            _array_from("I", section(f"sort.{name}.starts")))
    data.vocabulary = Vocabulary(loaded("vocabulary.latin"),
                                 dict(loaded("vocabulary.frequencies")))
    ids = data.programme_ids
    data.by_programme = {ids[number]: number for number in data.live}
    return data


def secret_for(data_dir: Path) -> bytes:
    """The index's page-token key, created (mode 0600) the first time it is needed."""
    directory = index_path(data_dir)
    path = directory / _SECRET
    try:
        secret = path.read_bytes()
        if len(secret) == 32:
            return secret
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ConfigurationError(f"Cannot read {path}: {exc.strerror}.") from None
    secret = secrets.token_bytes(32)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(secret)
    except OSError as exc:
        raise ConfigurationError(f"Cannot write {path}: {exc.strerror}.") from None
    return secret


def describe(header: IndexHeader) -> str:
    return json.dumps({k: v for k, v in header.items() if k != "sections"}, ensure_ascii=False)
