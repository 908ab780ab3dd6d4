"""A test LMS on loopback: the PyPI package ``lti1p3platform`` (the platform's side of LTI
1.3: OIDC login, launch, deep linking, NRPS, AGS, access tokens) behind a few FastAPI
routes, with a course, its roster and its graded line items.

What the package leaves to the platform it is built into — the course's data, the routes,
and LTI Dynamic Registration, which it does not implement — is written here after the
1EdTech specifications' examples (LTI-DR 1.0 §3.4.1 and §3.6.2).

    platform = TestPlatform(tool_url)
    with platform.serving():
        platform.launch(client, user="learner-01")   # → credstack's answer to the launch
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jwcrypto.jwk import JWK
from lti1p3platform.exceptions import LtiException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request as LtiRequest
from lti1p3platform.request import TRequest
from lti1p3platform.response import Response as LtiResponse
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
    TPage,
)

from tests.conftest import free_port

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
COURSE = "course-101"
COURSE_TITLE = "データサイエンス入門 Introduction to Data Science"
RESOURCE_LINK = "rl-101"
DEPLOYMENT = "deployment-1"
#: Japanese and other names: the roster of 30 learners the course starts with.
NAMES = ("山田 花子", "佐藤 太郎", "鈴木 一郎", "高橋 さくら", "田中 健", "伊藤 美咲",
         "渡辺 翔", "中村 結衣", "小林 大輔", "加藤 陽菜", "Emma Wilson", "Liam Chen",
         "Olivia Garcia", "Noah Kim", "Ava Patel", "山本 蓮", "吉田 葵", "山口 湊",
         "松本 凛", "井上 樹", "木村 陽向", "林 芽依", "清水 悠真", "山崎 紬", "森 蒼",
         "池田 結菜", "橋本 颯", "阿部 心春", "石川 湊斗", "Nguyen Van An")
FORM_FIELD = re.compile(r'name="(\w+)" value="([^"]*)"')
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')
#: The LMS's course page (see ``/course``).
COURSE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Course</title></head>
<body><h1>DS101</h1><iframe name="tool" src="{start}" width="800" height="600"></iframe>
<script>
window.ltiMessages = [];
var kept = {};
window.addEventListener("message", function (event) {
  var data = event.data;
  if (!data || typeof data.subject !== "string") { return; }
  window.ltiMessages.push({origin: event.origin, data: data});
  var answer = {message_id: data.message_id, subject: data.subject + ".response"};
  if (data.subject === "lti.capabilities") {
    answer.supported_messages = [{subject: "lti.put_data"}, {subject: "lti.get_data"}];
  } else if (data.subject === "lti.put_data") {
    kept[event.origin + " " + data.key] = data.value;
    answer.key = data.key; answer.value = data.value;
  } else if (data.subject === "lti.get_data") {
    var value = kept[event.origin + " " + data.key];
    answer.key = data.key;
    if (value === undefined) {
      answer.error = {code: "bad_request", message: "no value for the key"};
    } else { answer.value = value; }
  } else {
    answer.error = {code: "unsupported_subject", message: data.subject};
  }
  event.source.postMessage(answer, event.origin);
});
</script></body></html>"""
RETURN_ACTION = re.compile(r'<form[^>]*action="([^"]+)"[^>]*data-autosubmit')


def _rsa_pem() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


@functools.lru_cache(maxsize=8)
def _parsed(private_pem: str) -> Any:
    return serialization.load_pem_private_key(private_pem.encode(), password=None)


@functools.lru_cache(maxsize=8)
def _thumbprint(public_pem: str) -> str:
    return str(JWK.from_pem(public_pem.encode()).thumbprint())


