"""Notices to learners, on SQLite and PostgreSQL: an expiry coming is told once per notice
day reached (30, then 7 days before), to the address the credential was e-mailed to, and not
once it has expired; for every organisation (the scheduler's run) or one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import update

from credstack.adapters.db.tables import IssuedCredentialRow
from credstack.adapters.keystore import new_master_key_text
from credstack.core.access.actors import Operator
from credstack.core.activity.notices import NoticeSettings
from credstack.entrypoints.bootstrap import open_runtime
from credstack.services.activity import notices
from credstack.services.issuance import emails as mail_events
from credstack.services.mail import service as mail
from credstack.settings import Settings
from tests.accounts import issued_credentials, provider_store, store_session
from tests.conftest import Clock

LEARNER = "expiring@example.jp"
OPERATOR = Operator("test")


def _expiring(settings: Settings, clock: Clock) -> tuple[Settings, str]:
    """A credential valid for 40 more days, e-mailed to its learner."""
    secret = new_master_key_text()
    keyed = dataclasses.replace(settings, secret_key=secret)
    provider_store(keyed, secret=secret, now=clock.now)
    [credential_id] = issued_credentials(keyed, secret=secret, now=clock.now, batch="x",
                                         cohort=f"email\n{LEARNER}\n")
    with store_session(keyed) as session:
        row = session.query(IssuedCredentialRow).one()
        document = json.loads(row.document)
        until = clock.now + dt.timedelta(days=40)
        document["validUntil"] = until.isoformat()
        # Only the end of validity is read here (as issuing stores it beside the document);
        # the signature is no one's concern.
        session.execute(update(IssuedCredentialRow).values(document=json.dumps(document),
                                                           valid_until=until))
        mail_events.credentials_issued(session, credentials=[mail_events.IssuedCredential(
            credential_id, LEARNER, {"en": "Data"}, {"en": "Hokuto"}, clock.now.date())],
            organisation="hokuto-tech", language="en", now=clock.now)
    return keyed, credential_id


def _subjects(runtime: object) -> list[str]:
    return [message.subject or "" for message in mail.mailbox(runtime, address=LEARNER)]


def test_an_expiry_is_told_at_30_and_7_days_and_never_after(settings: Settings) -> None:
    clock = Clock()
    keyed, _ = _expiring(settings, clock)
    local = dataclasses.replace(keyed, demo=True)
    with open_runtime(settings=local, clock=clock) as runtime:
        notices.save_settings(runtime, actor=OPERATOR, organisation="hokuto-tech",
                              chosen=NoticeSettings(None, (30, 7)))
        assert notices.send_due(runtime, actor=OPERATOR)["expiry_notices"] == 0
        clock.advance(days=11)  # 29 days left
        assert notices.send_due(runtime, actor=OPERATOR)["expiry_notices"] == 1
        assert notices.send_due(runtime, actor=OPERATOR)["expiry_notices"] == 0
        clock.advance(days=23)  # 6 days left
        assert notices.send_due(runtime, actor=OPERATOR,
                                organisation="hokuto-tech")["expiry_notices"] == 1
        clock.advance(days=7)  # expired
        assert notices.send_due(runtime, actor=OPERATOR)["expiry_notices"] == 0
        subjects = _subjects(runtime)
    assert sum("expires soon" in subject for subject in subjects) == 2
