"""The credstack demo data set: fictional providers and their micro-credential programmes.

The data is plain descriptor YAML in ``data/`` beside this module: ``organisations.yaml``
lists the providers (universities, a college of technology, a vocational school, companies,
academic societies, a MOOC platform, providers in Malaysia, Australia, Germany, Korea,
Thailand, Vietnam and Indonesia) and one recognition body; every other file holds the
programmes of one group of providers, in Japanese and English; ``world-languages.yaml``
holds programmes also described in Korean, Simplified Chinese, Thai, Vietnamese,
Indonesian and Malay, for the registry's search in every script. Most programmes conform
to the Japanese common descriptors (jp-mc);
some are 履修証明 programmes (jp-rishu); the foreign providers' programmes follow their own
framework (my-mqa, au-nmf-2022, eu-2022). A few are deliberately *not* micro-credentials or
fail jp-mc, each marked with a YAML comment saying why, so that validation has something to
report. Every name is fictional and every URL is on an example domain.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from credstack.core.descriptors import Documents, Format, read_documents
from credstack.core.descriptors.models import Programme
from credstack.core.organisations import Organisation


@cache
def load_demo_documents() -> Documents:
    """Every organisation and programme of the demo set, merged from ``data/*.yaml``."""
    folder = resources.files(__name__).joinpath("data")
    organisations: list[Organisation] = []
    programmes: list[Programme] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        documents = read_documents(
            entry.read_text(encoding="utf-8"), Format.YAML, source=f"demo/data/{entry.name}"
        )
        organisations.extend(documents.organisations)
        programmes.extend(documents.programmes)
    return Documents(tuple(organisations), tuple(programmes))