class KeyedRegistration(Registration):
    """The package's registration with a ``kid`` on its key (its RFC 7638 thumbprint), as
    platforms publish them, so that a tool can tell a rotated key from the old one.

    Its private key is parsed once: the package hands PyJWT the PEM text, which parses and
    checks the RSA key each time (some 90 ms, twice a launch: for the ``kid`` and to sign), so
    that the test LMS, not the tool, was most of a launch's time under load."""

    @classmethod
    def get_jwk(cls, public_key: str) -> dict[str, Any]:
        jwk = super().get_jwk(public_key)
        jwk["kid"] = _thumbprint(public_key)
        return jwk

    def get_platform_private_key(self) -> Any:
        pem = super().get_platform_private_key()
        return _parsed(pem) if pem else None

    def get_kid(self) -> str | None:
        public = self.get_platform_public_key()
        return _thumbprint(public) if public else None


@dataclass
class Learner:
    user_id: str
    name: str
    email: str | None
    roles: tuple[str, ...] = (LEARNER,)


@dataclass
class Course:
    """The LMS's course: members, line items (id → item) and results (item → user → score)."""

    members: list[Learner]
    line_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, dict[str, float]] = field(default_factory=dict)
    #: The content items credstack's deep linking returned.
    content_items: list[dict[str, Any]] = field(default_factory=list)
    #: Roster pages whose ``next`` points back at the first (a broken platform).
    roster_loops: bool = False


def course_of(count: int = 30, *, names: tuple[str, ...] = NAMES) -> Course:
    learners = [Learner(f"learner-{number:05d}", names[number % len(names)],
                        f"learner{number:05d}@students.example.ac.jp")
                for number in range(count)]
    # A learner whose e-mail the LMS does not share.
    learners[-1].email = None
    return Course(members=[Learner("teacher-1", "教員 一郎", "teacher@example.ac.jp",
                                   (INSTRUCTOR,)), *learners])


class _Request(LtiRequest):
    def build_metadata(self, request: TRequest) -> TRequest:
        return request


def lti_request(request: Request, *, form: dict[str, Any] | None = None) -> _Request:
    query = {key: int(value) if value.isdigit() and key in ("page", "limit") else value
             for key, value in request.query_params.items()}
    return _Request({"method": request.method, "form_data": form or {}, "get_data": query,
                     "headers": request.headers, "content_type":
                     request.headers.get("content-type"), "path": request.url.path,
                     "json": None})


def answer(response: LtiResponse, *, link: str | None = None) -> Response:
    headers = {"Link": f'<{link}>; rel="next"'} if link else {}
    if response.result is None:
        return JSONResponse({"error": response.message}, status_code=response.code)
    return JSONResponse(response.result, status_code=response.code, headers=headers,
                        media_type=response.media_type)


