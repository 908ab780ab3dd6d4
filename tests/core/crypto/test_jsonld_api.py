"""PyLD's JSON-LD API, imported without the loader that would fetch with requests."""

from __future__ import annotations

import json
import subprocess
import sys

from pyld import jsonld as pyld_jsonld

from credstack.core.crypto.jsonld_api import jsonld

#: Imports the API in a fresh interpreter, then says which fetching libraries that imported,
#: whether PyLD's own default loader fetches the URL it is given, and whether requests
#: imports afterwards.
_PROBE = """
import json, sys
from credstack.core.crypto.jsonld_api import jsonld
fetchers = sorted({"requests", "urllib3", "aiohttp"} & set(sys.modules))
try:
    jsonld.expand({"@context": "https://contexts.example/never", "name": "x"})
    refused = False
except jsonld.JsonLdError:
    refused = True
import requests
print(json.dumps({"fetchers": fetchers, "refused": refused, "requests": requests.__name__}))
"""


def test_it_is_pyld_s_own_api() -> None:
    """The module is PyLD's ``pyld.jsonld``, nothing wrapped."""
    assert jsonld is pyld_jsonld


def test_importing_it_imports_no_fetcher_and_pyld_fetches_nothing_by_itself() -> None:
    """A process that imports the API imports neither requests (nor urllib3) nor aiohttp,
    PyLD's default document loader refuses a URL instead of fetching it, and requests is
    still importable afterwards."""
    probed = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                            check=True, timeout=120)
    assert json.loads(probed.stdout) == {"fetchers": [], "refused": True,
                                         "requests": "requests"}
