"""Writing a report or a decisions file the way a user expects a file to be written.

- A regular file (or a new one) is written to a temporary file beside it and renamed
  into place, so a failed run leaves the old file whole. The new file gets the old file's
  mode, or for a new file the mode the umask gives (0666 & ~umask), as `>` would.
- A symlink is followed: its target is written, the link stays a link.
- Anything that is not a regular file (/dev/null, /dev/stdout, a FIFO, a terminal) is
  written through, never replaced: renaming over /dev/null as root would replace the
  machine's /dev/null with a file.
"""

from __future__ import annotations

import os
import stat
import tempfile


def write_text(path: str, text: str) -> None:
    """Write `text` as UTF-8 to `path`; raises OSError for the caller to turn into a message."""
    target = os.path.realpath(path)
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".dedup-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it; it is put back at once)."""
    current = os.umask(0o022)
    os.umask(current)
    return current
