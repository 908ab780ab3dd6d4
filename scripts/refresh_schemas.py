"""Refresh the JSON Schemas bundled in credstack from the registry package that publishes them.

Run it from the repository root with ``.venv/bin/python scripts/refresh_schemas.py``. It needs
``pip`` and the PyPI registry; nothing else is fetched. For each package pinned below it

1. runs ``pip download --no-deps --no-binary :all: --require-hashes`` for the pinned source
   distribution in a temporary directory, so pip refuses any file whose SHA-256 is not the
   pinned one, and checks that digest again itself;
2. reads the pinned members straight out of the tarball (nothing else is extracted) and refuses
   any whose SHA-256 differs from ``SCHEMAS`` — a new package version must be reviewed and the
   pins updated by hand;
3. checks that each file is a JSON Schema of a dialect credstack validates (2019-09 or
   2020-12), that it is a valid schema of that dialect, that its ``$id`` is the URL it is
   bundled under, and that every ``$ref`` in it resolves inside the bundle, so that validating
   against it can never need the network;
4. writes ``files/``, ``manifest.json`` and each package's licence into ``LICENSES/`` under
   ``src/credstack/adapters/resolvers/schemas/``.

Nothing is written unless every check passes.

Only one registry package publishes any of the 1EdTech schemas byte for byte: the source
distribution of ``openbadgeslib`` (PyPI), which carries two of the Open Badges 3.0 schemas as
test fixtures. See ``NOT_BUNDLED`` for the schemas no npm or PyPI package was found to publish.
"""

from __future__ import annotations

import json
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pinning
from jsonschema import exceptions as schema_errors
from jsonschema import validators
from pinning import RefreshError, sha256_hex

from credstack.adapters.resolvers.schemas.references import schema_references

BUNDLE = pinning.RESOLVERS / "schemas"


@dataclass(frozen=True)
class Package:
    #: The PyPI project name.
    name: str
    version: str
    #: The source distribution's file name on PyPI.
    filename: str
    #: Its SHA-256 (``pip download`` prints where it saved it; PyPI lists the digest too).
    sha256: str
    #: Where, inside the tarball, the package's licence is.
    licence_member: str
    #: The ``License`` field of the package's metadata.
    declared_licence: str

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


@dataclass(frozen=True)
class SchemaFile:
    #: The URL the schema is published at, which is also its ``$id``.
    url: str
    package: str
    #: Where the file is inside the package's tarball.
    member: str
    #: Its file name under ``files/``.
    file: str
    #: The SHA-256 of the file, as reviewed for the pinned package version.
    sha256: str
    #: Which of 1EdTech's two renderings this is (see ``VARIANT_NOTE``).
    variant: str


# The newest version on PyPI when this was last refreshed (`pip index versions openbadgeslib`).
PACKAGES = (
    Package(
        "openbadgeslib", "4.6.3", "openbadgeslib-4.6.3.tar.gz",
        "aec21bf41b223ae3fcd196aa92972e3d3a6b12048f4929b2ceedd5fc54ea1eaf",
        "openbadgeslib-4.6.3/LICENSE.txt", "LGPLv3",
    ),
)

OB_SCHEMAS = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
JSON_LD_ADAPTATION = "JSON-LD Schema adaptation"
VARIANT_NOTE = (
    "1EdTech publishes each Open Badges 3.0 schema in two renderings: the formal JSON Schema "
    "and a 'JSON-LD Schema adaptation' that also accepts the compacted forms JSON-LD allows "
    "(a single value where an array is expected, language maps). The purl URL serves the "
    "adaptation, whose $id is that URL; these files are the adaptation."
)

# The SHA-256 of every file shipped, as reviewed for the package versions above. A refresh that
# finds anything else stops; review the difference, then update the pin.
SCHEMAS = (
    SchemaFile(
        OB_SCHEMAS + "ob_v3p0_achievementcredential_schema.json", "openbadgeslib",
        "openbadgeslib-4.6.3/tests/fixtures/ob_schemas/ob_v3p0_achievementcredential_schema.json",
        "ob_v3p0_achievementcredential_schema.json",
        "b7358e895f492e74055dc6bfc7ffc420d0e497f90c4579fb83d9519b86d393ea",
        JSON_LD_ADAPTATION,
    ),
    SchemaFile(
        OB_SCHEMAS + "ob_v3p0_profile_schema.json", "openbadgeslib",
        "openbadgeslib-4.6.3/tests/fixtures/ob_schemas/ob_v3p0_profile_schema.json",
        "ob_v3p0_profile_schema.json",
        "6b268f2caa591bf657e2a290e195713c41dc2db4e1c797723cfd00a1a83f8f13",
        JSON_LD_ADAPTATION,
    ),
)

# Schemas credstack would bundle if a registry package published them (none was found on npm
# or PyPI when this was written). A credential naming one gets a "not held" notice.
NOT_BUNDLED = (
    OB_SCHEMAS + "ob_v3p0_endorsementcredential_schema.json",
    OB_SCHEMAS + "ob_v3p0_getopenbadgecredentialsresponse_schema.json",
    OB_SCHEMAS + "ob_v3p0_imsx_statusinfo_schema.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/"
    "clr_v2p0_achievementcredential_schema.json",
    "https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json",
)

#: The dialects credstack validates with (``$schema``, with or without the empty fragment).
DIALECTS = frozenset({
    "https://json-schema.org/draft/2019-09/schema",
    "https://json-schema.org/draft/2019-09/schema#",
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2020-12/schema#",
})

@dataclass(frozen=True)
class Fetched:
    package: Package
    licence: bytes
    files: dict[str, bytes]


