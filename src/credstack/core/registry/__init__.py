"""The public registry: search specifications and side-by-side comparison, as plain data."""
