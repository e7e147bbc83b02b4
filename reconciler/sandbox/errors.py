"""The sandbox's error answers, shaped as each vendor contract says.

ConnecttoTeams and ContextSMS answer `{"error": message, "code": CODE}`; Connectel answers
`{"statusInt", "statusStr", "error"}`. Handlers raise ApiError; app.py renders it.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.body = body

    def payload(self) -> dict[str, Any]:
        if self.body is not None:
            return self.body
        return {"error": self.message, "code": self.code}


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BAD_REQUEST", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "NOT_FOUND", message)


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, message)


def unauthorized(message: str = "Invalid or expired access token") -> ApiError:
    return ApiError(401, "UNAUTHORIZED", message)


def connectel(
    status: int, message: str, status_int: int = 9, status_str: str = "UNKNOWN"
) -> ApiError:
    body = {"statusInt": status_int, "statusStr": status_str, "error": message}
    return ApiError(status, status_str, message, body=body)
