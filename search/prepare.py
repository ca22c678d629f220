"""What the indexer runs on a new generation before it publishes it.

Takes a `Generation` (`prepare_generation`, given to `build_index(before_publish=…)`);
gives nothing, but leaves in the generation what every reader would otherwise compute:
the warm-up of the query layer (`state.cache`, search/state.py) and the duplicate
groups (`duplicates.json`, updated for the changed posts: search/duplicate_update.py).
A generation is thus published with its groups: no reader ever sees it without them,
and no server computes them. `refresh_cache` writes the warm-up cache again into a
published generation whose cache this version cannot read (an older version's).
"""

from __future__ import annotations

from indexer.store import Generation
from search.duplicate_update import groups_for
from search.state import IndexState


def prepare_generation(generation: Generation) -> dict:
    """Warm-up and duplicate groups of `generation`, kept in it; gives what groups_for
    gives (the groups, their seconds, and whether an update found them)."""
    state = IndexState(generation)
    state.keep_segment_data()
    found = groups_for(state, generation.manifest, generation.changes)
    state.take_groups(found["groups"])  # any read before groups_for was the old file's
    state.save_cache()  # after the groups: the cache keeps them too
    return found


def refresh_cache(generation: Generation) -> bool:
    """Write the warm-up cache of a published generation if this version cannot read the
    one there (an older version wrote it, or none was written): else every fresh process
    computes the state itself, 2.5 s at 100k articles, until the next change is
    published. Gives whether it wrote one. Like the indexer's, the cache is written
    under a temporary name and renamed: a reader sees the old file or the new."""
    state = IndexState(generation)
    if state.cache_is_current():
        return False
    state.save_cache()
    return True
