"""application/x-www-form-urlencoded bodies, parsed without python-multipart."""

from __future__ import annotations

import urllib.parse

from fastapi import Request


async def form(request: Request) -> dict[str, str]:
    text = (await request.body()).decode("utf-8", "replace")
    return dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
