"""Issue 51, defect 12: how good the alignment page's suggestions are on the demo data.

The demo programmes are imported into a scratch SQLite store with the bundled デジタルスキル標準
(the one framework a demo store holds: ESCO needs ``credstack skills esco``), and each
programme's suggestions are asked of the service the provider's page calls
(:func:`credstack.services.skills.alignments.suggestions`), in Japanese and in English. They
are scored against the demo's alignments made by hand (``credstack/demo/skill_alignments.yaml``,
written reading each outcome beside the framework, never from the ranker's output); only the
hand alignments to the DSS are counted, the ESCO ones having no item in such a store.

Figures, per page language, over the outcomes with a hand alignment:

* **P@3** — the share of the first three suggestions that are hand-aligned (an outcome has one
  or two, so 0.33–0.67 is the most it can reach);
* **hit@1 / hit@3** — outcomes whose first suggestion / one of the first three is hand-aligned;
* **MRR@5** — the mean reciprocal rank of the first hand-aligned suggestion in the first five;

and over every outcome of every demo programme, **none**: outcomes given no suggestion at all.

Run: ``PYTHONPATH=src .venv/bin/python bench/skill_suggestions.py`` (with another checkout's
``src`` on the path for its figures: the script uses only what both versions have).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from credstack.core.access import Operator
from credstack.demo.programmes import load_demo_programmes
from credstack.demo.skills import demo_alignments, resolve
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.programmes import published
from credstack.services.runtime import Runtime
from credstack.services.skills import alignments, catalogue
from credstack.services.skills.standards import import_standard
from measure import print_figures, scratch_store

console = Console()
ACTOR = Operator("bench")


def _ranked(runtime: Runtime, programme_id: int, language: str) -> list[list[str]]:
    """Each outcome's suggested item URIs, best first, as the page lists them."""
    found = alignments.suggestions(runtime, actor=ACTOR, programme_id=programme_id,
                                   language=language)
    return [[entry[0].uri for entry in outcome.suggested] for outcome in found]


def figures(runtime: Runtime) -> list[dict[str, str]]:
    dss = {item.code or "": uri for uri, item in catalogue.items(
        runtime, catalogue.hierarchy(runtime)).items()}
    codes = {summary.code: summary.id for summary in published.published_programmes(
        runtime, limit=1000).items}
    hand: dict[str, dict[int, set[str]]] = {}
    for code, pairs in (demo_alignments().get("alignments") or {}).items():
        for outcome, reference in pairs:
            if reference.startswith("dss:"):
                hand.setdefault(code, {}).setdefault(int(outcome), set()).add(
                    resolve(reference, dss))
    rows = []
    for language in ("ja", "en"):
        precision: list[float] = []
        first: list[float] = []
        three: list[float] = []
        reciprocal: list[float] = []
        none = outcomes = 0
        for code, programme_id in sorted(codes.items()):
            for index, ranked in enumerate(_ranked(runtime, programme_id, language)):
                outcomes += 1
                none += not ranked
                wanted = hand.get(code, {}).get(index)
                if not wanted:
                    continue
                precision.append(sum(uri in wanted for uri in ranked[:3]) / 3)
                first.append(float(bool(ranked) and ranked[0] in wanted))
                three.append(float(any(uri in wanted for uri in ranked[:3])))
                reciprocal.append(next((1 / rank for rank, uri in enumerate(ranked[:5], 1)
                                        if uri in wanted), 0.0))
        rows.append({"page language": language, "outcomes (hand-aligned)": str(len(first)),
                     "P@3": f"{_mean(precision):.3f}", "hit@1": f"{_mean(first):.1%}",
                     "hit@3": f"{_mean(three):.1%}", "MRR@5": f"{_mean(reciprocal):.3f}",
                     "none (of every outcome)": f"{none} of {outcomes}"})
    return rows


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main() -> int:
    with scratch_store("sqlite") as settings, open_runtime(settings=settings) as runtime:
        load_demo_programmes(runtime, only_if_empty=False)
        import_standard(runtime, actor=ACTOR, name="dss")
        print_figures(console, "Alignment suggestions on the demo (DSS, hand alignments)",
                      figures(runtime))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
