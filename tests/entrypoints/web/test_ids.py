"""Every integer a route takes (path or query) is bounded at the edge: an id past what the
store can hold (2^31 on PostgreSQL's ``integer``, 2^63 on SQLite) is a 422 or a 404, never a
500. The walk covers every route of the application — the OpenAPI description's and the
pages' — signed in as a registry admin (web session and bearer token) so that no sign-in
page answers before the id is read."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from credstack.entrypoints.web.app import create_app
from credstack.entrypoints.web.ids import MAX_ID
from tests import patiently
from tests.accounts import signed_in_client
from tests.conftest import OPERATOR, LiveServer, operator_token

HUGE = (2**31, 2**63, 10**30)


def _is_int(annotation: object) -> bool:
    """An int, an optional int or a list of ints, however annotated."""
    if annotation is int:
        return True
    return any(_is_int(argument) for argument in typing.get_args(annotation))


def _api_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every route with its full path, inside included routers too."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes,
                                   prefix + route.include_context.prefix)


def _routes(server: LiveServer) -> list[tuple[str, str, list[str], list[str]]]:
    """(method, path, int path parameters, int query parameters) of every route taking an
    integer."""
    found: list[tuple[str, str, list[str], list[str]]] = []
    for full_path, route in _api_routes(create_app(server.settings).routes):
        hints = typing.get_type_hints(route.endpoint, include_extras=True)
        path_ints = [p.name for p in route.dependant.path_params
                     if _is_int(hints.get(p.name, p.field_info.annotation))]
        query_ints = [q.alias for q in route.dependant.query_params
                      if _is_int(hints.get(q.name, q.field_info.annotation))]
        if path_ints or query_ints:
            found.extend((method, full_path, path_ints, query_ints)
                         for method in sorted(route.methods or ()))
    return found


@pytest.fixture
def clients(server: LiveServer) -> Iterator[list[httpx.Client]]:
    token = operator_token(server)
    with signed_in_client(server.url, OPERATOR) as browser, httpx.Client(
            base_url=server.url, timeout=30,
            headers={"Authorization": f"Bearer {token}"}) as api:
        yield [api, browser]


def test_no_integer_parameter_past_the_stores_range_is_a_server_error(
        server: LiveServer, clients: list[httpx.Client]) -> None:
    routes = _routes(server)
    assert len(routes) > 30, "the walk found the routes"
    failures = []
    for method, template, path_ints, query_ints in routes:
        for huge in HUGE:
            path = template
            for name in path_ints:
                path = path.replace("{" + name + "}", str(huge))
            path = path.replace("{slug}", "hokuto-tech")
            for other in [part for part in path.split("/") if part.startswith("{")]:
                path = path.replace(other, "x")
            query = {name: str(huge) for name in query_ints}
            for client in clients:
                answer = client.request(method, path, params=query, json={},
                                        headers={"accept": "text/html"
                                                 if client is clients[1] else "*/*"})
                if answer.status_code >= 500:
                    failures.append(f"{method} {path}?{query} → {answer.status_code}")
    # Ids given as text and parsed by the route (the comparison's ``ids=12,34``).
    for path in ("/compare", "/api/compare"):
        for huge in HUGE:
            for client in clients:
                answer = client.get(path, params={"ids": f"1,{huge}"})
                if answer.status_code not in (404, 422):
                    failures.append(f"GET {path}?ids=1,{huge} → {answer.status_code}")
    assert failures == [], "\n".join(failures)


def test_the_openapi_description_states_the_bound_of_every_integer_parameter(
        server: LiveServer) -> None:
    """A client reads the range from the description: ``maximum`` on each integer
    parameter, at most PostgreSQL's ``integer`` range (2^31 - 1)."""
    document = patiently.get(f"{server.url}/openapi.json").json()
    unbounded = [f"{method.upper()} {path} {parameter['name']}"
                 for path, operations in document["paths"].items()
                 for method, operation in operations.items()
                 for parameter in operation.get("parameters", [])
                 for schema in [parameter.get("schema", {})]
                 for integer in [schema.get("items", schema) if schema.get("type") == "array"
                                 else schema]
                 if integer.get("type") == "integer"
                 and not integer.get("maximum", MAX_ID + 1) <= MAX_ID]
    assert unbounded == [], unbounded
