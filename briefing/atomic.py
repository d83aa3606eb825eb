"""Writing output files: whole or not at all, never through a planted link.

Every file briefing writes (the briefing's PDF, HTML and JSON, an exported
glossary, a calibrated register, scheduler files, a scaffolded workspace) goes
through `write_atomic`: the bytes go to a new temporary file created
exclusively, under an unpredictable name, in the target's own folder; then
`os.replace` puts it in place. A link planted at the target is replaced, not
followed, and a reader never sees half a file. An operating-system failure (a
read-only folder, a path under a file, a target that is a folder) becomes one
`BriefingError` naming the path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from briefing.errors import BriefingError, Location

FILE_MODE = 0o644


def make_folder(folder: Path, *, what: str = "output folder") -> None:
    """Create `folder` (and its parents) unless it exists; one clear error if it cannot be."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise BriefingError(
            f"cannot create the {what}: a file is in the way on its path",
            where=Location(folder),
            hint="choose another folder, or move the file",
        ) from None
    except OSError as err:
        raise BriefingError(
            f"cannot create the {what}: {_reason(err)}",
            where=Location(folder),
            hint="choose a folder you can write to",
        ) from None


def write_atomic(target: Path, data: bytes | str) -> Path:
    """Write `data` to `target` atomically (UTF-8 for text); returns `target`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target.is_dir() and not target.is_symlink():
        raise BriefingError(
            "cannot write the file: a folder of that name is in the way",
            where=Location(target),
            hint="remove or rename that folder, or choose another output folder",
        )
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as err:
        raise BriefingError(
            f"cannot write in this folder: {_reason(err)}",
            where=Location(target.parent),
            hint="choose a folder you can write to",
        ) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise BriefingError(
            f"cannot write the file: {_reason(err)}",
            where=Location(target),
            hint="check the free space and the folder's permissions",
        ) from None
    return target


def _reason(err: OSError) -> str:
    return (err.strerror or type(err).__name__).lower()
