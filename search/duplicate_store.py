"""The duplicate groups kept in a generation: `duplicates.json`, stamped with the
generation's name.

Takes a generation's folder (and the groups, to `save_groups`); gives the groups found
for that very generation (`load_duplicates`), or how many (`load_summary`), or None.
Plain files only: the state, the finder and the web layer all read it, and it reads
none of them.

In memory the groups are `KeptGroups`: each group's JSON text (UTF-8 bytes: written out
as they are, where encoding 12 MB of text took 13 ms of every update), decoded when it is shown,
with its members' ids at hand. An update of the groups changes a few of 13,000 at 100k
posts; as dicts, every group was pickled, unpickled, encoded as JSON and pickled again
for the warm-up cache on every `rocksearch index` call (0.8 s at 100k), while the texts
of the groups it keeps are only joined. A member's `source` (where the post is now) is
not in its text: it is filled in from the generation's places when a group is decoded,
so that a post moved to another line changes no group.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from indexer.places import Places

DUPLICATES_FILE = "duplicates.json"
# How many groups, found in how long: what `rocksearch index` prints after a run that
# changed nothing, without parsing every group (0.24 s at 100k posts).
SUMMARY_FILE = "duplicates.summary.json"
LOCK_FILE = "duplicates.LOCK"  # never hard-linked into the next generation


class KeptGroups(Sequence):
    """Duplicate groups as a list, largest first (then by canonical id), each kept as its
    JSON text and decoded when first asked for; `ids[n]`: the ids of group n's members,
    canonical first. `where` (not kept: set by whoever reads them) gives a post's
    source as the generation has it."""

    def __init__(self, texts: list[bytes], ids: list[tuple[str, ...]]):
        self.texts, self.ids = texts, ids
        self.where: Callable[[str], dict | None] | None = None
        self._decoded: dict[int, dict] = {}

    @classmethod
    def of(cls, groups: Iterable[dict]) -> KeptGroups:
        """From groups as the finder gives them ({"canonical", "members": [...]})."""
        return cls.joined([], list(groups))

    @classmethod
    def joined(cls, kept: Iterable[tuple[bytes, tuple[str, ...]]], new: list[dict]) -> KeptGroups:
        """Groups `kept` as (text, ids) and `new` ones (dicts, encoded here), in order."""
        rows = list(kept)
        for group in new:
            members = [{k: v for k, v in m.items() if k != "source"} for m in group["members"]]
            text = json.dumps({**group, "members": members}, ensure_ascii=False).encode("utf-8")
            rows.append((text, tuple(m["id"] for m in group["members"])))
        rows.sort(key=lambda row: (-len(row[1]), row[1][0]))
        return cls([t for t, _ in rows], [i for _, i in rows])

    def rows(self) -> Iterable[tuple[bytes, tuple[str, ...]]]:
        return zip(self.texts, self.ids, strict=True)

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        found = self._decoded.get(n)
        if found is None:
            found = self._decoded[n] = placed(json.loads(self.texts[n]), self.where)
        return found

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # a list, not a value

    def __getstate__(self) -> tuple:
        return self.texts, self.ids

    def __setstate__(self, state: tuple) -> None:
        self.texts, self.ids = state
        if self.texts and isinstance(self.texts[0], str):  # (kept as text until 2026-11-30)
            self.texts = [text.encode("utf-8") for text in self.texts]
        self.where, self._decoded = None, {}


def placed(group: dict, where: Callable[[str], dict | None] | None) -> dict:
    """`group` with each member's source where `where` (the generation's places) has the
    post now; a member it does not know keeps the source it has, if any."""
    for member in group["members"]:
        found = where(member["id"]) if where is not None else None
        member["source"] = found or member.get("source")
    return group


def save_groups(generation: Path, groups: KeptGroups | list[dict], seconds: float) -> dict:
    """Keep `groups` in the generation, stamped with its name (written to a temporary
    name and renamed: readers see all or nothing). The file is one JSON document; its
    groups are the kept texts, joined."""
    kept = groups if isinstance(groups, KeptGroups) else KeptGroups.of(groups)
    head = json.dumps({"generation": generation.name, "seconds": seconds}).encode("utf-8")
    _write(generation / DUPLICATES_FILE,
           b"".join([head[:-1], b', "groups": [', b", ".join(kept.texts), b"]}"]))  # fmt: skip
    save_summary(generation, len(groups), seconds)
    return {"generation": generation.name, "groups": groups, "seconds": seconds}


def save_summary(generation: Path, count: int, seconds: float) -> None:
    """Keep how many groups the generation has (see SUMMARY_FILE); also for a generation
    an older version wrote, once its groups were read."""
    summary = {"generation": generation.name, "count": count, "seconds": seconds}
    _write(generation / SUMMARY_FILE, json.dumps(summary).encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def load_duplicates(generation_path: str | Path) -> dict | None:
    """The groups found for this very generation, or None. A new generation starts with
    hard links to the previous one's files, this one included: groups stamped with
    another generation's name are stale and are not returned. Each member's source is
    where the generation's places have it (see the module docstring)."""
    path = Path(generation_path)
    data = _read_stamped(path, DUPLICATES_FILE)
    if data is not None:
        places = Places.load(path)
        for group in data.get("groups", ()):
            placed(group, places.get if places is not None else None)
    return data


def load_summary(generation_path: str | Path) -> dict | None:
    """{"count", "seconds"} of the groups found for this very generation, or None (none
    found yet, or an older version's generation, which kept no summary)."""
    return _read_stamped(Path(generation_path), SUMMARY_FILE)


def _read_stamped(generation_path: Path, name: str) -> dict | None:
    """File `name` of the generation, if it is stamped with the generation's name."""
    try:
        data = json.loads((generation_path / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generation") != generation_path.name:
        return None
    return data
