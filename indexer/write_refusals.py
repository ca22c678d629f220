"""Which failures of a write mean the disk refused it, not that rocksearch erred.

Takes an exception (`refused`); gives whether it is an OSError of a disk that is full,
over quota, read-only, not writable by this user or failing. The indexer and the
crawler stop at such an error with one sentence that names the file, and keep what was
there before; any other OSError is a fault of ours, shown whole.
"""

from __future__ import annotations

import errno

WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG,
                          errno.EACCES, errno.EPERM, errno.EIO})  # fmt: skip


def refused(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS


def reason(exc: OSError) -> str:
    """What the system said, and where: "No space left on device (/path/to/file)"."""
    what = exc.strerror or str(exc)
    return f"{what} ({exc.filename})" if exc.filename else what
