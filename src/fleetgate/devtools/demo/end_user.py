"""The people's side: the end user consenting at "Tesla", the owner approving the app's key, as a browser would.

The simulator's scripted consent (`login_hint` + `sim_grant` on the authorize URL) stands in for signing in and
ticking boxes; everything else is the pages' real redirects and forms.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx

from fleetgate.devtools.demo.api import DemoError, require
from fleetgate.devtools.demo.narrator import Narrator

TRANSACTION = re.compile(r'name="transaction_id" value="([^"]+)"')


async def visit(browser: httpx.AsyncClient, method: str, url: str, *, expect: int, **form: str) -> httpx.Response:
    try:
        response = await browser.request(method, url, data=form or None)
    except httpx.HTTPError as exc:
        raise DemoError(f"{method} {url} failed: {exc!r}") from exc
    if response.status_code != expect:
        raise DemoError(
            f"{method} {url} answered {response.status_code} where {expect} was expected: {response.text[:300]}"
        )
    return response


def redirect_of(response: httpx.Response) -> str:
    return urljoin(str(response.url), response.headers["location"])


async def consent(
    browser: httpx.AsyncClient, session: dict[str, str], *, email: str, unticked: frozenset[str], say: Narrator
) -> list[str]:
    """Follows a connect session from its hosted page to the result page (skipping the pairing step); returns the
    scopes ticked."""
    hosted = urljoin(str(browser.base_url), session["url"])
    await visit(browser, "GET", hosted, expect=200)
    say.person("end user", f"opens the hosted page {hosted} and clicks Continue to Tesla")
    start = await visit(browser, "GET", f"/connect/{session['id']}/start", expect=302)
    authorize = redirect_of(start)
    query = parse_qs(urlsplit(authorize).query)
    asked = query.get("scope", [""])[0].split()
    ticked = [scope for scope in asked if scope not in unticked]
    prompt = " with prompt_missing_scopes=true" if query.get("prompt_missing_scopes") == ["true"] else ""
    say.person("end user", f"is sent to Tesla's consent page{prompt}, asking for: {' '.join(asked)}")
    left = f", leaves {' '.join(sorted(unticked))} unticked" if unticked else ", every box ticked"
    say.person("end user", f"signs in as {email}{left}, clicks Allow")
    answered = await visit(
        browser, "GET", f"{authorize}&{urlencode({'login_hint': email, 'sim_grant': ' '.join(ticked)})}", expect=302
    )
    callback = redirect_of(answered)
    expected = str(browser.base_url.join("/connect/callback"))
    require(callback.startswith(f"{expected}?"), f"Tesla redirected to {callback}, not to {expected}")
    landed = await visit(browser, "GET", callback, expect=303)
    result = redirect_of(landed)
    if urlsplit(result).path.endswith("/pairing"):
        # A car lacks the app's key: the hosted pages offer to add it first. The story pairs later, from the API's
        # remedy, so the end user skips the step here.
        step = await visit(browser, "GET", result, expect=200)
        require("Skip for now" in step.text, f"the pairing step offers no way on: {step.text[:300]}")
        say.person("end user", f"is offered the pairing step {result} and clicks Skip for now")
        result = urljoin(result, f"/connect/{session['id']}/result")
    await visit(browser, "GET", result, expect=200)
    say.person("end user", f"lands on the result page {result}")
    return ticked


def transaction_of(page: httpx.Response) -> str:
    match = TRANSACTION.search(page.text)
    if match is None:
        raise DemoError(f"the page at {page.url} has no form to go on with")
    return match.group(1)


async def approve_key(browser: httpx.AsyncClient, pairing_url: str, *, email: str, say: Narrator) -> None:
    """What the owner does with the pairing link on their phone: sign in, then approve the key."""
    link = await visit(browser, "GET", pairing_url, expect=200)
    say.person("owner", f"opens the pairing link {pairing_url}")
    path = urljoin(pairing_url, httpx.URL(pairing_url).path)
    signed_in = await visit(browser, "POST", path, expect=200, transaction_id=transaction_of(link), email=email)
    say.person("owner", f"signs in as {email}")
    approved = await visit(
        browser, "POST", f"{path}/decision", expect=200, transaction_id=transaction_of(signed_in), decision="approve"
    )
    require("Virtual key added" in approved.text, f"the pairing page did not confirm the key: {approved.text[:300]}")
    say.person("owner", "approves the app's key: Virtual key added")
