"""The error of saved case files, importable without the case format itself.

`workbench.session` (which imports pydantic) re-exports it; the app and screenshot commands catch
it at every start, when most starts open no case file, so they import it from here.
"""


class CaseFileError(Exception):
    """A case file cannot be read or written; `str()` is one line naming the file and the cause."""
