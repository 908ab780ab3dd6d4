"""The demo's skills (issue 17): the デジタルスキル標準 published as a CASE framework, Japanese
labels for the ESCO skills the demo uses, and the demo programmes' outcomes aligned by hand
(``skill_alignments.yaml``). ESCO alignments are made only when ESCO has been imported
(``credstack skills esco``); the rest needs nothing from outside.

Unlike the programmes, these go through the services as the operator, so they are audited.
:func:`prepare_demo_role` saves the demo employer's role (:data:`ROLE_TITLE`) on the match
page's behalf, as ``employer@demo.example`` would from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from credstack.core import yamltext
from credstack.core.access import Operator
from credstack.core.skills.standards import bundled_standard, standard_package
from credstack.demo.creditbank import account_actor
from credstack.errors import NotFoundError
from credstack.services.programmes import published
from credstack.services.runtime import Runtime
from credstack.services.skills import alignments, catalogue, roles
from credstack.services.skills.standards import import_standard

__all__ = ["EMPLOYER_EMAIL", "ROLE_TITLE", "DemoSkills", "demo_alignments", "load_demo_skills",
           "prepare_demo_role"]

_OPERATOR = Operator("demo")

#: The demo employer, and the role they saved on the match page.
EMPLOYER_EMAIL = "employer@demo.example"
ROLE_TITLE = "データアナリスト（新卒） / Junior data analyst"
_ROLE_TEXT = ("データを収集・整理し、分析して業務の改善に役立てる。"
              "Collects, cleans and analyses data to improve the business.")
#: Its skills, by their codes in the デジタルスキル標準.
_ROLE_SKILLS = ("DSS-L.what.data", "DSS-L.what.data.handle")


@dataclass(frozen=True, slots=True)
class DemoSkills:
    alignments: int
    labels: int
    #: Alignments left out: their skill is in no imported framework (ESCO not imported).
    skipped: int


def demo_alignments() -> dict[str, Any]:
    """``skill_alignments.yaml``: ``labels`` (URI → language → label) and ``alignments``
    (programme code → [outcome, skill reference])."""
    text = resources.files(__name__.rpartition(".")[0]).joinpath(
        "skill_alignments.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yamltext.load(text)
    return data


def _dss_uris(base_url: str) -> dict[str, str]:
    package, _ = standard_package(bundled_standard("dss"), base_url=base_url)
    return {item.human_coding_scheme or "": item.uri for item in package.items}


def resolve(reference: str, dss: dict[str, str]) -> str:
    """A skill reference of the file as an item URI (``dss:<code>`` or a URI)."""
    return dss.get(reference.removeprefix("dss:"), reference) if reference.startswith("dss:") \
        else reference


def load_demo_skills(runtime: Runtime) -> DemoSkills:
    """Publish the DSS framework, seed the labels and align the demo programmes (idempotent)."""
    import_standard(runtime, actor=_OPERATOR, name="dss")
    data = demo_alignments()
    labels = 0
    for uri, names in (data.get("labels") or {}).items():
        try:
            found = catalogue.item(runtime, key=uri)
        except NotFoundError:
            continue
        for language, text in names.items():
            if found.labels.get(language) != text:
                catalogue.set_label(runtime, actor=_OPERATOR, key=uri, language=language,
                                    label=text)
                labels += 1
    dss = _dss_uris(runtime.settings.public_url)
    codes = {summary.code: summary.id for summary in published.published_programmes(
        runtime, limit=1000).items}
    made = skipped = 0
    for code, pairs in (data.get("alignments") or {}).items():
        programme_id = codes.get(code)
        if programme_id is None:
            continue
        for outcome, reference in pairs:
            try:
                alignments.confirm(runtime, actor=_OPERATOR, programme_id=programme_id,
                                   outcome=int(outcome), skill=resolve(reference, dss))
                made += 1
            except NotFoundError:
                skipped += 1
    return DemoSkills(made, labels, skipped)


def prepare_demo_role(runtime: Runtime) -> roles.SavedRole:
    """The demo employer's saved role (saved once; again, the same role)."""
    employer = account_actor(runtime, EMPLOYER_EMAIL)
    found = [role for role in roles.saved(runtime, actor=employer) if role.title == ROLE_TITLE]
    if found:
        return found[0]
    dss = _dss_uris(runtime.settings.public_url)
    return roles.save(runtime, actor=employer, title=ROLE_TITLE, text=_ROLE_TEXT,
                      skills=[dss[code] for code in _ROLE_SKILLS])
