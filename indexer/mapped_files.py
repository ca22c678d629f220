"""Whoosh's segment files read in place from the operating system's page cache.

Takes nothing; `install()` (idempotent, called where an index is opened) makes every
file Whoosh opens inside a compound segment file (`.seg`: the terms, postings, stored
fields…) a view of the file's memory map, where Whoosh 2.7 copied each into a private
`io.BytesIO` on open. Gives: opening a generation without reading its postings
(at 100k articles, two 253 MB postings files and two 16 MB terms files copied by
every process that opened it, 0.9 s and 530 MB), and processes on one generation
(server workers, the indexer, a CLI search) sharing the same pages.

Whoosh internals (whoosh-reloaded 2.7 is pinned): `whoosh.filedb.compound` builds a
`BufferFile(memoryview, name=…)` per file and `StructFile`'s readers call
`self.file.read/seek/tell`. tests/test_mapped_files.py pins both.
"""

from __future__ import annotations

import io
import pickle
import struct

import whoosh.filedb.compound as _compound
from whoosh.filedb.structfile import BufferFile

__all__ = ["MappedFile", "install"]

_INT = struct.Struct("!i")  # StructFile.read_int's format (whoosh.system._INT_SIZE)


class _View:
    """read/seek/tell over a memoryview: a file without a copy of its bytes."""

    __slots__ = ("_buf", "_pos", "closed")

    def __init__(self, buf):
        self._buf = buf
        self._pos = 0
        self.closed = False

    def read(self, n: int = -1) -> bytes:
        start = self._pos
        end = len(self._buf) if n is None or n < 0 else min(start + n, len(self._buf))
        self._pos = max(start, end)
        return bytes(self._buf[start:end])

    def readline(self, limit: int = -1) -> bytes:  # pickle.load wants one
        end = (
            len(self._buf) if limit is None or limit < 0 else min(len(self._buf), self._pos + limit)
        )
        start = at = self._pos
        while at < end:  # a chunk at a time: never a copy of the rest of the file
            chunk = bytes(self._buf[at : min(at + 256, end)])
            newline = chunk.find(b"\n")
            if newline >= 0:
                end = at + newline + 1
                break
            at += len(chunk)
        self._pos = end
        return bytes(self._buf[start:end])

    def readinto(self, into) -> int:
        data = self.read(len(into))
        into[: len(data)] = data
        return len(data)

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += len(self._buf)
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self.closed = True  # the map belongs to the compound file, which closes it

    def flush(self) -> None:
        pass


class MappedFile(BufferFile):
    """Whoosh's BufferFile, its `file` a _View of the map rather than a BytesIO copy.

    The reads a posting block takes (seek, read_int, read_pickle, tell: W3LeafMatcher's
    `_goto`) are answered here from the view, without a call through `file` each; a
    pickle is loaded from a slice (pickle stops at its STOP code), not read opcode by
    opcode from a Python-level file."""

    def __init__(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.file = _View(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def read(self, n: int = -1) -> bytes:
        return self.file.read(n)

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence:
            return self.file.seek(pos, whence)
        self.file._pos = pos
        return pos

    def tell(self) -> int:
        return self.file._pos

    def read_int(self) -> int:
        view = self.file
        value = _INT.unpack_from(self._buf, view._pos)[0]
        view._pos += _INT.size
        return value

    def read_pickle(self):
        view = self.file
        chunk = 256  # a posting block's info tuple takes about 40 bytes
        while True:
            data = io.BytesIO(self._buf[view._pos : view._pos + chunk])
            try:
                found = pickle.load(data)
            except (EOFError, pickle.UnpicklingError):
                if view._pos + chunk >= len(self._buf):
                    raise
                chunk *= 16
                continue
            view._pos += data.tell()
            return found


def install() -> None:
    """Make Whoosh's compound files open their parts as MappedFile (idempotent)."""
    if getattr(_compound, "BufferFile", None) is not MappedFile:
        _compound.BufferFile = MappedFile
