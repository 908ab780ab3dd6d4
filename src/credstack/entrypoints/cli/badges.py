"""``credstack badge …``: badge images, and credentials baked into them.

* ``credstack badge image --programme ID [--version N] [--format svg|png] -o FILE`` — the badge
  of a published programme version (the newest published one by default), from the store.
* ``credstack badge bake CREDENTIAL_FILE --image IMAGE -o OUT`` — bake a credential (JSON,
  a compact JWS, or the VC-API's forms) into a PNG or SVG; OB 3.0 or OB 2.0 is judged from
  the credential unless ``--standard`` says.
* ``credstack badge extract IMAGE`` — print what is baked in an image (``--json``: with the
  standard, kind and where it was found).

Exit codes: 0 done; 1 the store cannot give what was asked (no such programme or version);
2 the input cannot be used (not an image, nothing baked, a malformed chunk or element).
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from credstack.core.images.badge_svg import badge_svg, design_for_programme
from credstack.core.images.baked import Standard
from credstack.entrypoints.cli.console import (
    DataDir,
    err,
    exit_on_error,
    read_input,
    runtime,
    t,
)
from credstack.services.badges import service as baked
from credstack.services.programmes import published

app = typer.Typer(help="cli.help.badges.badge_images_and_baked",
                  no_args_is_help=True)

Output = Annotated[Path, typer.Option("--output", "-o", help="cli.help.badges.the_file_to_write")]


class ImageFormat(StrEnum):
    SVG = "svg"
    PNG = "png"


class StandardChoice(StrEnum):
    AUTO = "auto"
    OB3 = "ob3"
    OB2 = "ob2"


def _refusing() -> AbstractContextManager[None]:
    """Exit 2 when the input cannot be used, 1 when the store cannot give what was asked."""
    return exit_on_error(1, input_code=2)


@app.command(help="cli.help.badges.write_the_badge_of")
def image(
    programme: Annotated[int, typer.Option("--programme",
        help="cli.help.badges.the_programmes_id")],
    output: Output,
    version: Annotated[int | None, typer.Option(
        help="cli.help.badges.a_published_version_default")] = None,
    fmt: Annotated[ImageFormat, typer.Option("--format",
        help="cli.help.badges.svg_or_png")] = ImageFormat.SVG,
    data_dir: DataDir = None,
) -> None:
    with _refusing():
        with runtime(data_dir) as opened:
            chosen = published.published_version(opened, programme_id=programme,
                                                 version=version)
        design = design_for_programme(chosen.programme)
        if fmt is ImageFormat.SVG:
            data = badge_svg(design).encode("utf-8")
        else:
            rendered = baked.render_badge_png(design)
            data = rendered.png
            if rendered.latin_only:
                err.print(t("cli.badges.no_japanese_font_was_found"), soft_wrap=True)
    output.write_bytes(data)
    err.print(t("cli.badges.wrote_badge_programme_v", programme=programme, version=chosen.version,
                output=output),
              markup=False, soft_wrap=True)


@app.command(help="cli.help.badges.bake_a_credential_into")
def bake(
    credential_file: Annotated[str, typer.Argument(metavar="CREDENTIAL_FILE",
                                                   help="cli.help.badges.the_credential_or_for")],
    image_file: Annotated[Path, typer.Option("--image", help="cli.help.badges.the_png_or_svg")],
    output: Output,
    standard: Annotated[StandardChoice, typer.Option(
        help="cli.help.badges.ob3_or_ob2_baking")] = StandardChoice.AUTO,
    replace: Annotated[bool, typer.Option(help="cli.help.badges.replace_a_credential_already")]
    = False,
) -> None:
    with _refusing():
        text = baked.credential_text(read_input(credential_file,
                                                limit=baked.MAX_IMAGE_BYTES)[0])
        picture = read_input(str(image_file), limit=baked.MAX_IMAGE_BYTES)[0]
        chosen = None if standard is StandardChoice.AUTO else Standard(standard.value)
        result = baked.bake(picture, text, standard=chosen, replace=replace)
        extracted = baked.extract_credential(result)
    output.write_bytes(result)
    err.print(t("cli.badges.baked_credential_into", label=extracted.standard.label,
                value=extracted.kind.value, output=output), markup=False, soft_wrap=True)


@app.command(help="cli.help.badges.print_the_credential_baked")
def extract(
    image_file: Annotated[str, typer.Argument(metavar="IMAGE",
                                              help="cli.help.badges.a_baked_png_or")],
    as_json: Annotated[bool, typer.Option("--json",
        help="cli.help.badges.print_the_standard_kind")] = False,
) -> None:
    with _refusing():
        extracted = baked.extract_credential(
            read_input(image_file, limit=baked.MAX_IMAGE_BYTES)[0])
    if as_json:
        typer.echo(json.dumps(extracted.to_dict(), ensure_ascii=False, indent=2))
        return
    err.print(t("cli.badges.from", label=extracted.standard.label, value=extracted.kind.value,
                where=extracted.where), markup=False, soft_wrap=True)
    typer.echo(extracted.text)
