"""Which bytes at the start and at the end of a rewritten file are as they were.

Takes a file's bytes, or the open file (`Blocks.of_file`, read a chunk at a time); gives
its block digests (`Blocks.of`: XXH3 of each 64 KiB block counted from the start, and of
each counted from the end) and, against the digests of
an earlier version, how many bytes at the start and at the end of the new version are
the old ones (`Blocks.unchanged`).

Why: a JSON Lines corpus is often one file, rewritten whole when one post changes. At
100k posts (290 MB) finding, hashing and looking up each of its lines took 0.5 s of a
one-post update; hashing its blocks from both ends takes 0.03 s, and only the lines
between the unchanged start and the unchanged end are looked at line by line
(indexer/read_cache.py). An edit, an insertion or a deletion anywhere leaves the blocks
before it equal counted from the start and those after it equal counted from the end,
as rsync's and git's delta finders count on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xxhash

BLOCK = 64 * 1024
CHUNK = 64 * BLOCK  # (of_file's buffer: 4 MB)
DIGEST = 16  # bytes of an XXH3-128 digest


@dataclass(frozen=True)
class Blocks:
    size: int  # the file's bytes
    heads: bytes  # digest of block k = bytes [k*BLOCK, (k+1)*BLOCK), whole blocks only
    tails: bytes  # digest of block k = bytes [size-(k+1)*BLOCK, size-k*BLOCK)

    @classmethod
    def of(cls, data: bytes) -> Blocks:
        size, view = len(data), memoryview(data)
        whole = size // BLOCK * BLOCK
        heads = b"".join(_digests(view[:whole]))
        tails = b"".join(reversed(_digests(view[size - whole :])))  # (the last block first)
        return cls(size, heads, tails)

    @classmethod
    def of_file(cls, handle, size: int) -> Blocks:
        """`of` for the open file `handle` of `size` bytes, read once, a chunk at a time,
        into one buffer, so that the file's bytes are never all in memory (at 100k posts,
        reading the 288 MB file into one object took 0.25 s, most of it the kernel handing
        out 70,000 fresh pages). Both kinds of block are digested from the same reading:
        the buffer keeps the last block of the chunk before, for a block counted from the
        end that starts in it (read from the start and again from the end, the file took
        0.1 s at 100k posts). OSError if the file is shorter than `size`."""
        whole = size // BLOCK * BLOCK
        buffer = memoryview(bytearray(BLOCK + CHUNK))  # (buffer[BLOCK + i]: byte pos + i)
        digest = xxhash.xxh3_128_digest
        heads: list[bytes] = []
        tails: list[bytes] = []  # (first to last; a block counted from the end ends at
        end = size - whole + BLOCK  # `end`, the next one a block further)
        handle.seek(0)
        pos = 0
        while pos < size:
            want = min(CHUNK, size - pos)
            got = 0
            while got < want:
                n = handle.readinto(buffer[BLOCK + got : BLOCK + want])
                if not n:
                    raise OSError("the file is shorter than it was")
                got += n
            if pos < whole:  # (pos and CHUNK are whole blocks: so are these)
                heads += _digests(buffer[BLOCK : BLOCK + min(want, whole - pos)])
            while whole and end <= pos + want:  # those that end in this chunk
                at = end - pos  # (its start, at - BLOCK, is in the kept block or after)
                tails.append(digest(buffer[at : at + BLOCK]))
                end += BLOCK
            pos += want
            if pos < size:
                buffer[:BLOCK] = buffer[want : want + BLOCK]  # (want is CHUNK here)
        return cls(size, b"".join(heads), b"".join(reversed(tails)))

    def unchanged(self, new: Blocks) -> tuple[int, int]:
        """(bytes at the start, bytes at the end) of `new`'s file that are this file's
        own, each a whole number of blocks, never overlapping in either file (their sum
        is at most the smaller size)."""
        head = _equal_run(self.heads, new.heads)
        prefix = head * BLOCK
        room = (min(self.size, new.size) - prefix) // BLOCK  # tail blocks that fit after it
        tail = _equal_run(self.tails[: room * DIGEST], new.tails[: room * DIGEST])
        return prefix, tail * BLOCK


def _digests(view: memoryview) -> list[bytes]:
    """The digest of each whole block of `view`, in order."""
    digest = xxhash.xxh3_128_digest
    return [digest(view[k : k + BLOCK]) for k in range(0, len(view) - BLOCK + 1, BLOCK)]


def _equal_run(a: bytes, b: bytes) -> int:
    """How many digests from the first on are equal in `a` and `b`."""
    n = min(len(a), len(b)) // DIGEST
    if n == 0:
        return 0
    left = np.frombuffer(a, dtype=np.uint64, count=2 * n).reshape(n, 2)
    right = np.frombuffer(b, dtype=np.uint64, count=2 * n).reshape(n, 2)
    differ = np.flatnonzero((left != right).any(axis=1))
    return int(differ[0]) if len(differ) else n
