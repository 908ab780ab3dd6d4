"""Running credstack in production: health, metrics, request ids, backups."""
