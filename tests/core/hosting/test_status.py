"""Imsx_StatusInfo: the schema's vocabulary for each HTTP status."""

from __future__ import annotations

import json

import jsonschema

from credstack.core.hosting.status import status_info


def test_status_info_is_valid_under_the_specifications_schema(shared_ref):
    """Failures for 4xx and 5xx with their code minor; not_modified for 304."""
    schema = json.loads((shared_ref / "schemas/ob-v3p0/json/"
                         "ob_v3p0_imsx_statusinfo_schema.json").read_text())
    for status in (304, 400, 401, 403, 404, 415, 500, 418):
        info = status_info(status, "what happened")
        jsonschema.validate(info, schema)
    minor = status_info(403, "x")["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert minor["imsx_codeMinorFieldValue"] == "forbidden"
    assert status_info(304, "x")["imsx_codeMajor"] == "success"
