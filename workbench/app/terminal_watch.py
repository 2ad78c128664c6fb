"""Whether the app's terminal is still there.

A process that is not its terminal's session leader (the app under `make run`) may outlive the
terminal: no hang-up signal reaches it, and reading its input then returns nothing at once, so
Textual's input thread spins. The app checks the terminal now and then and ends when it is gone.
"""

from __future__ import annotations

import sys

CHECK_SECONDS = 1.0
"""How often the app checks its terminal."""


def terminal_gone(fd: int) -> bool:
    """True when `fd` was a terminal that has hung up (its settings can no longer be read)."""
    if sys.platform == "win32":
        return False
    import termios

    try:
        termios.tcgetattr(fd)
    except termios.error:
        return True
    return False
