"""``/registries``: the providers other registries list, imported here, in a section per
source labelled with that registry, its address, fetch time and validity — in Japanese and
English, accessible; linked from every page's footer."""

from __future__ import annotations

import json

import httpx
import pytest

from credstack.core.access.actors import Operator
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.federation import imports
from credstack.settings import Settings
from tests.conftest import serve
from tests.entrypoints.web.pages.test_programmes import get_page
from tests.entrypoints.web.pages.test_registry import check_accessibility
from tests.services.recognitions.test_service import prepare

SOURCE = "https://registry.example.my/ctdl.jsonld"
GRAPH = {"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": [
    {"@id": "https://credentialengineregistry.org/resources/ce-0b7d1c2a",
     "@type": "ceterms:CredentialOrganization", "ceterms:ctid": "ce-0b7d1c2a",
     "ceterms:name": {"en": "Universiti Malaya", "ja": "マラヤ大学"},
     "ceterms:address": {"ceterms:addressCountry": "MY"},
     "ceterms:sameAs": "did:web:um.example.my"},
    {"@id": "https://credentialengineregistry.org/resources/ce-5c1e9b3f",
     "@type": "ceterms:MicroCredential", "ceterms:name": {"en": "Data science"},
     "ceterms:ownedBy": "https://credentialengineregistry.org/resources/ce-0b7d1c2a"},
]}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_imported_providers_are_shown_apart_and_labelled(settings: Settings,
                                                         language: str) -> None:
    store = prepare(settings)
    store.sessions.kw["bind"].dispose()
    for live in serve(store.settings):
        with httpx.Client(base_url=live.url, timeout=30) as http:
            empty = get_page(http, f"/registries?lang={language}")
            assert ("取り込んだ登録簿はありません" if language == "ja"
                    else "No registry has been imported") in empty.text
            with open_runtime(settings=store.settings) as runtime:
                imports.import_ctdl(runtime, actor=Operator("test"), url=SOURCE,
                                    names={"ja": "マレーシア資格機構", "en": "MQA"},
                                    document=json.dumps(GRAPH).encode())
            page = get_page(http, f"/registries?lang={language}")
            check_accessibility(page, language)
            heading = "マレーシア資格機構 が掲載" if language == "ja" else "Listed by MQA"
            assert heading in [h.text.strip() for h in page.all("h2")]
            assert ("マラヤ大学" if language == "ja" else "Universiti Malaya") in page.text
            assert SOURCE in page.text and "Data science" in page.text
            assert ("期限の定めなし" if language == "ja" else "No end stated") in page.text
            assert any(a.attrs.get("href") == "/registries" for a in page.all("a"))
