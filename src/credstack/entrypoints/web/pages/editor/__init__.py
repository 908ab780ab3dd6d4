"""The programme editor of a provider's workspace (``/workspace/{slug}/programmes``): see
:mod:`.programmes` for its pages, :mod:`.form` for the form and :mod:`.views` for what the
pages show."""

from credstack.entrypoints.web.pages.editor.programmes import router as router

__all__ = ["router"]
