"""The command-line adapter: ``credstack …``."""
