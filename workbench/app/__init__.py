"""The Textual workbench app. Renders the engine's Result; computes nothing of its own."""
