"""Where each article of a generation was read this time, kept compact for searches.

Takes the indexer's `{article id: source}` (`Places.of`; a source is a small dict such as
`{"file": "posts.jsonl", "line": 12}`); gives a `Places`, which a search asks for the few
articles it shows (`get`) and the next indexer run compares with what it read
(`as_dict`). The index stores the place where an article was first read; this is where
it is now (a post deleted above it moves it up a line without re-indexing it).

Kept in each generation as `places.pickle`: the ids in one list, file numbers and lines
as arrays, and any source of another shape as it is. Reading it takes about 10 ms at
100k articles, where the same map as JSON took 0.2 s of every process's first search.
Like the index's other pickles, the folder must be writable only by those trusted to
run code as rocksearch.
"""

from __future__ import annotations

import os
import pickle
from itertools import repeat
from pathlib import Path

import numpy as np

FILE = "places.pickle"
VERSION = 1


class Places:
    def __init__(self, ids: list[str], files: list[str], file_of: np.ndarray,
                 line_of: np.ndarray, other: dict[str, dict]):  # fmt: skip
        self.ids = ids  # articles whose source is {"file": ..., "line": ...}
        self.files = files  # file names, by number
        self.file_of = file_of  # ids[n]'s file number
        self.line_of = line_of  # ids[n]'s line
        self.other = other  # any other source, by id
        self._number: dict[str, int] | None = None

    @classmethod
    def of(cls, sources: dict[str, dict]) -> Places:
        return cls.of_placed(list(sources.items()))

    @classmethod
    def of_placed(cls, placed: list) -> Places:
        """`of` for what the indexer read, in order (indexer.build.Loaded.placed): (id,
        source) pairs and runs (indexer.article.KnownRun), whose columns are taken whole
        (at 100k posts, one edited, a dict a post took 0.05 s to make and as long to
        read here)."""
        ids: list[str] = []
        numbers: dict[str, int] = {}
        file_of: list[int] = []
        line_of: list[int] = []
        other: dict[str, dict] = {}
        for entry in placed:
            if entry.__class__ is not tuple:  # a KnownRun: lines of one file
                ids += entry.ids
                file_of += repeat(numbers.setdefault(entry.file, len(numbers)), len(entry.ids))
                line_of += entry.lines
                continue
            article_id, source = entry
            file, line = source.get("file"), source.get("line")
            if len(source) == 2 and type(file) is str and type(line) is int and line >= 0:
                ids.append(article_id)
                file_of.append(numbers.setdefault(file, len(numbers)))
                line_of.append(line)
            else:
                other[article_id] = source
        return cls(ids, list(numbers), np.array(file_of, dtype=np.int32),
                   np.array(line_of, dtype=np.int64), other)  # fmt: skip

    def get(self, article_id: str) -> dict | None:
        """The source of `article_id` as the indexer was given it; None if unknown."""
        if self._number is None:
            self._number = dict(zip(self.ids, range(len(self.ids)), strict=True))
        n = self._number.get(article_id)
        if n is None:
            return self.other.get(article_id)
        return {"file": self.files[self.file_of[n]], "line": int(self.line_of[n])}

    def as_dict(self) -> dict[str, dict]:
        files, lines = self.file_of.tolist(), self.line_of.tolist()
        found = {i: {"file": self.files[f], "line": n}
                 for i, f, n in zip(self.ids, files, lines, strict=True)}  # fmt: skip
        found.update(self.other)
        return found

    def __len__(self) -> int:
        return len(self.ids) + len(self.other)

    def same_as(self, other: Places) -> bool:
        """Whether both give every article the same source (as_dict() == as_dict()).
        Kept in the same order, as a run that changed nothing reads them, they are
        compared as columns: two dicts of 100k posts took 0.2 s to make and compare."""
        if (self.ids == other.ids and self.files == other.files and self.other == other.other
                and np.array_equal(self.file_of, other.file_of)
                and np.array_equal(self.line_of, other.line_of)):  # fmt: skip
            return True
        return self.as_dict() == other.as_dict()

    def save(self, folder: str | Path) -> Path:
        """Write `places.pickle` in `folder` (a temporary name, then a rename: a new
        generation's file must never be written through a link to an older one's)."""
        path = Path(folder) / FILE
        data = {"version": VERSION, "ids": self.ids, "files": self.files,
                "file_of": self.file_of.tobytes(), "line_of": self.line_of.tobytes(),
                "other": self.other}  # fmt: skip
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, folder: str | Path) -> Places | None:
        """The places kept in `folder`; None if there are none, or none this version reads
        (then searches show the place the index stored)."""
        try:
            data = pickle.loads((Path(folder) / FILE).read_bytes())
        except (OSError, EOFError, ValueError, AttributeError, ImportError, pickle.PickleError):
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        return cls(data["ids"], data["files"], np.frombuffer(data["file_of"], dtype=np.int32),
                   np.frombuffer(data["line_of"], dtype=np.int64), data["other"])  # fmt: skip
