"""The public registry's pages: search with facets, providers, comparison and sitemaps.

All of them work without JavaScript: the search page is a GET form (keywords, a sort order
and a ``<fieldset>`` of checkboxes per facet) whose answer is a whole page, with a keyset
"next page" link; choosing programmes to compare is a GET form of checkboxes that opens
``/compare?ids=12,34``. With htmx the search form updates the results in place: a facet
checkbox or the sort order asks for ``#search-body`` alone (``HX-Request``), the address bar
follows (``hx-push-url``), and the status line — a ``role="status"`` live region outside the
swapped part — announces the new count. A request htmx makes to restore its history gets the
whole page.

The comparison shown is :func:`credstack.core.registry.comparison.compare` of the newest
published versions; the chosen programmes travel in the URL (``ids``, and ``compare`` on the
search and programme pages that add to a comparison), so a comparison is a link to share.

Sitemaps follow sitemaps.org 0.9: ``/sitemap.xml`` is an index of ``/sitemaps/pages.xml``
(home, search, the programme list), ``/sitemaps/providers-{n}.xml`` and
``/sitemaps/programmes-{n}.xml``; file ``n`` lists the ids of its range of
:data:`SITEMAP_SIZE` (so never more URLs than the protocol allows), streamed in keyset pages
of :data:`SITEMAP_BATCH` rows, never all at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape as xml_escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from credstack.core.descriptors.catalogue import Scope, descriptors
from credstack.core.registry import query as search_query
from credstack.core.registry.comparison import MAX_IDS_LENGTH, MAX_PROGRAMMES, Row, parse_ids
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import MAX_ID
from credstack.entrypoints.web.pages.programmes import PAGE_SIZE, compare_selection
from credstack.entrypoints.web.pages.rendering import render, with_query
from credstack.errors import InputError, NotFoundError
from credstack.services.creditbank import targets as credit_targets
from credstack.services.organisations import logos, providers
from credstack.services.programmes import comparison as programme_comparison
from credstack.services.programmes import published
from credstack.services.programmes.views import StoredProgramme
from credstack.services.registry import service as registry
from credstack.services.registry.service import Hit, SearchResult
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

#: URLs per sitemap file: the most the sitemaps protocol allows.
SITEMAP_SIZE = 50_000
#: Rows read per query while a sitemap file streams.
SITEMAP_BATCH = 5_000
#: Values a facet shows before the rest fold under "more".
FACET_VISIBLE = 8
#: The facets a provider's page counts its programmes by.
PROVIDER_BREAKDOWN = ("field", "delivery_mode", "level", "language")
#: Slugs as the organisation model allows them; anything else names no provider.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
#: Parameters of the search page beyond the facets.
SEARCH_PARAMETERS = ("q", "sort", "lang", "limit", "after")


def _is_htmx(request: Request) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    return (request.headers.get("hx-request") == "true"
            and request.headers.get("hx-history-restore-request") != "true")


def _url(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(pairs))
    return f"{path}?{query}" if query else path


def _pick(text: Mapping[str, str] | None, language: i18n.Language) -> tuple[str, str]:
    """(language tag, text) from a plain ``{"ja": …, "en": …}`` mapping, as
    :meth:`~.i18n.Translator.pick` chooses: this language, else English, else Japanese, else
    any."""
    written = {tag: words for tag, words in (text or {}).items() if words}
    return i18n.Translator(language).pick(written) if written else (language, "")


# --- search -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FacetOption:
    facet: str
    value: str
    label: tuple[str, str]
    count: int
    checked: bool

    @property
    def id(self) -> str:
        """A stable element id, so that htmx can give the focus back after a swap."""
        return f"f-{self.facet}-{self.value.encode().hex()}"


@dataclass(frozen=True, slots=True)
class FacetGroup:
    name: str
    options: tuple[FacetOption, ...]

    @property
    def shown(self) -> tuple[FacetOption, ...]:
        """The first values, and every checked one wherever it ranks."""
        return tuple(o for i, o in enumerate(self.options) if i < FACET_VISIBLE or o.checked)

    @property
    def folded(self) -> tuple[FacetOption, ...]:
        return tuple(o for i, o in enumerate(self.options)
                     if i >= FACET_VISIBLE and not o.checked)


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    facet: str
    label: tuple[str, str]
    remove_url: str


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One hit, with the stored version it names (None if it is no longer published)."""

    hit: Hit
    stored: StoredProgramme | None
    title: tuple[str, str]
    provider: tuple[str, str]


