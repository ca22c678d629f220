"""Whoosh imported without two modules it imports and never calls here.

Takes nothing; `import_whoosh()` imports Whoosh's modules that import them, once, before
anything else of Whoosh is imported (indexer/__init__.py calls it, so every entry point
does: the CLI, the server's workers, the library).

`whoosh.compat` imports `urllib.request` for `urlretrieve` (a Python 2 shim that no path
of this project calls): 36 ms of `http.client` and `email` at each process's start.
`whoosh.reading` imports the `cached_property` package for one property of a segment's
reader, and that package imports `asyncio` (for coroutines Whoosh has none of): 27 ms.
A CLI search, an update and each server worker paid both, where a fresh process's first
answer and one changed post at 100k are targets of about a second. While Whoosh's two
modules are imported, stand-ins answer for them: an `urlretrieve` that imports the real
module when called, and `functools.cached_property` (the same descriptor: computed once,
kept in the instance's `__dict__`). Then the stand-ins leave `sys.modules`, so any later
import gets the real modules. This is the project's one reach into how Whoosh imports;
tests/test_whoosh_loading.py pins it, so a Whoosh upgrade that imports them otherwise
fails there.
"""

from __future__ import annotations

import functools
import sys
import types


def _urlretrieve(*args, **kwargs):
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


# The module each stand-in stands for, with what Whoosh takes from it.
STAND_INS = {
    "urllib.request": {"urlretrieve": _urlretrieve},
    "cached_property": {"cached_property": functools.cached_property},
}
# The modules of Whoosh that import them.
IMPORTING = ("whoosh.compat", "whoosh.reading")


def import_whoosh() -> None:
    """Import Whoosh's modules that import STAND_INS' modules, with the stand-ins in
    their place; nothing if one of those modules of Whoosh is imported already."""
    if any(name in sys.modules for name in IMPORTING):
        return
    placed = {}
    for name, names in STAND_INS.items():
        if name in sys.modules:
            continue  # (loaded already: nothing to save)
        module = types.ModuleType(name, f"a stand-in while Whoosh is imported ({__name__})")
        module.__dict__.update(names)
        placed[name] = sys.modules[name] = module
    try:
        for name in IMPORTING:
            __import__(name)
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
