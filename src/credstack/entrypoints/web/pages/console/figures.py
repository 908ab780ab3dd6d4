"""``/console/figures``: the platform's figures per month as SVG bar charts, each with its
numbers as a table beside it; ``/console/figures.csv``: the same numbers as CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.figures import Month, bar_chart, series_csv
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.console.views import NO_STORE, page
from credstack.services.console import figures

router = APIRouter(include_in_schema=False)


@router.get("/console/figures", response_class=HTMLResponse)
def figures_page(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 months: Annotated[int, Query(ge=1, le=120)] = 12) -> Response:
    found = figures.platform_figures(runtime, actor=access, months=months)
    t = i18n.Translator(i18n.negotiate(request).language)

    def label(month: Month) -> str:
        return f"{month.year}年{month.month}月" if t.language == "ja" else str(month)

    charts = []
    for series in found.series({key: str(t(f"console.figure.{key}"))
                                for key in found.counts}):
        charts.append(bar_chart(series, title=series.label, month_label=label,
                                description=str(t("console.figures.describe",
                                                  first=label(found.first),
                                                  last=label(found.last),
                                                  n=f"{series.total:,}"))))
    return page(request, "console_figures.html", here="figures", charts=charts,
                totals=found.totals, months=months)


@router.get("/console/figures.csv")
def figures_csv(runtime: RuntimeDep, access: WebUserDep,
                months: Annotated[int, Query(ge=1, le=120)] = 12) -> Response:
    found = figures.platform_figures(runtime, actor=access, months=months)
    text = series_csv(found.series({}))
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8", headers={
        **NO_STORE, "Content-Disposition":
            f'attachment; filename="credstack-figures-{found.first}-{found.last}.csv"'})