def _search_pairs(request: Request) -> list[tuple[str, str]]:
    """The search parameters this page was asked with, in order, without paging."""
    known = {*SEARCH_PARAMETERS, *search_query.FACETS, "compare"}
    return [(k, v) for k, v in request.query_params.multi_items() if k in known and k != "after"]


def _query_params(request: Request, language: i18n.Language) -> dict[str, str | list[str]]:
    """What :func:`parse_query` reads: the known parameters, facets as lists, our language."""
    params: dict[str, str | list[str]] = {}
    for name in search_query.FACETS:
        values = request.query_params.getlist(name)
        if values:
            params[name] = values
    for name in ("q", "sort", "limit", "after"):
        value = request.query_params.get(name)
        if value is not None:
            params[name] = value
    params["lang"] = searched_in(language)
    return params


def searched_in(language: i18n.Language) -> str:
    """The language a search is made in (its labels and its title order): the index's
    Japanese for a Japanese reader, else its English (it holds no other)."""
    return i18n.Translator(language).document


def _facet_groups(query: search_query.SearchQuery, result: SearchResult,
                  language: i18n.Language
                  ) -> list[FacetGroup]:
    groups = []
    for name in search_query.FACETS:
        counts = list(result.facets.get(name, []))
        chosen = query.filters.get(name, frozenset())
        listed = {c.value for c in counts}
        options = [FacetOption(name, c.value, _pick(c.label, language), c.count,
                               c.value in chosen) for c in counts]
        # A chosen value the index no longer counts stays visible, so it can be unchosen.
        options += [FacetOption(name, value, (language, value), 0, True)
                    for value in sorted(chosen - listed)]
        if options:
            groups.append(FacetGroup(name, tuple(options)))
    return groups


def _active_filters(pairs: list[tuple[str, str]], groups: list[FacetGroup]
                    ) -> list[ActiveFilter]:
    labels = {(o.facet, o.value): o.label for g in groups for o in g.options}
    active = []
    for key, value in pairs:
        if key in search_query.FACETS and value:
            remove = [(k, v) for k, v in pairs if (k, v) != (key, value)]
            active.append(ActiveFilter(key, labels.get((key, value), ("", value)),
                                       _url("/search", remove)))
    return active


def _result_rows(runtime: Runtime, result: SearchResult, language: i18n.Language
                 ) -> list[ResultRow]:
    keys = [(hit.programme_id, hit.version) for hit in result.hits]
    stored = published.published_versions(runtime, keys=keys)
    return [ResultRow(hit, stored.get((hit.programme_id, hit.version)),
                      _pick(hit.title, language), _pick(hit.provider, language))
            for hit in result.hits]


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    language = i18n.negotiate(request).language
    pairs = _search_pairs(request)
    chosen = compare_selection(request.query_params.getlist("compare"))
    context: dict[str, Any] = {
        "text": request.query_params.get("q", "")[:1000],
        "sort": request.query_params.get("sort", search_query.SORTS[0]),
        "sorts": search_query.SORTS, "groups": [], "active": [], "rows": [], "result": None,
        "error": None, "unavailable": False, "next_url": None, "first_url": None,
        "suggestions": [], "paged": request.query_params.get("after") is not None,
        "chosen": chosen, "compare_param": ",".join(str(i) for i in chosen),
        "max_compare": MAX_PROGRAMMES, "clear_url": _url("/search", [
            (k, v) for k, v in pairs if k in ("q", "sort", "compare")]),
    }
    status = 200
    try:
        query = search_query.parse_query(_query_params(request, language))
        # A page token that was altered or belongs to another search is refused here.
        result = registry.search(runtime, query=query)
    except InputError as exc:
        context["error"] = exc
        status = 422
    else:
        if result is None:
            context["unavailable"] = True
            status = 503
        else:
            groups = _facet_groups(query, result, language)
            context.update(
                result=result, groups=groups, active=_active_filters(pairs, groups),
                rows=_result_rows(runtime, result, language),
                sort=query.sort, text=query.text,
                suggestions=[(s, _url("/search", [*((k, v) for k, v in pairs if k != "q"),
                                                  ("q", s)]))
                             for s in result.suggestions],
                next_url=(_url("/search", [*pairs, ("after", result.next_token)])
                          if result.next_token else None),
                first_url=_url("/search", pairs) if context["paged"] else None)
    if _is_htmx(request):
        # htmx swaps only successful answers: a refused query is shown in place, as 200.
        return render(request, "_search_results.html", section="search", oob=True, **context)
    return render(request, "search.html", section="search", status_code=status, **context)


