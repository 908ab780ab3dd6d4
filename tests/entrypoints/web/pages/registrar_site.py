"""What the tests of the registrar's request pages share (issue 56): a university with its
keys (approving signs documents), a registrar, two students' records imported through the
records page, and the learners' accounts; served at its own URL, its clock movable."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.registrar.records import COLUMNS
from credstack.settings import Settings
from tests.accounts import add_issuer, add_user, signed_in_client, store_session
from tests.conftest import LiveServer, ShiftedClock, at_own_url, serve
from tests.helpers import ORGANISATION

SLUG = ORGANISATION["slug"]
CLERK = "clerk@example.ac.jp"
STUDENT = "hanako@example.com"
#: A second learner, who guesses (so that the first is never made to wait).
GUESSER = "guesser@example.com"
HANAKO = ("20A1001,山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,機械工学科,"
          "学士（工学）,2022-04-01,2026-03-31,卒業")
ICHIRO = ("20A1002,鈴木 一郎,スズキ イチロウ,SUZUKI Ichiro,2003-05-01,工学部,電気工学科,"
          "学士（工学）,2022-04-01,,在学")
EXPORT = "\r\n".join([",".join(COLUMNS), f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,秀",
                      f"{HANAKO},2022-後期,ME102,材料力学,2,jp,良",
                      f"{ICHIRO},2022-前期,EE101,電気回路,2,jp,良"]) + "\r\n"
ADDRESSEE = "Example Corporation, Human Resources"


@dataclass
class Site:
    live: LiveServer
    clock: ShiftedClock


def registrar_site(settings: Settings, *learners: str) -> Iterator[Site]:
    """The university served with the records imported; ``learners`` signed up besides
    :data:`STUDENT` and :data:`GUESSER`."""
    secret = new_master_key_text()
    configured, port = at_own_url(dataclasses.replace(settings, secret_key=secret))
    with store_session(configured) as session:
        add_issuer(session, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
                   secret=MasterKey.from_text(secret, source="test"))
    add_user(configured, CLERK, name="教務 太郎", roles=[(SLUG, "registrar")])
    for email in (STUDENT, GUESSER, *learners):
        add_user(configured, email, name=email.split("@")[0])
    clock = ShiftedClock()
    for live in serve(configured, port=port, clock=clock):
        with signed_in_client(live.url, CLERK) as clerk:
            imported = clerk.post(f"/workspace/{SLUG}/records/import", data={"encoding": ""},
                                  files={"file": ("students.csv", EXPORT.encode("cp932"),
                                                  "text/csv")})
            assert imported.status_code == 200, imported.text
        yield Site(live, clock)
