"""The web adapter: the JSON API (FastAPI) and the pages (Jinja2 + htmx)."""
