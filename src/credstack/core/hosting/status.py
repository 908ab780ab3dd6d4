"""``Imsx_StatusInfo``: how the OB 3.0 and CLR 2.0 REST APIs report an error (OB 3.0 §6.3,
the 1EdTech Security Framework's status codes)."""

from __future__ import annotations

from typing import Any

#: HTTP status → the code minor value the schema's vocabulary has for it.
CODE_MINOR = {400: "invalid_data", 401: "unauthorizedrequest", 403: "forbidden",
              404: "not_found", 405: "not_allowed", 406: "not_acceptable",
              409: "invalid_data", 410: "not_found", 413: "invalid_data", 415: "invalid_data",
              422: "invalid_data", 429: "server_busy", 500: "internal_server_error",
              503: "server_busy"}


def status_info(status: int, description: str, *, code_minor: str | None = None
                ) -> dict[str, Any]:
    """The ``Imsx_StatusInfo`` for an answer with HTTP ``status``: a failure with its
    description and code minor (``not_modified`` for 304, a status for other 3xx)."""
    minor = code_minor or ("not_modified" if status == 304 else CODE_MINOR.get(status, "unknown"))
    return {
        "imsx_codeMajor": "failure" if status >= 400 else "success",
        "imsx_severity": "error" if status >= 400 else "status",
        "imsx_description": description,
        "imsx_codeMinor": {"imsx_codeMinorField": [
            {"imsx_codeMinorFieldName": "TargetEndSystem",
             "imsx_codeMinorFieldValue": minor}]},
    }
