"""The e-mails: Jinja2 templates in ``templates/``, their words from the e-mails' message
catalogues (:mod:`.catalogue`).

An e-mail to a learner or a member of the public — a credential issued, revoked or noticed
(:data:`CREDENTIAL_NOTICE`), the sign-up link (or the reminder that the address has an
account), the password reset link, an invitation (its role named by the ``access-role``
vocabulary) — speaks its reader's language: Japanese then English to a Japanese or English
reader, the reader's language then English to a reader of the other six; its templates write
one part a language (``sections``). The e-mails only staff read (:data:`STAFF_ONLY`: the
review reminder, the answers to a provider's application) speak Japanese then English to
everyone.

Each kind of e-mail has three templates — ``<name>.subject.txt``, ``<name>.txt`` and
``<name>.html`` — and a function here that turns the context the outbox stored (JSON data,
written when the event happened) into the templates' variables, adding what depends on the
deployment (its public URL). HTML templates escape every value; the subject is one line.
A context function may add images the HTML shows inline (``inline_images``: a QR code), sent
as parts of the message that the HTML names by ``cid:``.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from credstack.adapters.mail import catalogue
from credstack.adapters.mail.images import InlineImage, qr_png
from credstack.core import vocabularies
from credstack.core.access import Role
from credstack.core.mail import credential_links
from credstack.core.oid4vci.offers import by_reference

__all__ = ["ACCOUNT_RECOVERY", "APPLICATION_APPROVED", "APPLICATION_REFUSED", "CREDENTIAL_ISSUED",
           "CREDENTIAL_NOTICE", "CREDENTIAL_REVOKED", "INVITATION", "OFFER_QR_CID",
           "PASSWORD_RESET", "PLATFORM_NAME", "RECOGNITION_DECIDED", "REVIEW_REMINDER",
           "SIGN_UP", "SIGN_UP_EXISTING", "STAFF_LANGUAGES", "STAFF_ONLY", "TEMPLATES",
           "Rendered", "render"]

CREDENTIAL_ISSUED: Final = "credential_issued"
#: The answers to a provider's application to join the platform (the operator's console).
APPLICATION_APPROVED: Final = "application_approved"
APPLICATION_REFUSED: Final = "application_refused"
CREDENTIAL_REVOKED: Final = "credential_revoked"
#: A reminder to claim, an expiry coming, a suspension or a reinstatement (``kind``).
CREDENTIAL_NOTICE: Final = "credential_notice"
REVIEW_REMINDER: Final = "review_reminder"
#: The committee's decision on a provider's application for recognition, once published.
RECOGNITION_DECIDED: Final = "recognition_decided"
INVITATION: Final = "invitation"
SIGN_UP: Final = "sign_up"
SIGN_UP_EXISTING: Final = "sign_up_existing"
PASSWORD_RESET: Final = "password_reset"  # noqa: S105 (a template's name)
#: The link that signs a member who has lost their passkeys in once, to register a new one.
ACCOUNT_RECOVERY: Final = "account_recovery"
#: Who sends an e-mail that no organisation sends (a sign-up, a password reset).
PLATFORM_NAME: Final = "credstack"
#: The ``Content-ID`` of the credential offer's QR code in the "credential issued" e-mail.
OFFER_QR_CID: Final = "offer-qr@credstack"
_JST: Final = dt.timezone(dt.timedelta(hours=9), "JST")
#: The languages of the e-mails only staff read (the review reminder, the answers to a
#: provider's application): Japanese then English, whatever their reader's language.
STAFF_LANGUAGES: Final = ("ja", "en")
STAFF_ONLY: Final = frozenset({REVIEW_REMINDER, RECOGNITION_DECIDED, APPLICATION_APPROVED,
                               APPLICATION_REFUSED})

_environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False,
                                 default=False),
    undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
    lstrip_blocks=True)


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str
    #: Images the HTML shows by ``cid:``, to send with it.
    images: tuple[InlineImage, ...] = ()
    #: The languages it speaks, in order (its ``Content-Language``).
    languages: tuple[str, ...] = ("ja", "en")

    def standalone_html(self) -> str:
        """The HTML as a mail program shows it, for a page that shows the e-mail as sent:
        its inline images put in place (``data:`` URIs for the ``cid:`` parts), its links
        opening in the window around it rather than in the frame it is shown in."""
        html = self.html
        for image in self.images:
            html = html.replace(f'src="cid:{image.cid}"', 'src="data:image/png;base64,'
                                f'{base64.b64encode(image.data).decode("ascii")}"')
        return html.replace("<head>", '<head>\n<base target="_top">', 1)


def _text(value: object, language: str) -> str:
    """A multilingual value (``{"ja": …, "en": …}``) in ``language``, else in English (in
    Japanese for a Japanese reader), else in another."""
    if isinstance(value, Mapping):
        for tag in (language, "ja", "en", *value) if language == "ja" else \
                (language, "en", "ja", *value):
            found = value.get(tag)
            if isinstance(found, str) and found.strip():
                return found
        return ""
    return value if isinstance(value, str) else ""


def _credential_issued(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    """The "credential issued" e-mail's variables: what it says in each language it can be
    written in (``languages``; :func:`render` picks the reader's ``sections``)."""
    issued_on = dt.date.fromisoformat(context["issued_on"])
    variables: dict[str, Any] = {"issued_on": issued_on}
    # The badge is linked from the registry (a public, cached image), not carried: it is the
    # same for every learner of the programme version.
    badge = context.get("badge")
    variables["badge"] = (f"{public_url.rstrip('/')}{badge}"
                          if isinstance(badge, str) and badge.startswith("/badges/") else None)
    # The OID4VCI offer made with the credential (by reference: the served offer names its
    # pre-authorised code), for a wallet app on the device the e-mail is read on.
    offer = context.get("offer")
    variables["offer"] = None
    expires = (_expiry(context["offer_expires_at"], catalogue.LANGUAGES)
               if isinstance(offer, str) and offer else {})
    if isinstance(offer, str) and offer:
        uri = by_reference(f"{public_url}/oid4vci/offers/{offer}")
        variables["offer"] = {"uri": uri, "qr": f"cid:{OFFER_QR_CID}"}
        # A phone's wallet app scans it from the computer the e-mail is read on.
        variables["inline_images"] = [InlineImage(OFFER_QR_CID, qr_png(uri), "offer-qr.png")]
    languages = {}
    for language in catalogue.LANGUAGES:
        # The certificate is written in each of the e-mail's languages: each links its own.
        named = _named(context, public_url, issued_on, language)
        languages[language] = {
            **named, "language": language, "t": catalogue.Words(language),
            "learner": _text(context.get("learner_name") or {}, language),
            "issued_on": catalogue.day(issued_on, language),
            "offer_expires": expires.get(language, "")}
    variables["languages"] = languages
    return variables


def _credential_revoked(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    """The notice that a credential was revoked: what, by whom, where to see it (the
    issuer's reason stays with the issuer), in each language it can be written in."""
    issued_on = dt.date.fromisoformat(context["issued_on"])
    return {"issued_on": issued_on, "languages": {
        language: {**_notice(context, public_url, issued_on, language), "language": language,
                   "t": catalogue.Words(language),
                   "issued_on": catalogue.day(issued_on, language)}
        for language in catalogue.LANGUAGES}}


def _notice(context: Mapping[str, Any], public_url: str, issued_on: dt.date, language: str
            ) -> dict[str, Any]:
    """What a notice about a credential names in ``language``: its title, its organisation
    and its verification page."""
    named = _named(context, public_url, issued_on, language)
    return {"title": named["title"], "organisation": named["organisation"],
            "verify": named["links"].verify}


def _named(context: Mapping[str, Any], public_url: str, issued_on: dt.date, language: str
           ) -> dict[str, Any]:
    """A credential notice's title, organisation and links in ``language``."""
    title = _text(context["title"], language)
    organisation = _text(context["organisation_name"], language)
    return {"title": title, "organisation": organisation,
            "links": credential_links(public_url, credential_id=context["credential_id"],
                                      title=title, organisation_name=organisation,
                                      issued_on=issued_on, language=language)}


def _credential_notice(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    """A notice about a credential (see :data:`CREDENTIAL_NOTICE`): ``kind`` is
    ``reminder``, ``expiring`` (with ``valid_until`` and ``days``), ``suspended`` or
    ``reinstated``, in each language it can be written in."""
    kind = str(context["kind"])
    if kind not in {"reminder", "expiring", "suspended", "reinstated"}:
        raise ValueError(f"no notice of kind {kind!r}")
    issued_on = dt.date.fromisoformat(context["issued_on"])
    until = (_expiry(context["valid_until"], catalogue.LANGUAGES)
             if context.get("valid_until") else {})
    languages = {}
    for language in catalogue.LANGUAGES:
        named = _named(context, public_url, issued_on, language)
        languages[language] = {
            "title": named["title"], "organisation": named["organisation"],
            "verify": named["links"].verify, "claim": named["links"].claim,
            "language": language, "t": catalogue.Words(language),
            "issued_on": catalogue.day(issued_on, language), "until": until.get(language, "")}
    return {"kind": kind, "days": context.get("days"), "languages": languages}


def _review_reminder(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    due = dt.datetime.fromisoformat(context["due_at"])
    subject = str(context["subject"])
    kind, _, identifier = subject.partition(":")
    link = (f"{public_url.rstrip('/')}/review/applications/{identifier}"
            if kind == "application" else f"{public_url.rstrip('/')}/review")
    # The id without the store's "kind:" prefix, under a name a reader knows.
    return {"kind": context["kind"], "subject": subject, "link": link,
            "about": kind if kind in {"application", "recognition"} else "other",
            "shown": identifier or subject,
            "languages": _sections(STAFF_LANGUAGES, message={
                language: _text(context["message"], language) for language in STAFF_LANGUAGES},
                due={language: _moment_text(due, language) for language in STAFF_LANGUAGES})}


def _recognition_decided(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    """The decision on an application: its outcome (the ``review-outcome`` vocabulary's
    words), the programme, the decision's number and the application's page."""
    outcome = str(context["outcome"])
    return {"outcome": outcome, "number": str(context["number"]),
            "link": f"{public_url.rstrip('/')}/review/applications/{context['application']}",
            "languages": _sections(STAFF_LANGUAGES, title=_names(context["title"]),
                                   outcome_words={
                                       language: vocabularies.name("review-outcome", outcome,
                                                                   language)
                                       for language in STAFF_LANGUAGES})}


def _invitation(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    role = Role(context["role"])
    return {"url": context["url"], "languages": _sections(
        organisation={language: _text(context["organisation_name"], language)
                      for language in catalogue.LANGUAGES},
        role={language: vocabularies.name("access-role", role.value, language)
              for language in catalogue.LANGUAGES},
        expires=_expiry(context["expires_at"], catalogue.LANGUAGES))}


def _sections(languages: tuple[str, ...] = catalogue.LANGUAGES,
              **each: Mapping[str, object]) -> dict[str, dict[str, Any]]:
    """An e-mail's part in each of ``languages``: its language, its words (``t``) and, for
    every name in ``each``, that language's value of it."""
    return {language: {"language": language, "t": catalogue.Words(language),
                       **{name: values[language] for name, values in each.items()}}
            for language in languages}


def _sign_up(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    return {"url": context["url"],
            "languages": _sections(expires=_expiry(context["expires_at"], catalogue.LANGUAGES))}


def _sign_up_existing(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    # Where the learner was going comes back after signing in, as after signing up.
    return {"sign_in": f"{public_url.rstrip('/')}/sign-in?"
                       f"{urlencode({'next': context['next_path']})}",
            "languages": _sections()}


def _names(value: object) -> dict[str, str]:
    """A multilingual name in each language a staff e-mail speaks."""
    return {language: _text(value, language) for language in STAFF_LANGUAGES}


def _application_approved(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    return {"url": context["url"], "organisation": context["organisation"],
            "languages": _sections(STAFF_LANGUAGES, name=_names(context["name"]),
                                   expires=_expiry(context["expires_at"]))}


def _application_refused(context: Mapping[str, Any], public_url: str) -> dict[str, Any]:
    return {"reason": context["reason"], "apply": f"{public_url.rstrip('/')}/join",
            "languages": _sections(STAFF_LANGUAGES, name=_names(context["name"]))}


def _expiry(value: str, languages: tuple[str, ...] = ("ja", "en")) -> dict[str, str]:
    """A link's end of validity as each language's e-mail says it."""
    expires = dt.datetime.fromisoformat(value)
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=dt.UTC)
    return {language: _moment_text(expires, language) for language in languages}


def _moment_text(moment: dt.datetime, language: str) -> str:
    """A moment to the minute: in Japanese time for Japanese, in UTC for the others, its day
    written as the pages write days (Babel's long date in the six other languages)."""
    local = moment.astimezone(_JST if language == "ja" else dt.UTC)
    t = catalogue.Words(language)
    return t("mail.moment", day=catalogue.day(local.date(), language), time=f"{local:%H:%M}")


#: The kinds of e-mail, and how each one's stored context becomes its variables.
TEMPLATES: Final[dict[str, Callable[[Mapping[str, Any], str], dict[str, Any]]]] = {
    CREDENTIAL_ISSUED: _credential_issued,
    CREDENTIAL_REVOKED: _credential_revoked,
    CREDENTIAL_NOTICE: _credential_notice,
    REVIEW_REMINDER: _review_reminder,
    RECOGNITION_DECIDED: _recognition_decided,
    INVITATION: _invitation,
    SIGN_UP: _sign_up,
    SIGN_UP_EXISTING: _sign_up_existing,
    # The same variables as a sign-up link's: where to go, until when.
    PASSWORD_RESET: _sign_up,
    ACCOUNT_RECOVERY: _sign_up,
    APPLICATION_APPROVED: _application_approved,
    APPLICATION_REFUSED: _application_refused,
}


def render(template: str, context: Mapping[str, Any], *, public_url: str,
           sign_up: bool = True, language: str = "ja", logo: str | None = None) -> Rendered:
    """The subject, plain text and HTML of the e-mail ``template`` about ``context`` to a
    reader of ``language``; ``sign_up``: whether people may make an account on their own here
    (what the e-mail may tell a learner without one); ``logo``: the address of the sending
    organisation's logo (a PNG), which the HTML shows beside its name."""
    variables = {"badge": None, **TEMPLATES[template](context, public_url), "sign_up": sign_up,
                 "logo": logo}
    images = tuple(variables.pop("inline_images", ()))
    spoken: tuple[str, ...] = ("ja", "en")
    by_language = variables.pop("languages", None)
    if by_language is not None:
        spoken = (STAFF_LANGUAGES if template in STAFF_ONLY
                  else catalogue.sections(language))
        variables["sections"] = [by_language[tag] for tag in spoken]
    # The band atop the HTML names who sends it: the organisation, in the first language the
    # e-mail speaks, else the platform.
    variables["brand"] = (_text(context.get("organisation_name"), spoken[0])
                          or PLATFORM_NAME)
    subject = _environment.get_template(f"{template}.subject.txt").render(variables)
    return Rendered(" ".join(subject.split()),
                    _environment.get_template(f"{template}.txt").render(variables),
                    _environment.get_template(f"{template}.html").render(variables), images,
                    spoken)