class TestPlatform:
    """The LMS: a course with credstack registered as a tool at ``tool_url``."""

    __test__ = False

    def __init__(self, tool_url: str, course: Course | None = None, *,
                 client_id: str = "credstack-client") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tool_url = tool_url.rstrip("/")
        self.client_id = client_id
        self.deployment = DEPLOYMENT
        self.course = course or course_of()
        self.private_key, self.public_key = _rsa_pem()
        self.jwks_reachable = True
        #: The frame the LMS offers its storage in (LTI Client Side postMessages), named in
        #: its logins and launches; None: it offers none.
        self.storage_target: str | None = None
        self.app = self._app()

    # --- the package's pieces, configured for this course --------------------------------

    def registration(self) -> Registration:
        return (KeyedRegistration().set_iss(self.url).set_client_id(self.client_id)
                .set_deployment_id(self.deployment)
                .set_launch_url(f"{self.tool_url}/lti/launch")
                .set_deeplink_launch_url(f"{self.tool_url}/lti/launch")
                .set_oidc_login_url(f"{self.tool_url}/lti/login")
                .set_tool_key_set_url(f"{self.tool_url}/lti/jwks")
                .set_platform_public_key(self.public_key)
                .set_platform_private_key(self.private_key))

    def config(self) -> LTI1P3PlatformConfAbstract:
        platform = self

        class Config(LTI1P3PlatformConfAbstract):
            def init_platform_config(self, **kwargs: Any) -> None:
                self._registration = platform.registration()

            def get_registration_by_params(self, **kwargs: Any) -> Registration:
                return platform.registration()

        return Config()

    def rotate_key(self) -> None:
        """A new platform key; the old one is no longer published."""
        self.private_key, self.public_key = _rsa_pem()

    # --- the routes -------------------------------------------------------------------------

    def _app(self) -> FastAPI:
        app = FastAPI()
        platform = self

        class Login(OIDCLoginAbstract):
            def set_lti_message_hint(self, **kwargs: Any) -> None:
                self._lti_message_hint = kwargs["hint"]

            def get_redirect(self, url: str) -> Response:
                return RedirectResponse(url, status_code=302)

        class Launch(LTIAdvantageMessageLaunchAbstract):
            def get_preflight_response(self) -> dict[str, Any]:
                assert self._request is not None
                return self._request.get_data

            def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
                kind, _, _ = str(preflight_response["lti_message_hint"]).partition(":")
                user = next(m for m in platform.course.members
                            if m.user_id == preflight_response["login_hint"])
                self.set_user_data(user.user_id, list(user.roles), full_name=user.name,
                                   email_address=user.email)
                self.set_launch_context_claim(COURSE, context_title=COURSE_TITLE,
                                              context_label="DS101")
                self.set_nrps(f"{platform.url}/memberships")
                self.set_ags(f"{platform.url}/lineitems")
                if kind == "deep":
                    self.set_dl(f"{platform.url}/deep-link-return", accept_types={
                        "ltiResourceLink"}, extra_data={"course": COURSE})
                    return
                self.set_resource_link_claim(RESOURCE_LINK, title="Credential")
                items = platform.course.content_items
                if items:
                    self.set_custom_parameters_claim(dict(items[-1].get("custom") or {}))

            def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any
                                   ) -> Response:
                fields = "".join(f'<input type="hidden" name="{name}" '
                                 f'value="{html.escape(str(launch_data[name]))}">'
                                 for name in ("id_token", "state"))
                if platform.storage_target:
                    fields += ('<input type="hidden" name="lti_storage_target" '
                               f'value="{html.escape(platform.storage_target)}">')
                # The package's own form submits itself with an inline script; this one
                # waits for a button, which a browser test presses.
                return HTMLResponse(f'<form method="post" action="'
                                    f'{launch_data["launch_url"]}">{fields}'
                                    '<button type="submit">Launch</button></form>')

        class Roster(NamesRoleProvisioningService):
            def get_member_data_page(self, page: int = 1, limit: int | None = None,
                                     **kwargs: Any) -> TPage:
                members = platform.course.members
                size = limit or len(members)
                chunk = members[(page - 1) * size:page * size]
                content = [{"user_id": m.user_id, "name": m.name, "roles": list(m.roles),
                            "status": "Active", **({"email": m.email} if m.email else {})}
                           for m in chunk]
                return {"content": content, "has_next": page * size < len(members)}

            def get_context_by_id(self) -> Any:
                from lti1p3platform.membership import Context
                return Context(COURSE, "DS101", COURSE_TITLE)

            def is_resource_link_valid(self, context_id: str, resource_link_id: str) -> bool:
                return resource_link_id == RESOURCE_LINK

        class Grades(AssignmentsGradesService):
            def find_lineitems(self, page: int = 1, limit: int | None = None,
                               **kwargs: Any) -> TPage:
                items = list(platform.course.line_items.values())
                return {"content": items, "has_next": False}

            def find_lineitem(self, line_item_id: str) -> Any:
                return platform.course.line_items[line_item_id]

            def get_results(self, line_item_id: str, page: int = 1, limit: int | None = None,
                            user_id: str | None = None, **kwargs: Any) -> TPage:
                item = platform.course.line_items[line_item_id]
                scores = platform.course.results.get(line_item_id, {})
                rows = [{"id": f"{item['id']}/results/{user}", "userId": user,
                         "resultScore": score, "scoreOf": item["id"],
                         **({"resultMaximum": item["scoreMaximum"]}
                            if "scoreMaximum" in item else {})}
                        for user, score in sorted(scores.items())]
                size = limit or 1000
                chunk = rows[(page - 1) * size:page * size]
                return {"content": chunk, "has_next": page * size < len(rows)}

            def create_lineitem(self, creation_data: Any) -> Any:
                raise NotImplementedError

            def update_lineitem(self, update_data: Any) -> Any:
                raise NotImplementedError

            def delete_lineitem(self, line_item_id: str) -> None:
                raise NotImplementedError

            def update_score(self, line_item_id: str, score: Any) -> Any:
                raise NotImplementedError

        @app.get("/start")
        def start(user: str, kind: str = "resource") -> Response:
            login = Login(None, platform.config())
            login.set_lti_message_hint(hint=f"{kind}:{user}")
            started: Response = login.initiate_login(user)
            if platform.storage_target and "location" in started.headers:
                started.headers["location"] += f"&lti_storage_target={platform.storage_target}"
            return started

        @app.get("/course")
        def course(user: str) -> Response:
            # The course's page frames the tool and keeps data for it, as LTI Client Side
            # postMessages' platform storage asks (lti.capabilities, lti.put_data,
            # lti.get_data), by the sender's origin; every message it is sent is kept in
            # ``window.ltiMessages`` for the test to read.
            return HTMLResponse(COURSE_PAGE.replace("{start}", html.escape(
                f"/start?user={user}")))

        @app.get("/authorize")
        def authorize(request: Request) -> Response:
            return Launch(lti_request(request), platform.config()).lti_launch()  # type: ignore[no-any-return]

        @app.get("/jwks")
        def jwks() -> Response:
            if not platform.jwks_reachable:
                return JSONResponse({"error": "down"}, status_code=503)
            return JSONResponse(platform.config().get_jwks())

        @app.post("/deep-link-return")
        async def deep_link_return(request: Request) -> Response:
            form = {key: value for key, value in (await request.form()).items()}
            try:
                items = platform.config().validate_deeplinking_resp(form)
            except LtiException as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
            platform.course.content_items.extend(items)
            return HTMLResponse(f"<p>Saved {len(items)} item(s).</p>")

        @app.post("/token")
        async def token(request: Request) -> Response:
            form = {key: value for key, value in (await request.form()).items()}
            try:
                return JSONResponse(platform.config().get_access_token(form))
            except (LtiException, KeyError) as exc:
                return JSONResponse({"error": "invalid_client", "detail": str(exc)},
                                    status_code=400)

        @app.get("/memberships")
        def memberships(request: Request) -> Response:
            service = Roster(lti_request(request), platform.config(),
                             f"{platform.url}/memberships")
            found = service.handle_resp(service.handle_get_members)
            nxt = found.result.get("next") if isinstance(found.result, dict) else None
            if platform.course.roster_loops and isinstance(found.result, dict):
                nxt = found.result["next"] = f"{platform.url}/memberships?limit=10"
            return answer(found, link=nxt)

        @app.get("/lineitems")
        def line_items(request: Request) -> Response:
            service = Grades(lti_request(request), platform.config(), f"{platform.url}/lineitems")
            found = service.handle_resp(service.handle_get_lineitems)
            return JSONResponse(found.result["content"], status_code=found.code) \
                if found.code == 200 else answer(found)

        @app.get("/lineitems/{item}/results")
        def results(item: str, request: Request) -> Response:
            url = f"{platform.url}/lineitems/{item}"
            service = Grades(lti_request(request), platform.config(), f"{platform.url}/lineitems",
                             lineitem_url=url)
            found = service.handle_resp(service.handle_get_results, line_item_id=url)
            if found.code != 200:
                return answer(found)
            following = found.result.get("next")
            return JSONResponse(found.result["content"], headers={
                "Link": f'<{following}>; rel="next"'} if following else {})

        @app.get("/.well-known/openid-configuration")
        def openid_configuration() -> Response:
            # LTI-DR 1.0 §3.4.1's example, for this platform.
            return JSONResponse({
                "issuer": platform.url, "authorization_endpoint": f"{platform.url}/authorize",
                "registration_endpoint": f"{platform.url}/register",
                "jwks_uri": f"{platform.url}/jwks", "token_endpoint": f"{platform.url}/token",
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid"], "response_types_supported": ["id_token"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "claims_supported": ["sub", "iss", "name", "given_name", "family_name",
                                     "email"],
                "subject_types_supported": ["public", "pairwise"],
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                    "product_family_code": "lti1p3platform", "version": "0.1.8",
                    "messages_supported": [{"type": "LtiResourceLinkRequest"},
                                           {"type": "LtiDeepLinkingRequest"}]}})

        @app.post("/register")
        async def register(request: Request) -> Response:
            # LTI-DR 1.0 §3.6.2's example answer: the client id and the deployment.
            if request.headers.get("authorization") != "Bearer registration-token-1":
                return JSONResponse({"error": "invalid_token"}, status_code=401)
            sent = await request.json()
            platform.registered = sent
            return JSONResponse({**sent, "client_id": platform.client_id,
                                 "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                                     **sent["https://purl.imsglobal.org/spec/lti-tool-configuration"],
                                     "deployment_id": platform.deployment}})

        return app

    registered: dict[str, Any] | None = None

    # --- serving and driving ---------------------------------------------------------------

    @contextlib.contextmanager
    def serving(self) -> Iterator[TestPlatform]:
        server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                               log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test platform did not start")
            time.sleep(0.02)
        try:
            yield self
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    def launch_form(self, client: httpx.Client, *, user: str, kind: str = "resource"
                    ) -> tuple[str, dict[str, str]]:
        """Where the platform's auto-submitted launch form goes, and its fields."""
        page = client.get(f"{self.url}/start", params={"user": user, "kind": kind},
                          follow_redirects=True)
        assert page.status_code == 200, page.text
        action = FORM_ACTION.search(page.text)
        assert action is not None, page.text
        return html.unescape(action.group(1)), {
            name: html.unescape(value) for name, value in FORM_FIELD.findall(page.text)}

    def launch(self, client: httpx.Client, *, user: str, kind: str = "resource"
               ) -> httpx.Response:
        """The browser's round: the platform's login, credstack's, the launch posted."""
        action, fields = self.launch_form(client, user=user, kind=kind)
        return client.post(action, data=fields, headers={"Origin": self.url})

    def deep_link(self, client: httpx.Client, *, line_item: str, rule: str = "score",
                  minimum: str = "60", programme: str = "1") -> str:
        """An instructor's deep linking round through credstack's page, its answer posted
        back and verified by the platform; the new course link's id."""
        page = self.launch(client, user="teacher-1", kind="deep")
        assert page.status_code == 200, page.text
        launch = dict(FORM_FIELD.findall(page.text))["launch"]
        answer = client.post(f"{self.tool_url}/lti/deep-link", data={
            "launch": launch, "programme": programme, "rule": rule, "line_item": line_item,
            "minimum": minimum})
        assert answer.status_code == 200, answer.text
        action = RETURN_ACTION.search(answer.text)
        assert action is not None and action.group(1) == f"{self.url}/deep-link-return"
        saved = client.post(action.group(1), data=dict(FORM_FIELD.findall(answer.text)))
        assert saved.status_code == 200, saved.text
        return str(self.course.content_items[-1]["custom"]["credstack_link"])
