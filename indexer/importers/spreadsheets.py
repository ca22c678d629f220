"""Spreadsheet importer: an Excel or OpenDocument workbook of posts, read as a CSV table.

Takes a workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.xls` or `.ods`: HubSpot's blog export in
Excel's format, a sheet kept by hand and never saved as CSV); gives the posts of its
first sheet whose header row names a table of posts, read by csv_posts.py with the same
columns, rules and problems, a row's line being its number as the spreadsheet shows
it. The header is the sheet's first row with two cells or more (a title row above a
table is passed over). A date cell is its day; a whole number is written without
".0"; a yes-or-no cell is "true" or "false".

Read with python-calamine (the Rust library calamine): one reader for Excel's formats,
old and new, and OpenDocument's, whose XML reader expands no entities. A workbook it
cannot open (damaged, encrypted) is one problem naming it; so is one with no table of
posts, naming the first sheet's columns.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

from indexer.article import SourceError
from indexer.importers.archives import ZIP_MAGIC
from indexer.importers.csv_posts import Item, lacking, read_table, table_of_posts
from indexer.importers.options import ImportOptions
from indexer.importers.post import quoted

SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
# What a workbook's parts may unpack to (as its zip declares them), past which it is
# not opened: calamine reads a sheet whole, so a small file that unpacks to gigabytes (a
# zip bomb) would take that much memory. The benchmark corpus of 10,000 posts as a
# workbook (benchmarks/import_bench.py) unpacks to 13 MB.
MAX_UNPACKED = 2**30


def cell_text(value) -> str:
    """A cell's value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time | timedelta):
        return ""  # (a time of day alone is no post's date)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def unpacked_size(path: Path) -> int:
    """The bytes a zip's members declare they unpack to (0 for a zip that cannot be read:
    calamine then says why)."""
    try:
        with zipfile.ZipFile(path) as parts:
            return sum(info.file_size for info in parts.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


def header_at(rows: list[list]) -> int | None:
    """The index of a sheet's header row: its first with two cells or more."""
    for n, row in enumerate(rows):
        if sum(1 for value in row if cell_text(value).strip()) >= 2:
            return n
    return None


def read_spreadsheet(path: Path, name: str, head: bytes, options: ImportOptions) -> Iterator[Item]:
    from python_calamine import CalamineError, CalamineWorkbook  # (only for a workbook)

    if head.startswith(ZIP_MAGIC) and (size := unpacked_size(path)) > MAX_UNPACKED:
        most = MAX_UNPACKED / 2**30
        yield SourceError(name, None, f"is a workbook that unpacks to {size / 2**30:,.1f} GB, "
                                      f"more than {most:g} GB; skipped")  # fmt: skip
        return
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = book.sheet_names
    except (CalamineError, OSError, ValueError) as exc:
        yield SourceError(name, None, f"is not a spreadsheet that can be read ({exc}); skipped")
        return
    first_cells: list[str] | None = None
    for sheet in names:  # (each read only when the sheets before it held no posts)
        try:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except (CalamineError, OSError, ValueError) as exc:
            yield SourceError(name, None, f"its sheet {quoted(sheet)} cannot be read ({exc}); "
                                          "skipped")  # fmt: skip
            continue
        at = header_at(rows)
        if at is None:
            continue
        cells = [cell_text(value).strip() for value in rows[at]]
        if first_cells is None:
            first_cells = cells
        if not table_of_posts(cells):
            continue

        def table(rows=rows, at=at, cells=cells) -> Iterator[tuple[int, dict]]:
            for n, row in enumerate(rows[at + 1 :], start=at + 2):
                yield n, dict(zip(cells, map(cell_text, row), strict=False))

        yield from read_table(cells, table, name, options)
        return
    yield SourceError(name, None, lacking(first_cells or [], "workbook"))