def download(package: Package, workdir: Path) -> Path:
    """The pinned source distribution, downloaded by pip in hash-checking mode."""
    requirements = workdir / f"{package.slug}.txt"
    requirements.write_text(
        f"{package.name}=={package.version} --hash=sha256:{package.sha256}\n", encoding="utf-8"
    )
    target = workdir / package.slug
    pinning.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                 "--require-hashes", "--disable-pip-version-check", "-r", str(requirements),
                 "-d", str(target)], workdir)
    tarball = target / package.filename
    if not tarball.is_file():
        raise RefreshError(f"pip did not save {package.filename} for {package.name}")
    pinning.check_pin(package.filename, tarball.read_bytes(), package.sha256)
    return tarball


def read_members(tarball: Path, names: list[str]) -> dict[str, bytes]:
    """The named regular files of the tarball, read without extracting anything."""
    found: dict[str, bytes] = {}
    with tarfile.open(tarball) as archive:
        for name in names:
            try:
                member = archive.getmember(name)
            except KeyError:
                raise RefreshError(f"{tarball.name} has no {name}") from None
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is None:
                raise RefreshError(f"{tarball.name}: {name} is not a regular file")
            with handle:
                found[name] = handle.read()
    return found


def fetch(package: Package, workdir: Path) -> Fetched:
    tarball = download(package, workdir)
    schemas = [schema.member for schema in SCHEMAS if schema.package == package.name]
    members = read_members(tarball, [package.licence_member, *schemas])
    licence = members.pop(package.licence_member)
    return Fetched(package, licence, members)


def check_schema(schema: SchemaFile, data: bytes, bundled: set[str]) -> None:
    digest = sha256_hex(data)
    if digest != schema.sha256:
        raise RefreshError(
            f"{schema.url}: {schema.member} has SHA-256 {digest}, pinned {schema.sha256}; "
            "review the new file, then update SCHEMAS"
        )
    document = json.loads(data)
    if not isinstance(document, dict):
        raise RefreshError(f"{schema.url}: not a JSON object")
    if document.get("$id") != schema.url:
        raise RefreshError(f"{schema.url}: its $id is {document.get('$id')!r}")
    dialect = document.get("$schema")
    if dialect not in DIALECTS:
        raise RefreshError(f"{schema.url}: dialect {dialect!r} is not 2019-09 or 2020-12")
    validator = validators.validator_for(document)
    try:
        validator.check_schema(document)
    except schema_errors.SchemaError as error:
        raise RefreshError(f"{schema.url}: not a valid {dialect} schema: {error.message}") from None
    for written, base in schema_references(document, schema.url):
        target = urljoin(base, written)
        if urldefrag(target).url not in bundled:
            raise RefreshError(
                f"{schema.url}: $ref {written!r} points outside the bundle ({target}); "
                "validation could not run offline"
            )


def collect(workdir: Path) -> list[Fetched]:
    fetched = [fetch(package, workdir) for package in PACKAGES]
    contents = {member: data for item in fetched for member, data in item.files.items()}
    bundled = {schema.url for schema in SCHEMAS}
    for schema in SCHEMAS:
        check_schema(schema, contents[schema.member], bundled)
    return fetched


def manifest() -> dict[str, Any]:
    return {
        "comment": "Written by scripts/refresh_schemas.py; do not edit. Each schema is keyed "
        "by the URL it is published at, which is also its $id.",
        "packages": {
            package.name: {
                "registry": "pypi",
                "version": package.version,
                "distribution": package.filename,
                "sha256": package.sha256,
                "license": package.declared_licence,
                "licence": f"LICENSES/{package.slug}.txt",
            }
            for package in PACKAGES
        },
        "variants": {JSON_LD_ADAPTATION: VARIANT_NOTE},
        "schemas": {
            schema.url: {
                "file": f"files/{schema.file}",
                "package": schema.package,
                "version": next(p.version for p in PACKAGES if p.name == schema.package),
                "source": schema.member,
                "sha256": schema.sha256,
                "variant": schema.variant,
            }
            for schema in sorted(SCHEMAS, key=lambda item: item.url)
        },
        "not_bundled": list(NOT_BUNDLED),
    }


LICENCE_README = """\
# Licences of the bundled JSON Schemas

The files in `../files/` are copied byte for byte from this PyPI package (see
`../manifest.json` for which file comes from where, at which version and digest):

{rows}

The schemas are 1EdTech's: the Open Badges 3.0 JSON Schemas published under
https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ (Copyright © 1EdTech Consortium, Inc.; use of
the specification is governed by the 1EdTech specification licence,
https://www.1edtech.org/standards/specification-license). `openbadgeslib` redistributes them
unchanged as test fixtures (`tests/fixtures/ob_schemas/`, "taken verbatim from the canonical
schema directory", captured 2026-07-04); its own licence is included because that is the
package they were taken from.

Written by `scripts/refresh_schemas.py`.
"""


def show(_fetched: list[Fetched]) -> None:
    for schema in SCHEMAS:
        print(f"{schema.url}\n    {schema.package}: {schema.member}")


def write(fetched: list[Fetched]) -> None:
    contents = {member: data for item in fetched for member, data in item.files.items()}
    rows = "\n".join(
        f"* `{package.name}` {package.version} (source distribution `{package.filename}`, "
        f"{package.declared_licence}): `{package.slug}.txt`"
        for package in PACKAGES
    )
    pinning.write_bundle(
        BUNDLE, files={schema.file: contents[schema.member] for schema in SCHEMAS},
        licences={item.package.slug: item.licence for item in fetched},
        readme=LICENCE_README.format(rows=rows), manifest=manifest())


def main(argv: list[str] | None = None) -> int:
    return pinning.refresh(argv, script="schemas",
                           description=(__doc__ or "").split("\n\n")[0],
                           collect=collect, show=show, write=write)


if __name__ == "__main__":
    sys.exit(main())