# --- providers --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Breakdown:
    """A provider's published programmes counted by one facet, each linked to its search."""

    facet: str
    items: tuple[tuple[tuple[str, str], int, str], ...]


def _breakdown(runtime: Runtime, slug: str, language: i18n.Language) -> list[Breakdown]:
    query = search_query.parse_query({"provider": [slug], "lang": searched_in(language),
                                      "limit": "1"})
    result = registry.search(runtime, query=query)
    if result is None:
        return []
    found = []
    for name in PROVIDER_BREAKDOWN:
        items = tuple((_pick(c.label, language), c.count,
                       _url("/search", [("provider", slug), (name, c.value)]))
                      for c in result.facets.get(name, []) if c.count)
        if items:
            found.append(Breakdown(name, items))
    return found


@router.get("/providers/{slug}", response_class=HTMLResponse)
def provider_page(
    request: Request, slug: str, runtime: RuntimeDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    compare: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    if not SLUG.fullmatch(slug):
        raise NotFoundError(f"No organisation with slug {slug[:64]!r}.")
    provider = providers.get_provider(runtime, slug=slug)
    page = published.published_programmes(runtime, organisation=slug, limit=PAGE_SIZE,
                                          after=after)
    language = i18n.negotiate(request).language
    chosen = compare_selection([compare] if compare else [])
    return render(
        request, "provider.html", section="programmes", provider=provider,
        items=page.items, total=page.total,
        next_url=with_query(request, after=page.next_after) if page.next_after else None,
        first_url=with_query(request, after=None) if after is not None else None,
        breakdown=_breakdown(runtime, slug, language), chosen=chosen,
        compare_param=",".join(str(i) for i in chosen), max_compare=MAX_PROGRAMMES,
        targets=[item for item in credit_targets.newest_published(runtime)
                 if item.organisation == slug],
        logo=logos.logo(runtime, organisation=slug))


# --- comparison -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One programme's value of one descriptor, shaped for the ``_values.html`` macros."""

    descriptor: Any
    value: object
    at_issuance: bool = False


@dataclass(frozen=True, slots=True)
class Column:
    stored: StoredProgramme
    remove_url: str
    page_url: str


def _ids_url(ids: Sequence[int], **extra: str) -> str:
    if not ids:
        return "/compare"
    return _url("/compare", [("ids", ",".join(str(i) for i in ids)), *extra.items()])


def _compare_problem(request: Request, status: int, fix_ids: Sequence[int], key: str,
                     fix: str = "compare.fix", **values: object) -> HTMLResponse:
    """The comparison page saying what is wrong with ``ids``, with a link that works."""
    t = i18n.Translator(i18n.negotiate(request).language)
    return render(request, "compare.html", section="compare", status_code=status,
                  problem=t(key, **values), fix_url=_ids_url(fix_ids) if fix_ids else None,
                  fix=t(fix, max=MAX_PROGRAMMES), columns=[], max_compare=MAX_PROGRAMMES)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request, runtime: RuntimeDep,
    ids: Annotated[list[str] | None, Query()] = None,
    diff: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    if not ids or not any(i.strip(" ,") for i in ids):
        return render(request, "compare.html", section="compare", problem=None, fix_url=None,
                      fix=None, columns=[], max_compare=MAX_PROGRAMMES)
    try:
        chosen = parse_ids(ids)
    except InputError:
        readable = list(dict.fromkeys(
            int(i) for v in ids[:20] for i in v[:MAX_IDS_LENGTH].split(",")
            if i.strip().isascii() and i.strip().isdigit() and 1 <= int(i.strip()) <= MAX_ID))
        if len(readable) > MAX_PROGRAMMES:
            return _compare_problem(request, 422, readable[:MAX_PROGRAMMES], "compare.too_many",
                                    fix="compare.fix_first", max=MAX_PROGRAMMES,
                                    n=len(readable))
        return _compare_problem(request, 422, readable, "compare.invalid")
    compared = programme_comparison.compare_programmes(runtime, ids=chosen)
    if compared.missing:
        return _compare_problem(request, 404, [s.id for s in compared.programmes],
                                "compare.unknown", ids=", ".join(map(str, compared.missing)))
    stored, comparison = compared.complete()
    ids_param = ",".join(str(s.id) for s in stored)
    columns = [Column(s, _ids_url([o.id for o in stored if o.id != s.id]),
                      f"/programmes/{s.id}?{urlencode({'compare': ids_param})}")
               for s in stored]
    rows: list[Row] = [r for r in comparison.rows if not r.at_issuance]
    shown = [r for r in rows if r.differs] if diff else rows
    cells = [[Cell(r.descriptor, v) for v in r.values] for r in shown]
    at_issuance = [d for d in descriptors() if d.scope is Scope.AWARD]
    return render(
        request, "compare.html", section="compare", problem=None, fix_url=None, fix=None,
        columns=columns, rows=list(zip(shown, cells, strict=True)),
        differing=sum(1 for r in rows if r.differs), effort=comparison.effort, diff=diff,
        at_issuance=at_issuance, ids_param=ids_param, max_compare=MAX_PROGRAMMES,
        diff_url=_ids_url(chosen, diff="1"), all_url=_ids_url(chosen),
        add_url=_url("/search", [("compare", ids_param)]), share_url=_ids_url(chosen))


# --- sitemaps ---------------------------------------------------------------------------

XML = "application/xml"
#: Crawlers read sitemaps now and then; an hour old is fresh enough, and spares the store
#: the index's grouped scan of every published version on each request.
SITEMAP_HEADERS = {"Cache-Control": "public, max-age=3600"}
URLSET = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
          'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')


