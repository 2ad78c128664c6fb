"""Command-line interface. Each sub-command lives in its own module with `register` and `run`."""
