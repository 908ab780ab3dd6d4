"""What the authorization server reads and answers, apart from any web framework.

The web adapter turns a Starlette request into an :class:`HttpRequest` (its method, the URL
it was sent to on the public base URL, headers, query and form fields, or its JSON body) and
an :class:`HttpResponse` back into a response. authlib's grants and endpoints read the
request through :class:`Request` and :class:`JsonRequest`, its framework-neutral request
types: the authorization endpoint's parameters are the query's and the form's together (the
consent form posts back to the URL the client sent the learner to), the token endpoint's the
form's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import JsonPayload, OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749 import JsonRequest as _JsonRequest


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One HTTP request to the authorization server."""

    method: str
    #: The URL it was sent to, on the public base URL.
    url: str
    headers: Mapping[str, str]
    query: Mapping[str, Sequence[str]] = field(default_factory=dict)
    form: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: The parsed JSON body (registration), or None.
    json: Any = None
    #: The address it came from (for the audit log).
    ip: str = "unknown"


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """The answer: a JSON object (or an empty body), its status and headers."""

    status: int
    body: Mapping[str, Any] | str
    headers: Sequence[tuple[str, str]] = ()

    def json(self) -> Mapping[str, Any]:
        return self.body if isinstance(self.body, Mapping) else {}

    @property
    def location(self) -> str | None:
        return next((value for name, value in self.headers if name.lower() == "location"), None)

    def content(self) -> bytes:
        if isinstance(self.body, Mapping):
            return json.dumps(self.body, ensure_ascii=False).encode("utf-8")
        return self.body.encode("utf-8")


class _Payload(OAuth2Payload):  # type: ignore[misc]
    """The parameters: the first value of each for ``data``, all of them for ``datalist``
    (authlib refuses a parameter given twice where RFC 6749 §3.1 says so)."""

    def __init__(self, *sources: Mapping[str, Sequence[str]]) -> None:
        merged: defaultdict[str, list[Any]] = defaultdict(list)
        for source in sources:
            for name, values in source.items():
                merged[name].extend(values)
        self._datalist = merged
        self._data = {name: values[0] for name, values in merged.items() if values}

    @property
    def data(self) -> dict[str, Any]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[Any]]:
        return self._datalist


class Request(OAuth2Request):  # type: ignore[misc]
    """An :class:`HttpRequest` as authlib's grants read it."""

    def __init__(self, http: HttpRequest) -> None:
        # authlib reads one header, client authentication's, by this spelling.
        authorization = next((value for name, value in http.headers.items()
                              if name.lower() == "authorization"), None)
        super().__init__(method=http.method, uri=http.url, headers={} if authorization is None
                         else {"Authorization": authorization})
        self.http = http
        self.payload = _Payload(http.query, http.form)
        self._form = {name: values[0] for name, values in http.form.items() if values}
        self._args = {name: values[0] for name, values in http.query.items() if values}
        #: Why the request was refused, in more words than the OAuth error (for the audit).
        self.refusal: str | None = None

    @property
    def args(self) -> dict[str, Any]:
        return self._args

    @property
    def form(self) -> dict[str, Any]:
        return self._form


class _Json(JsonPayload):  # type: ignore[misc]
    def __init__(self, data: Any) -> None:
        self._data = data

    @property
    def data(self) -> Any:
        return self._data


class JsonRequest(_JsonRequest):  # type: ignore[misc]
    """A JSON request (client registration) as authlib's endpoints read it."""

    def __init__(self, http: HttpRequest) -> None:
        super().__init__(http.method, http.url, dict(http.headers))
        self.http = http
        self.payload = _Json(http.json)
