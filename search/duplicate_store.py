"""The duplicate groups kept in a generation: `duplicates.json`, stamped with the
generation's name.

Takes a generation's folder (and the groups, to `save_groups`); gives the groups found
for that very generation (`load_duplicates`), or how many (`load_summary`), or None.
Plain files only: the state, the finder and the web layer all read it, and it reads
none of them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

DUPLICATES_FILE = "duplicates.json"
# How many groups, found in how long: what `rocksearch index` prints after a run that
# changed nothing, without parsing every group (0.24 s at 100k posts).
SUMMARY_FILE = "duplicates.summary.json"
LOCK_FILE = "duplicates.LOCK"  # never hard-linked into the next generation


def save_groups(generation: Path, groups: list[dict], seconds: float) -> dict:
    """Keep `groups` in the generation, stamped with its name (written to a temporary
    name and renamed: readers see all or nothing)."""
    data = {"generation": generation.name, "groups": groups, "seconds": seconds}
    _write(generation / DUPLICATES_FILE, json.dumps(data, ensure_ascii=False))
    save_summary(generation, len(groups), seconds)
    return data


def save_summary(generation: Path, count: int, seconds: float) -> None:
    """Keep how many groups the generation has (see SUMMARY_FILE); also for a generation
    an older version wrote, once its groups were read."""
    summary = {"generation": generation.name, "count": count, "seconds": seconds}
    _write(generation / SUMMARY_FILE, json.dumps(summary))


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def load_duplicates(generation_path: str | Path) -> dict | None:
    """The groups found for this very generation, or None. A new generation starts with
    hard links to the previous one's files, this one included: groups stamped with
    another generation's name are stale and are not returned."""
    return _read_stamped(Path(generation_path), DUPLICATES_FILE)


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
