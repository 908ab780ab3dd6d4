"""The ELM reference files for the dataset tests: the same session fixtures as the EDC tests'."""

from tests.core.elm.conftest import elm_dir, elm_loader, elm_reference

__all__ = ["elm_dir", "elm_loader", "elm_reference"]
