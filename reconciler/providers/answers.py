"""What came back, made ours once: a vendor's error answer becomes our ApiError family
(`translate`), a 2xx body its value (`parse`), a failed connection a message naming the
URL (`unreachable`); secrets a vendor echoes are masked (`redact`)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from reconciler import errors


def unreachable(url: str, exc: Exception) -> str:
    """Why `url` could not be reached, and for a loopback URL the likely fix."""
    origin = public_origin(url)
    message = f"cannot connect to {origin} ({exc or type(exc).__name__})"
    if httpx.URL(url).host in ("127.0.0.1", "localhost", "::1"):
        message += "; is the sandbox running? Start it with `reconciler sandbox serve`"
    return message


def public_origin(url: str) -> str:
    """The scheme, host and port of `url`: never a user, password, path or query."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def public(url: str) -> str:
    """`url` without a user or password (and without its query)."""
    return str(httpx.URL(url).copy_with(username=None, password=None, query=None))


def redirected(response: httpx.Response) -> str:
    """Why a redirect is an error: reconciler follows none, so that a credential or a
    login body never reaches a host the config does not name."""
    where = response.headers.get("location", "")
    target = public_origin(str(response.url.join(where))) if where else "somewhere unnamed"
    return (
        f"redirected to {target}: reconciler follows no redirect (credentials would go "
        "with it); if the vendor moved, put its new URL in reconciler.yaml"
    )


def page(response: httpx.Response) -> str | None:
    """Why a 2xx answer is a web page rather than an API's answer (HTML or XML markup,
    which no vendor here answers), or None."""
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return "an HTML page, not the API's answer"
    if response.content.lstrip()[:1] == b"<":
        return "markup, not the API's answer"
    return None


def parse(response: httpx.Response, *, json_expected: bool = False) -> Any:
    """The body as JSON when it says so (or the operation needs JSON), else as text;
    ValueError when JSON does not decode (cut short, or an HTML page)."""
    if not response.content:
        return None
    if json_expected or "json" in response.headers.get("content-type", ""):
        # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return json.loads(response.content)
    return response.text


_SECRET_PARAM = re.compile(
    r"(?i)\b((?:authorization|token|password|secret)[\"']?\s*[=:]\s*[\"']?|bearer\s+)"
    r"[^\s&\"',;<]+"
)


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every known secret, and whatever follows a token-ish name, masked."""
    text = _SECRET_PARAM.sub(r"\1***", text)
    for secret in secrets:
        if len(secret) >= 6:  # a shorter one would mask ordinary words (test configs)
            text = text.replace(secret, "***")
    return text


def translate(
    api: str, operation: str, response: httpx.Response, secrets: tuple[str, ...] = ()
) -> errors.ApiError:
    """A vendor error answer as our exception, with its message (secrets masked), JSON
    or not."""
    status = response.status_code
    text, code = _message(response)
    message = redact(text, secrets)
    kwargs: dict[str, Any] = {"status": status, "code": code}
    if status == 429:
        return errors.RateLimited(
            api, operation, message, retry_after=_retry_after(response), **kwargs
        )
    if status >= 500:
        return errors.Transient(api, operation, message, **kwargs)
    kind = {401: errors.Unauthorized, 404: errors.NotFound, 409: errors.Conflict}.get(
        status, errors.Permanent
    )
    return kind(api, operation, message, **kwargs)


def _message(response: httpx.Response) -> tuple[str, str | None]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = response.text.strip()
        return (text[:300] or response.reason_phrase or "no message"), None
    if isinstance(body, dict):
        message = body.get("error") or body.get("message") or body.get("statusStr")
        code = body.get("code")
        return str(message or body)[:500], str(code) if code else None
    return str(body)[:300], None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
