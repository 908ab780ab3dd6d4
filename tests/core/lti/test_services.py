"""Reading NRPS and AGS answers: the next page from a Link header or the body, a loop
refused, members and results read as the specifications' examples write them."""

from __future__ import annotations

import pytest

from credstack.core.lti.services import Pages, line_item_of, members, next_page, results
from credstack.errors import InputError


def test_the_next_page_is_read_from_the_link_header_or_the_body() -> None:
    """RFC 8288's ``rel="next"`` first; a body's ``next`` otherwise."""
    header = ('<https://lms.example/m?p=1>; rel="prev", '
              '<https://lms.example/m?p=3>; rel="next"')
    assert next_page(header, {}) == "https://lms.example/m?p=3"
    assert next_page("", {"next": "https://lms.example/m?p=2"}) == "https://lms.example/m?p=2"
    assert next_page("", []) is None


def test_a_page_read_twice_is_a_loop() -> None:
    """The reading stops with the rule ``lti-page-loop``."""
    pages = Pages()
    pages.visit("https://lms.example/m?p=1")
    with pytest.raises(InputError) as refused:
        pages.visit("https://lms.example/m?p=1")
    assert refused.value.problems[0].rule == "lti-page-loop"


def test_members_as_nrps_writes_them() -> None:
    """NRPS 2.0 §2.4.1's example: learners, roles, e-mail lowered, names as given."""
    page = {"members": [
        {"status": "Active", "name": "山田 花子", "email": "Hanako@Example.jp",
         "user_id": "0ae836b9", "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
        {"status": "Inactive", "family_name": "Doe", "given_name": "Jane", "user_id": "5f8a",
         "roles": ["Learner"]},
        {"name": "no id"}]}
    found = members(page)
    assert [(m.user_id, m.name, m.email, m.learner, m.active) for m in found] == [
        ("0ae836b9", "山田 花子", "hanako@example.jp", True, True),
        ("5f8a", "Doe Jane", None, True, False)]


def test_results_take_the_line_item_maximum_when_they_have_none() -> None:
    """AGS 2.0 §3.2.7's result container, with and without ``resultMaximum``."""
    body = [{"userId": "1", "resultScore": 80, "resultMaximum": 100},
            {"userId": "2", "resultScore": 7}, {"userId": "3"}]
    found = results(body, score_maximum=10)
    assert [(r.user_id, r.score, r.maximum) for r in found] == [
        ("1", 80, 100), ("2", 7, 10), ("3", None, 10)]
    assert results({"content": body}, score_maximum=None)[1].maximum is None


def test_a_line_item_is_found_by_id_tag_resource_or_label() -> None:
    item = {"id": "https://lms.example/li/1", "tag": "final", "label": "Final exam"}
    for wanted in ("https://lms.example/li/1", "final", "Final exam"):
        assert line_item_of([item], wanted) == item
    assert line_item_of([item], "quiz") is None
