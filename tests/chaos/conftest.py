"""The chaos suite shares the functional suite's served sandbox and project fixtures."""

from tests.functional.conftest import project, sandbox  # noqa: F401
