"""Framework profiles: which descriptors a framework requires and which rules apply.

Each profile is a data file in ``profiles/`` (``jp-mc``, ``eu-2022``, ``au-nmf-2022``,
``my-mqa``, ``jp-rishu``); this module reads and checks them. Adding a framework is adding a
file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from credstack.core import yamltext
from credstack.core.descriptors.catalogue import descriptors_by_key
from credstack.core.descriptors.models import MultilingualText
from credstack.core.descriptors.rules import Rule
from credstack.errors import UnknownProfileError


class Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: MultilingualText
    summary: MultilingualText
    source: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _known_descriptors(self) -> Self:
        known = descriptors_by_key()
        for key in (*self.required, *self.optional):
            if key not in known:
                raise ValueError(f"profile {self.id} names unknown descriptor {key!r}")
        overlap = set(self.required) & set(self.optional)
        if overlap:
            raise ValueError(f"profile {self.id} lists {sorted(overlap)} as required and optional")
        return self


@cache
def profiles() -> dict[str, Profile]:
    """Every bundled profile, by id, in a stable order."""
    folder = resources.files(__package__).joinpath("profiles")
    loaded = [
        Profile.model_validate(yamltext.load(entry.read_text(encoding="utf-8")))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    ]
    order = ["jp-mc", "eu-2022", "au-nmf-2022", "my-mqa", "jp-rishu"]
    loaded.sort(key=lambda p: (order.index(p.id) if p.id in order else len(order), p.id))
    return {profile.id: profile for profile in loaded}


def get_profile(profile_id: str) -> Profile:
    try:
        return profiles()[profile_id]
    except KeyError:
        known = ", ".join(profiles())
        raise UnknownProfileError(
            f"Unknown framework profile {profile_id!r}; known profiles: {known}."
        ) from None
