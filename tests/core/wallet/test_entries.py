"""A record entry is stored as JSON and read back unchanged, the programme's recognition
with it; entries from before recognition was kept read as not known."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from credstack.core.verification.json_values import instant
from credstack.core.verification.report import Meaning
from credstack.core.wallet.entries import Entry, Summary, entry_of, totals_of

ENTRY = Entry(title={"ja": "半導体製造装置の保全技術", "en": "Semiconductor equipment"},
              issuer_id="did:key:z6Mk", issuer_name="火の国高専",
              issued=dt.datetime(2025, 4, 1, tzinfo=dt.UTC), hours=Decimal("45"),
              credits=(("jp-tani", Decimal("1")),), levels=(("JEQF", 5),),
              outcomes=({"ja": "説明できる", "en": "Describe"},), fields=("engineering",),
              issuer_names={"ja": "火の国高専", "en": "Hinokuni College"},
              is_micro_credential=True, recognition="withdrawn")


def test_an_entry_is_read_back_as_it_was_written() -> None:
    assert Entry.from_dict(ENTRY.to_dict()) == ENTRY


@given(st.datetimes(timezones=st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=9)), dt.timezone(dt.timedelta(hours=-5))])))
def test_dates_are_read_back_as_the_same_instants(moment: dt.datetime) -> None:
    stored = dataclasses.replace(ENTRY, issued=moment, expires=moment).to_dict()
    read = Entry.from_dict(stored)
    assert read.issued == moment == instant(stored["issued"])
    assert read.expires == moment


def test_dates_in_other_xml_schema_forms_are_still_read() -> None:
    stored = ENTRY.to_dict() | {"issued": "2025-04-01T24:00:00Z", "expires": "not a date"}
    read = Entry.from_dict(stored)
    assert read.issued == dt.datetime(2025, 4, 2, tzinfo=dt.UTC)
    assert read.expires is None


def test_an_entry_kept_before_recognition_was_recorded_reads_as_not_known() -> None:
    stored = ENTRY.to_dict()
    del stored["recognition"]
    assert Entry.from_dict(stored).recognition is None


def test_a_credential_without_meaning_keeps_its_name_dates_and_recognition() -> None:
    entry = entry_of(None, {"name": "A badge", "validFrom": "2025-04-01T00:00:00Z"},
                     recognition="none")
    assert entry.title == {"und": "A badge"} and entry.recognition == "none"
    assert entry.issued == dt.datetime(2025, 4, 1, tzinfo=dt.UTC)


def test_totals_add_hours_and_credits_by_system_and_field() -> None:
    totals = totals_of([ENTRY, ENTRY])
    assert totals.count == 2 and totals.hours == Decimal("90")
    assert totals.credits == (("jp-tani", Decimal("2")),)
    assert [(item.field, item.count) for item in totals.by_field] == [("engineering", 2)]


def test_a_summary_holds_what_the_order_and_the_totals_need_of_an_entry() -> None:
    stored = ENTRY.to_dict()
    summary = Summary.from_members([stored[member] for member in Summary.MEMBERS])
    assert (summary.issued, summary.expires, summary.hours, summary.credits, summary.fields) == (
        ENTRY.issued, ENTRY.expires, ENTRY.hours, ENTRY.credits, ENTRY.fields)
    assert totals_of([summary]) == totals_of([ENTRY])
    assert not summary.expired(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert Summary.from_members([None] * len(Summary.MEMBERS)) == Summary(None, None, None, (), ())


def test_the_issuer_is_named_in_each_language_the_registry_knows_when_it_registered_it(
        ) -> None:
    """The credential names its issuer once (here in Japanese); the registry's names of the
    organisation that registered the achievement give the others."""
    registry = {"organisation_did": "did:web:example.jp",
                "organisation_name": {"ja": "北都工科大学", "en": "Hokuto Institute of Technology"}}
    meaning = Meaning(issuer_id="did:web:example.jp", issuer_name="北都工科大学",
                      registry=registry)
    entry = entry_of(meaning, {})
    assert entry.issuer_in("en") == "Hokuto Institute of Technology"
    assert entry.issuer_in("ja") == "北都工科大学"
    assert Entry.from_dict(entry.to_dict()) == entry
    # Another issuer of a registered achievement is named as its credential names it.
    other = entry_of(dataclasses.replace(meaning, issuer_id="did:key:z6Mk"), {})
    assert other.issuer_names == {} and other.issuer_in("en") == "北都工科大学"


def test_an_entry_kept_before_the_issuers_names_were_recorded_reads_with_its_one_name() -> None:
    stored = ENTRY.to_dict()
    del stored["issuer"]["names"]
    read = Entry.from_dict(stored)
    assert read.issuer_names == {} and read.issuer_in("en") == "火の国高専"


def test_a_credit_recognition_is_an_entry_of_its_own_kind_counted_apart() -> None:
    """A credit bank's approved decision (``ext:CreditRecognition``) reads as the credits
    recognised toward a programme of so many, in its system; the totals count it apart, and
    it adds no credential, hours, credits or field — it is no programme completed (issue 51,
    defect 1). Its summary, read from the store, says the same."""
    document = {"name": "Credit recognised: 1 of 4 credits toward Data science",
                "credentialSubject": {"creditsEarned": 1, "achievement": {
                    "achievementType": "ext:CreditRecognition", "creditsAvailable": 4,
                    "microCredential": {"creditsAvailableSystem": "jp-tani"}}}}
    meaning = Meaning(types=("VerifiableCredential", "OpenBadgeCredential"),
                      issuer_id="did:web:example.jp", issuer_name="Hokuto",
                      achievement_type="ext:CreditRecognition",
                      achievement_name=document["name"])
    entry = entry_of(meaning, document)
    assert entry.credit is not None
    assert (entry.credit.granted, entry.credit.total, entry.credit.system) == (
        Decimal(1), Decimal(4), "jp-tani")
    assert Entry.from_dict(entry.to_dict()) == entry
    stored = entry.to_dict()
    summary = Summary.from_members([stored[member] for member in Summary.MEMBERS])
    for totals in (totals_of([ENTRY, entry]), totals_of([ENTRY, summary])):
        assert (totals.count, totals.hours, totals.recognitions) == (1, Decimal("45"), 1)
        assert totals.credits == (("jp-tani", Decimal("1")),)
        assert [(item.field, item.count) for item in totals.by_field] == [("engineering", 1)]
    assert entry_of(dataclasses.replace(meaning, achievement_type="Certificate"),
                    document).credit is None