def _base(request: Request) -> str:
    base: str = request.app.state.settings.public_url
    return base


def _lastmod(moment: dt.datetime) -> str:
    """A W3C datetime in UTC (SQLite gives back naive timestamps, stored in UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="seconds")


def _url_entry(base: str, path: str, lastmod: dt.datetime) -> str:
    """One ``<url>``, with its page in each language offered as alternates."""
    loc = xml_escape(base + path)
    joiner = "&amp;" if "?" in path else "?"
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{lang}" href="{loc}{joiner}lang={lang}"/>'
        for lang in i18n.offered())
    return (f"<url><loc>{loc}</loc><lastmod>{_lastmod(lastmod)}</lastmod>{alternates}"
            f'<xhtml:link rel="alternate" hreflang="x-default" href="{loc}"/></url>\n')


def _range(number: int) -> tuple[int, int]:
    """The ids of sitemap file ``number``: ``(after, until]``."""
    return (number - 1) * SITEMAP_SIZE, number * SITEMAP_SIZE


@router.get("/sitemap.xml")
def sitemap_index(request: Request, runtime: RuntimeDep) -> Response:
    base = _base(request)
    programmes = published.published_ranges(runtime, size=SITEMAP_SIZE)
    organisations = providers.provider_ranges(runtime, size=SITEMAP_SIZE)
    entries = []
    if programmes:
        newest = max(moment for _, moment in programmes)
        entries.append(("/sitemaps/pages.xml", newest))
    entries += [(f"/sitemaps/providers-{n}.xml", moment) for n, moment in organisations]
    entries += [(f"/sitemaps/programmes-{n}.xml", moment) for n, moment in programmes]
    body = ['<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    body += [f"<sitemap><loc>{xml_escape(base + path)}</loc>"
             f"<lastmod>{_lastmod(moment)}</lastmod></sitemap>\n" for path, moment in entries]
    body.append("</sitemapindex>\n")
    return Response("".join(body), media_type=XML, headers=SITEMAP_HEADERS)


@router.get("/sitemaps/pages.xml")
def sitemap_pages(request: Request, runtime: RuntimeDep) -> Response:
    ranges = published.published_ranges(runtime, size=SITEMAP_SIZE)
    if not ranges:
        raise NotFoundError("Nothing is published yet.")
    newest = max(moment for _, moment in ranges)
    base = _base(request)
    targets = credit_targets.newest_published(runtime)
    body = [URLSET, *(_url_entry(base, path, newest) for path in ("/", "/search", "/programmes")),
            *([_url_entry(base, "/targets", max(t.published_at for t in targets))]
              if targets else []),
            *(_url_entry(base, f"/targets/{t.public_id}", t.published_at) for t in targets),
            "</urlset>\n"]
    return Response("".join(body), media_type=XML, headers=SITEMAP_HEADERS)


def _stream(first: list[str], more: Callable[[], Iterator[str]]) -> StreamingResponse:
    """A urlset: the entries read already, then further keyset pages read as it streams."""

    def body() -> Iterator[str]:
        yield URLSET
        yield "".join(first)
        yield from more()
        yield "</urlset>\n"

    return StreamingResponse(body(), media_type=XML, headers=SITEMAP_HEADERS)


#: Reads one keyset page of sitemap rows: (runtime, after=, until=, limit=) → rows whose first
#: column is the keyset id.
RowReader = Callable[..., Sequence[tuple[Any, ...]]]


def _sitemap(request: Request, runtime: Runtime, number: int, *, name: str, nothing: str,
             read: RowReader, entry: Callable[[str, tuple[Any, ...]], str]) -> Response:
    """Sitemap file ``number`` of ``name``: its first page read now, the rest as it streams."""
    after, until = _range(number)
    if number < 1 or until > MAX_ID:
        raise NotFoundError(f"No sitemap {name}-{number}.xml.")
    batch = read(runtime, after=after, until=until, limit=SITEMAP_BATCH)
    if not batch:
        raise NotFoundError(f"No {nothing} in sitemap {name}-{number}.xml.")
    base = _base(request)

    def more() -> Iterator[str]:
        rows = batch
        # Each further page is read as the response streams, in a short transaction of its
        # own: never every row at once.
        while len(rows) == SITEMAP_BATCH:
            rows = read(runtime, after=rows[-1][0], until=until, limit=SITEMAP_BATCH)
            yield "".join(entry(base, row) for row in rows)

    return _stream([entry(base, row) for row in batch], more)


@router.get("/sitemaps/programmes-{number:int}.xml")
def sitemap_programmes(request: Request, number: int, runtime: RuntimeDep) -> Response:
    return _sitemap(request, runtime, number, name="programmes",
                    nothing="published programmes", read=published.published_dates,
                    entry=lambda base, row: _url_entry(base, f"/programmes/{row[0]}", row[1]))


@router.get("/sitemaps/providers-{number:int}.xml")
def sitemap_providers(request: Request, number: int, runtime: RuntimeDep) -> Response:
    return _sitemap(request, runtime, number, name="providers", nothing="providers",
                    read=providers.provider_dates,
                    entry=lambda base, row: _url_entry(base, f"/providers/{row[1]}", row[2]))


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    return Response(f"User-agent: *\nAllow: /\nSitemap: {_base(request)}/sitemap.xml\n",
                    media_type="text/plain")
