"""Files a command writes: refused when they exist (without ``--force``), checked before any work,
and written through a temporary file renamed into place.

Every command that writes a file calls :func:`check_output` before it starts working, so that a
mistake costs nothing and the refusal reads the same everywhere::

    commsim: error: -o report.html: the file exists; add --force to replace it

and :func:`atomic_write` (or :func:`write_with`) to write it, so an error or Ctrl-C never leaves
half a file and an existing file is only replaced once the new one is complete. A symbolic link
at the output path is replaced by the file, never written through.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sim.errors import UserError


def shown(path: Path | str) -> str:
    """A path as printed: relative to the current folder when it is inside it (shorter to copy)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def exists_message(path: Path | str, option: str) -> str:
    """The one sentence for an output that exists: ``-o x.csv: the file exists; ...``."""
    return f"{option} {path}: the file exists; add --force to replace it"


def refuse_existing(path: Path | str, option: str) -> None:
    """Raise when ``path`` exists (or is a dangling link); checked before any work."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        raise UserError(exists_message(path, option))


def _first_existing(path: Path) -> Path:
    """``path`` or its nearest ancestor that exists (the current folder for a relative name)."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path.cwd()


def check_folder_for(path: Path | str, option: str, is_folder: bool = False) -> None:
    """Refuse an output whose folder cannot be made or written: a file on the way ("-o under a
    file"), or a folder this user may not write in. ``is_folder``: ``path`` is itself the
    folder to write in (a results folder), not a file.

    Raises:
        UserError: naming the option, the path and the file or folder in the way.
    """
    path = Path(path)
    parent = _first_existing(path if is_folder else path.parent)
    if not parent.is_dir():
        raise UserError(f"{option} {path}: {parent} is a file, not a folder; choose another "
                        "place")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{option} {path}: cannot write in {parent} (permission denied); choose "
                        "another place")


def check_output(path: Path | str | None, option: str, force: bool = False) -> None:
    """Check an output file before any work: an existing one needs ``force``, a folder is not a
    file, and its folder must be writable.

    Raises:
        UserError: the file exists (without ``force``), is a folder, or cannot be written there.
    """
    if path is None:
        return
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise UserError(f"{option} {path}: it is a folder; expected a file name")
    if not force:
        refuse_existing(path, option)
    check_folder_for(path, option)


def write_with(path: Path | str, write: Callable[[Path], object], option: str = "") -> Path:
    """Call ``write(tmp)`` for a temporary file beside ``path``, then rename it into place.

    Raises:
        UserError: the folder cannot be made or the file cannot be written.
    """
    path = Path(path)
    prefix = f"{option} " if option else ""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; an output is not
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise UserError(f"{prefix}{path}: cannot write it ({exc.strerror or exc})") from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()
    return path


def atomic_write(path: Path | str, data: str | bytes, option: str = "") -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` through a temporary file renamed into place."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return write_with(path, lambda tmp: tmp.write_bytes(raw), option)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
