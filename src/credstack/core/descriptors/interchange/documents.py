"""What one file holds, the formats it may be written in, and a record read from it before
it is parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from credstack.core.descriptors.models import Programme
from credstack.core.organisations import Organisation
from credstack.core.said import Said
from credstack.errors import UnreadableInputError


class Format(StrEnum):
    YAML = "yaml"
    JSON = "json"
    CSV = "csv"
    #: CTDL JSON-LD (Credential Engine's Credential Transparency Description Language).
    CTDL = "ctdl"
    #: Open Badges 3.0 ``Achievement`` JSON.
    OB3 = "ob3"
    #: An ELM v3 dataset of Qualifications and LearningOpportunities (JSON-LD).
    ELM = "elm"

    @classmethod
    def from_filename(cls, name: str) -> Format:
        """The format a file name says; ``.json`` and ``.jsonld`` are JSON, and reading
        JSON recognises CTDL and OB 3.0 content by its shape."""
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        formats = {"yaml": cls.YAML, "yml": cls.YAML, "json": cls.JSON, "jsonld": cls.JSON,
                   "csv": cls.CSV}
        if suffix not in formats:
            raise UnreadableInputError(
                f"Cannot tell the format of {name!r} from its name; "
                "use .yaml, .yml, .json or .csv (.jsonld for CTDL or OB 3.0), or name the "
                "format explicitly."
            )
        return formats[suffix]


@dataclass(frozen=True, slots=True)
class Documents:
    """What one file holds, fully parsed."""

    organisations: tuple[Organisation, ...] = ()
    programmes: tuple[Programme, ...] = ()


@dataclass(slots=True)
class _Record:
    """One raw record and how to name a place inside it for a person."""

    data: Any
    label: str
    locate: Any = field(default=None)  # Callable[[tuple[str | int, ...]], str]
    #: Why the record cannot be read at all (its shape is not the format's), if it cannot.
    problem: Said | None = None
