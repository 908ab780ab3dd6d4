"""``credstack sign FILE --key KEY --kid KID``: secure a credential file with a key file, for
developers and test suites (as DIDKit's and walt.id's command lines do), beside
``credstack verify --key``.

The key file is a private JWK or a PEM private key (Ed25519, P-256, P-384, P-521); ``--kid``
names its verification method (a ``did:key``'s is the default for an Ed25519 or ECDSA key).
``--format`` is any securing mechanism: ``eddsa-rdfc-2022`` (default) or ``eddsa-jcs-2022``
(Data Integrity), ``vc+jwt`` (a VC 1.1 credential becomes VC Data Model 1.1's JWT),
``vc+sd-jwt`` (``--disclose`` names the members made selectively disclosable: by default a
credential's subject's members but ``id`` and ``type``, none of a presentation's), ``vc+cose``.
Nothing is stored: the secured credential is written to
``--output`` or standard output (a ``COSE_Sign1``'s bytes only to a file).

Exit codes: 0 signed; 2 the credential, the key or the format could not be used.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from credstack.entrypoints.cli.console import exit_on_error, read_input

#: The most a credential file may hold.
_MAX_BYTES = 8 * 1024 * 1024


def sign(
    source: Annotated[str, typer.Argument(metavar="FILE|-",
                                          help="cli.help.signing.the_credential_json_or")],
    key: Annotated[Path, typer.Option(
        "--key", help="cli.help.signing.the_signing_key_a",
        exists=True, dir_okay=False)],
    kid: Annotated[str | None, typer.Option(
        "--kid", help="cli.help.signing.the_verification_method_the",
        show_default=False)] = None,
    format_name: Annotated[str, typer.Option(
        "--format", help="cli.help.signing.eddsa_rdfc_2022_eddsa")
    ] = "eddsa-rdfc-2022",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="cli.help.signing.write_the_secured_credential",
        dir_okay=False, show_default=False)] = None,
    disclose: Annotated[list[str] | None, typer.Option(
        "--disclose", help="cli.help.signing.a_member_an_sd", show_default=False)] = None,
) -> None:
    from credstack.core.crypto.key_files import read_signing_key
    from credstack.core.dids import did_key
    from credstack.services.signing import sign_document

    with exit_on_error(2):
        document = read_input(source, limit=_MAX_BYTES)[0]
        pair = read_signing_key(key.read_bytes(), where=str(key))
        method = kid or did_key.verification_method_id(pair.public_key)
        signed = sign_document(document, key=pair, kid=method, securing=format_name,
                               now=dt.datetime.now(dt.UTC).replace(microsecond=0),
                               disclosable=disclose)
    if output is not None:
        output.write_bytes(signed)
    elif signed[:1] in (b"{", b"e"):
        sys.stdout.write(signed.decode("utf-8") + "\n")
    else:
        with exit_on_error(2):
            from credstack.errors import InputError

            raise InputError(code="sign.output.binary")
