"""Driving the simulator's auth pages as a browser would: a small HTML form reader and an OAuth client."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from tests.simulator.factories import REDIRECT_URI

SIM_BASE = "http://sim.test"


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def value(self) -> str:
        return self.attrs.get("value", "")


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    def boxes(self) -> dict[str, bool]:
        return {c.value: "checked" in c.attrs for c in self.controls if c.attrs.get("type") == "checkbox"}

    def button(self, text: str) -> Control:
        return next(c for c in self.controls if c.tag == "button" and c.text.strip() == text)

    def data(self, *, button: Control | None = None, ticks: set[str] | None = None, **values: str) -> dict[str, Any]:
        """What a browser sends: hidden and text fields, ticked boxes (`ticks` overrides), the pressed button."""
        data: dict[str, list[str]] = {}
        for control in self.controls:
            kind = control.attrs.get("type", "text" if control.tag == "input" else "submit")
            if control.tag != "input" or not control.name:
                continue
            if kind == "checkbox":
                ticked = control.value in ticks if ticks is not None else "checked" in control.attrs
                if not ticked:
                    continue
            value = values.get(control.name, control.value)
            data.setdefault(control.name, []).append(value)
        if button is not None and button.name:
            data.setdefault(button.name, []).append(button.value)
        return data


class Page(HTMLParser):
    """Forms (including controls attached with the `form` attribute), labels, links and visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.labels: dict[str, str] = {}
        self.links: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self._detached: list[Control] = []
        self._current: Form | None = None
        self._button: Control | None = None
        self._label: str | None = None
        self._in_script = False
        self.feed(html)
        for control in self._detached:
            owner = next(f for f in self.forms if f.attrs.get("id") == control.attrs["form"])
            owner.controls.append(control)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag == "form":
            self._current = Form(values)
            self.forms.append(self._current)
        elif tag in ("input", "button"):
            control = Control(tag, values)
            if "form" in values:
                self._detached.append(control)
            elif self._current is not None:
                self._current.controls.append(control)
            if tag == "button":
                self._button = control
        elif tag == "label":
            self._label = values.get("for", "")
            self.labels[self._label] = ""
        elif tag == "a" and "href" in values:
            self.links.append(values["href"])
        elif tag == "script":
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "button":
            self._button = None
        elif tag == "label":
            self._label = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            return
        self.text_parts.append(data)
        if self._button is not None:
            self._button.text += data
        if self._label is not None:
            self.labels[self._label] += data

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def form(self, action: str) -> Form:
        return next(f for f in self.forms if f.action == action)


def page(response: httpx.Response) -> Page:
    assert response.headers["content-type"].startswith("text/html"), response.text
    return Page(response.text)


def callback(response: httpx.Response) -> dict[str, str]:
    """The query of the redirect back to the app (asserting it is one)."""
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI), location
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class OAuthClient:
    sim: httpx.AsyncClient
    app: dict[str, Any]
    redirect_uri: str = REDIRECT_URI

    def authorize_url(self, scope: str, **extra: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.app["client_id"],
            "redirect_uri": self.redirect_uri,
            "scope": scope,
            "state": "st4te",
            **extra,
        }
        return "/oauth2/v3/authorize?" + urlencode(params)

    async def authorize(self, scope: str, **extra: str) -> httpx.Response:
        return await self.sim.get(self.authorize_url(scope, **extra))

    async def submit(
        self, response: httpx.Response, action: str, button: str | None = None, **kw: Any
    ) -> httpx.Response:
        form = page(response).form(action)
        pressed = form.button(button) if button else None
        action_url = pressed.attrs.get("formaction", form.action) if pressed else form.action
        return await self.sim.post(action_url, data=form.data(button=pressed, **kw))

    async def sign_in(self, response: httpx.Response, email: str) -> httpx.Response:
        return await self.submit(response, "/oauth2/v3/authorize", identity=email)

    async def decide(
        self, response: httpx.Response, button: str = "Allow", ticks: set[str] | None = None
    ) -> httpx.Response:
        return await self.submit(response, "/oauth2/v3/authorize/consent", button, ticks=ticks)

    async def code_by_pages(self, email: str, scope: str, ticks: set[str] | None = None, **extra: str) -> str:
        consent_page = await self.sign_in(await self.authorize(scope, **extra), email)
        return callback(await self.decide(consent_page, ticks=ticks))["code"]

    async def code_scripted(self, email: str, scope: str, grant: str | None = None, **extra: str) -> str:
        response = await self.authorize(scope, login_hint=email, sim_grant=scope if grant is None else grant, **extra)
        return callback(response)["code"]

    async def exchange(self, code: str, **overrides: str | None) -> httpx.Response:
        body = {
            "grant_type": "authorization_code",
            "client_id": self.app["client_id"],
            "client_secret": self.app["client_secret"],
            "code": code,
            "redirect_uri": self.redirect_uri,
            "audience": f"{SIM_BASE}/na",
            **overrides,
        }
        return await self.sim.post("/oauth2/v3/token", data={k: v for k, v in body.items() if v is not None})

    async def tokens(self, code: str, **overrides: str | None) -> dict[str, Any]:
        response = await self.exchange(code, **overrides)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def refresh(self, refresh_token: str) -> httpx.Response:
        body = {"grant_type": "refresh_token", "client_id": self.app["client_id"], "refresh_token": refresh_token}
        return await self.sim.post("/oauth2/v3/token", data=body)
