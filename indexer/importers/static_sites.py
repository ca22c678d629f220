"""The static site a Markdown post is in, and what its site says of it.

Takes a Markdown file's path; gives its place (`place_of`: the Hugo, Jekyll, Zola, Hexo
or Pelican site it belongs to, found by the site's configuration in a folder above it,
and the post's folder in it), the files that decide what the post is (`read_with`:
the configuration, a Hugo leaf bundle's index, which makes the other files in the bundle
no posts, a Docusaurus blog's authors file, which names the authors a post gives by
their keys), and whether a folder is a site's (`is_hugo_site` and the like). Where the
site publishes the post is indexer/importers/site_addresses.py's, from the `Site` read
here.

A Hugo site's configuration is its root file (hugo.toml, config.toml, …) and its
configuration folder: config/_default/, then config/production/ over it (what `hugo`
builds), each file there a root key's (permalinks.toml holds `[permalinks]`); both
are read, the folder over the file. The configuration is read once per version of its
files (`_read_site`); which folder holds it is remembered per folder for one corpus
read (`forget` starts afresh).
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from indexer.article import http_url

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml",
                "config.yml", "config.json")  # fmt: skip
HUGO_DEFAULT_CONFIGS = tuple(f"config/_default/{name}" for name in HUGO_CONFIGS)
# Hugo's configuration folder: the settings of every build, then those of `hugo`'s own
# environment over them ("development" is `hugo server`'s, not the published site's).
HUGO_CONFIG_DIRS = ("config/_default", "config/production")
CONFIG_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
# The root keys read here, of the files a configuration folder holds one per key
# (params.toml, menus.en.toml and the like say nothing of addresses).
HUGO_KEYS = ("permalinks", "languages")
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
# Pelican's settings: Python, never run here; its plain assignments of text read (a
# string, or True/False), publishconf.py's (the published site's) over pelicanconf.py's.
PELICAN_CONFIGS = ("pelicanconf.py",)
PYTHON_SETTING = re.compile(
    r"^([A-Z_][A-Z0-9_]*)[ \t]*=[ \t]*"
    r"(?:'([^'\n\\]*)'|\"([^\"\n\\]*)\"|(True|False))[ \t]*(?:#.*)?$",
    re.M,
)
# How far above a post its site's configuration is looked for (content/posts/2021/x.md
# is three folders below it; a site's nesting rarely goes deeper).
MAX_LEVELS = 12
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
JEKYLL_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*?)(\.[^.]+)?$")
# Hexo's default pattern of a post's address (its `permalink`).
HEXO_PERMALINK = ":year/:month/:day/:title/"


@dataclass(frozen=True)
class Site:
    kind: str  # "hugo" or "jekyll"
    root: Path  # the folder holding the configuration
    base: str | None  # the site's absolute address, ending in "/", or None
    permalinks: tuple[tuple[str, str], ...] = ()  # Hugo: (section, pattern); Jekyll: (("", p),)
    content: Path | None = None  # Hugo's content folder
    ugly: bool = False
    lower: bool = True
    # Hugo: a multilingual site ("post.fr.md"; each language's own path) or one that puts
    # even its first language under a folder: addresses not told (see _hugo_path).
    languages: bool = False
    files: tuple[Path, ...] = ()  # every file its configuration was read from
    # Hugo: the language codes a file's name may end in ("cash.en.md", "index.en.md"),
    # dropped from its address: the site's default language and any it configures.
    language_codes: frozenset[str] = frozenset({"en"})
    # Jekyll: the `defaults` that may apply to posts, in order: (scope path, whether the
    # scope names the type, values).
    defaults: tuple[tuple[str, bool, dict], ...] = ()
    # Zola: how a path is made a slug ("on", "safe", "off"), whether a file name's date
    # stays in it, and the language of the files without a language code.
    slugify: str = "on"
    keep_dates: bool = False
    default_language: str = "en"
    # Pelican: what a slug is made from ("title", "basename"), and whether a post's
    # folder under the content is its category when it names none.
    slug_source: str = "title"
    folder_category: bool = True
    # Jekyll: the folder its collections (_posts) are in, under the site's ("": its own).
    collections_dir: str = ""


@dataclass(frozen=True)
class Place:
    """A folder of a site's posts: the site, and the folder's path under Hugo's content
    folder (under a Jekyll site's own folder)."""

    site: Site
    dirs: tuple[str, ...]


_FOUND: dict[str, Path | None] = {}  # folder -> the configuration file for it, or None
_PLACES: dict[str, Place | None] = {}  # a posts' folder -> its place, or None
# The configuration files this corpus read could not read: (line or None, why), by file.
_BROKEN: dict[Path, tuple[int | None, str]] = {}
_LEAVES: dict[Path, list[str]] = {}  # a folder -> the leaf bundle index files in it
# A Hugo leaf bundle's index file ("index.md", a translation's "index.fr.md"), in any of
# Hugo's content formats.
BUNDLE_INDEX = re.compile(r"index(?:\.([\w-]+))?\.(?:md|markdown|mdown|mkd|mkdn|html?|org|adoc|"
                          r"asciidoc|ad|pandoc|pdc|rst)")  # fmt: skip


@dataclass(frozen=True)
class Unreadable:
    """A configuration file that cannot be read: where, and why."""

    path: Path
    line: int | None
    why: str


def forget() -> None:
    """Look for the sites' configurations afresh (a configuration added, removed or
    edited since the last corpus read is seen)."""
    _FOUND.clear()
    _PLACES.clear()
    _BROKEN.clear()
    _LEAVES.clear()
    _AUTHOR_FILES.clear()


def read_with(path: Path) -> list[Path]:
    """The files that decide what a Markdown file of a site is, which the read cache
    watches with it: its site's configuration (none where it cannot be read: a changed
    address reads the site's posts again, and so does a broken file mended, the files
    watched being then others), the index files of the leaf bundles it is in
    (`bundle_indexes`), and its authors file (`authors_file`)."""
    place = place_of(path)
    configs = list(place.site.files) if place is not None else []
    authors = authors_file(path)
    return [*configs, *bundle_indexes(path, place), *([authors] if authors else [])]


def unreadable_configs() -> list[Unreadable]:
    """The configuration files met since `forget` that could not be read, each once:
    their sites' posts are read without their addresses (a file mended is read again)."""
    return [Unreadable(path, line, why) for path, (line, why) in _BROKEN.items()]


def is_hugo_site(folder: Path) -> bool:
    """Whether a folder is a Hugo site's: content/ and a configuration (a root file, or a
    file in config/_default/, as Hugo Blox's sites have it)."""
    return (folder / "content").is_dir() and any(
        (folder / name).is_file() for name in (*HUGO_CONFIGS, *HUGO_DEFAULT_CONFIGS)
    )


def is_jekyll_site(folder: Path) -> bool:
    """Whether a folder is a Jekyll site's: a configuration, and a `_posts` folder in
    it (or in its `collections_dir`)."""
    config = next((folder / n for n in JEKYLL_CONFIGS if (folder / n).is_file()), None)
    return config is not None and (folder / collections_dir(config) / "_posts").is_dir()


def collections_dir(config: Path) -> str:
    """A Jekyll configuration's `collections_dir` (where _posts is: "" for the site's
    own folder), "" when it sets none or cannot be read."""
    data = _read_data(config)
    value = data.get("collections_dir") if isinstance(data, dict) else None
    return value.strip("/") if isinstance(value, str) else ""


def is_hexo_site(folder: Path) -> bool:
    """Whether a folder is a Hexo site's: _config.yml, as Jekyll's, and its posts in
    source/_posts."""
    return (folder / "source" / "_posts").is_dir() and (folder / "_config.yml").is_file()


def hugo_files(root: Path) -> list[Path]:
    """The files a Hugo site's configuration is read from, in order: its root file
    (the first of HUGO_CONFIGS there), then config/_default's and config/production's
    files of the root and of HUGO_KEYS, each folder's by name."""
    files = [root / name for name in HUGO_CONFIGS if (root / name).is_file()][:1]
    for folder in HUGO_CONFIG_DIRS:
        try:
            names = sorted(os.listdir(root / folder))
        except OSError:
            continue
        for name in names:
            stem, suffix = os.path.splitext(name)
            if stem.lower() not in ("hugo", "config", *HUGO_KEYS):
                continue
            if suffix.lower() in CONFIG_SUFFIXES and (root / folder / name).is_file():
                files.append(root / folder / name)
    return files


def place_of(path: Path) -> Place | None:
    """Where a Markdown file is: in a Hugo site's content folder, or in a Jekyll site's
    `_posts` folder; None for any other file. Found once per folder (a site's thousands
    of posts share a few folders)."""
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in _PLACES:
        _PLACES[folder] = _find_place(Path(folder))
    return _PLACES[folder]


def _find_place(start: Path) -> Place | None:
    folder = start
    for _ in range(MAX_LEVELS):
        config = _config_in(folder)
        if config is not None:
            jekyll = config.name in JEKYLL_CONFIGS
            if config.name in PELICAN_CONFIGS:
                published = config.parent / "publishconf.py"
                files = [config, *([published] if published.is_file() else [])]
            else:
                files = [config] if jekyll else hugo_files(_hugo_root(config))
            site = _read_site(config, tuple((path, *_stamp(path)) for path in files))
            if isinstance(site, Unreadable):
                _BROKEN[site.path] = (site.line, site.why)
                return None
            base = site.root if site.kind in ("jekyll", "hexo") else site.content
            if base is None or not (start == base or base in start.parents):
                return None
            dirs = start.relative_to(base).parts
            if site.kind in ("jekyll", "hexo") and "_posts" not in dirs:
                return None  # (a page: its address is not told here)
            return Place(site, dirs)
        if folder.parent == folder:
            return None
        folder = folder.parent
    return None


def _config_in(folder: Path) -> Path | None:
    key = str(folder)
    if key not in _FOUND:
        found = None
        for name in (*HUGO_CONFIGS, *HUGO_DEFAULT_CONFIGS, *JEKYLL_CONFIGS, *PELICAN_CONFIGS):
            if (folder / name).is_file():
                found = folder / name
                break
        _FOUND[key] = found
    return _FOUND[key]


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return 0, 0
    return st.st_size, st.st_mtime_ns


def _hugo_root(config: Path) -> Path:
    """The site's folder, from its root file or config/_default/'s."""
    return config.parent if config.parent.name != "_default" else config.parent.parent.parent


@functools.lru_cache(maxsize=64)
def _read_site(config: Path, stamps: tuple[tuple[Path, int, int], ...]) -> Site | Unreadable:
    """The site a configuration describes: `config`, the file that marks its folder, and
    `stamps`, (path, size, modification time) of each file it is read from (they key the
    cache: an edited file is read again); the first file that cannot be read, if any."""
    fields: dict = {}
    for path, _, _ in stamps:
        data = _read_data(path)
        if isinstance(data, Unreadable):
            return data
        stem = os.path.splitext(path.name)[0].lower()
        if config.name not in JEKYLL_CONFIGS:
            data = {str(k).lower(): v for k, v in data.items()}  # (Hugo's keys ignore case)
            if stem in HUGO_KEYS:  # a root key's own file: its table
                data = {stem: data}
        for key, value in data.items():  # (a later file's table adds to an earlier one's)
            if isinstance(value, dict) and isinstance(fields.get(key), dict):
                value = {**fields[key], **value}
            fields[key] = value
    if config.name in PELICAN_CONFIGS:
        return _pelican(config, fields, tuple(path for path, _, _ in stamps))
    if config.name in JEKYLL_CONFIGS and is_hexo_site(config.parent):
        return _hexo(config, fields, tuple(path for path, _, _ in stamps))
    if config.name in JEKYLL_CONFIGS:
        return _jekyll(config, fields, tuple(path for path, _, _ in stamps))
    if "base_url" in fields and "baseurl" not in fields:  # (Zola's name; Hugo's is baseURL)
        return _zola(config, fields, tuple(path for path, _, _ in stamps))
    return _hugo(config, fields, tuple(path for path, _, _ in stamps))


def _read_data(path: Path) -> dict | Unreadable:
    """A configuration file's mapping ({} for another value), or why it cannot be read."""
    try:
        text = path.read_text("utf-8")
        if path.suffix.lower() == ".py":
            return {m.group(1): m.group(2) if m.group(2) is not None else
                    m.group(3) if m.group(3) is not None else m.group(4) == "True"
                    for m in PYTHON_SETTING.finditer(text)}  # fmt: skip
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(text)
        elif path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except OSError as exc:
        return Unreadable(path, None, f"cannot be read ({exc.strerror or exc})")
    except UnicodeDecodeError:
        return Unreadable(path, None, "is not UTF-8 text")
    except (ValueError, tomllib.TOMLDecodeError) as exc:  # (JSON's error is a ValueError)
        line = getattr(exc, "lineno", None)
        if line is None and (m := re.search(r"at line (\d+)", str(exc))):  # (TOML's)
            line = int(m.group(1))
        why = getattr(exc, "msg", None) or re.sub(r" \(at line \d+, column \d+\)$", "", str(exc))
        return Unreadable(path, line, f"is not valid {path.suffix.lstrip('.').upper()} ({why})")
    except Exception as exc:  # PyYAML's errors (imported when needed)
        if not type(exc).__module__.startswith("yaml"):
            raise
        mark = getattr(exc, "problem_mark", None)
        why = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Unreadable(path, mark.line + 1 if mark is not None else None,
                          f"is not valid YAML ({why})")  # fmt: skip
    return data if isinstance(data, dict) else {}


def _absolute(url) -> str | None:
    """A site's address (http or https), ending in "/"; None for anything else."""
    url = http_url(url)
    return url.rstrip("/") + "/" if url is not None else None


def _hugo(config: Path, fields: dict, files: tuple[Path, ...]) -> Site:
    root = _hugo_root(config)
    content = fields.get("contentdir")
    content = root / (content if isinstance(content, str) and content else "content")
    permalinks = fields.get("permalinks")
    patterns: dict[str, str] = {}
    if isinstance(permalinks, dict):
        page = {str(k).lower(): v for k, v in permalinks.items()}.get("page")
        table = page if isinstance(page, dict) else permalinks
        patterns = {str(k).strip(" /").lower(): v for k, v in table.items() if isinstance(v, str)}
    return Site(
        kind="hugo",
        root=root,
        base=_absolute(fields.get("baseurl")),
        permalinks=tuple(patterns.items()),
        content=content,
        ugly=fields.get("uglyurls") is True,
        lower=fields.get("disablepathtolower") is not True,
        languages=isinstance(fields.get("languages"), dict)
        and len(fields["languages"]) > 1
        or fields.get("defaultcontentlanguageinsubdir") is True,
        files=files,
        language_codes=frozenset(
            str(code).lower()
            for code in [
                fields.get("defaultcontentlanguage") or "en",
                *(fields["languages"] if isinstance(fields.get("languages"), dict) else ()),
            ]
        ),
    )


def _zola(config: Path, fields: dict, files: tuple[Path, ...]) -> Site:
    """A Zola site: config.toml (its `base_url`) beside content/, as Hugo's is."""
    slugify = fields.get("slugify") if isinstance(fields.get("slugify"), dict) else {}
    languages = fields.get("languages") if isinstance(fields.get("languages"), dict) else {}
    default = fields.get("default_language")
    return Site(
        kind="zola",
        root=config.parent,
        base=_absolute(fields.get("base_url")),
        content=config.parent / "content",
        files=files,
        language_codes=frozenset(str(code) for code in languages),
        slugify=str(slugify.get("paths", "on")).lower(),
        keep_dates=slugify.get("paths_keep_dates") is True,
        default_language=default if isinstance(default, str) else "en",
    )


def _pelican(config: Path, fields: dict, files: tuple[Path, ...]) -> Site:
    """A Pelican site: its SITEURL (publishconf.py's), its content folder (PATH), its
    articles' and pages' URL patterns, the source of a slug, its language."""

    def text(key: str, default: str) -> str:
        value = fields.get(key)
        return value if isinstance(value, str) and value else default

    return Site(
        kind="pelican",
        root=config.parent,
        base=_absolute(fields.get("siteurl")),
        content=config.parent / text("path", "content"),
        permalinks=(
            ("article", text("article_url", "{slug}.html")),
            ("page", text("page_url", "pages/{slug}.html")),
        ),  # fmt: skip
        files=files,
        slug_source=text("slugify_source", "title"),
        default_language=text("default_lang", "en"),
        folder_category=fields.get("use_folder_as_category", True) is not False,
    )


def _hexo(config: Path, data: dict, files: tuple[Path, ...]) -> Site:
    """A Hexo site: _config.yml's `url` and `permalink` (its posts' pattern, by default
    ":year/:month/:day/:title/"), and `permalink_defaults` as front matter under every
    post's."""
    pattern = data.get("permalink")
    defaults = data.get("permalink_defaults")
    return Site(
        kind="hexo",
        root=config.parent,
        base=_absolute(data.get("url")),
        permalinks=(("", pattern if isinstance(pattern, str) and pattern else HEXO_PERMALINK),),
        files=files,
        defaults=(("", False, defaults),) if isinstance(defaults, dict) else (),
    )


def _jekyll(config: Path, data: dict, files: tuple[Path, ...]) -> Site:
    base = _absolute(data.get("url"))
    subpath = data.get("baseurl")
    if base and isinstance(subpath, str) and subpath.strip("/"):
        base = base + subpath.strip("/") + "/"
    style = data.get("permalink")
    pattern = style if isinstance(style, str) and style else "date"
    pattern = JEKYLL_STYLES.get(pattern, pattern)
    collections = data.get("collections")
    posts = collections.get("posts") if isinstance(collections, dict) else None
    own = posts.get("permalink") if isinstance(posts, dict) else None
    if isinstance(own, str) and own:
        pattern = own  # (the posts collection's own, as written: no style names)
    defaults = []
    for entry in data.get("defaults") if isinstance(data.get("defaults"), list) else ():
        scope = entry.get("scope") if isinstance(entry, dict) else None
        values = entry.get("values") if isinstance(entry, dict) else None
        scope = scope if isinstance(scope, dict) else {}
        kind = scope.get("type")
        if not isinstance(values, dict) or kind not in (None, "posts", "post"):
            continue  # (pages', drafts', another collection's; "post" is Jekyll 2's "posts")
        path = scope.get("path") if isinstance(scope.get("path"), str) else ""
        defaults.append((path.strip("/"), kind is not None, values))
    folder = data.get("collections_dir")
    return Site(kind="jekyll", root=config.parent, base=base, permalinks=(("", pattern),),
                files=files, defaults=tuple(defaults),
                collections_dir=folder.strip("/") if isinstance(folder, str) else "")  # fmt: skip


def jekyll_defaults(site: Site, path: str) -> dict:
    """The values the configuration's `defaults` give the post at `path` (relative to the
    site's folder), as Jekyll merges them (FrontmatterDefaults#all): a set whose scope's
    path is longer, or as long and naming the type, wins over those before it; the front
    matter wins over all."""
    merged: dict = {}
    winner = None  # (length of the scope's path, whether it names the type)
    for scope, typed, values in site.defaults:
        if scope and not (
            fnmatch.fnmatchcase(path, scope) if "*" in scope
            else path == scope or path.startswith(scope + "/")
        ):  # fmt: skip
            continue
        if winner is None or len(scope) > winner[0] or (len(scope) == winner[0] and
                                                         (typed or not winner[1])):  # fmt: skip
            merged, winner = {**merged, **values}, (len(scope), typed)
        else:
            merged = {**values, **merged}
    return merged


def bundle_indexes(path: Path, place: Place | None) -> list[Path]:
    """The index files of the Hugo leaf bundles a file of a site's content is in: a
    folder's `index.md` beside it (not the file itself) or in a folder above it, under a
    section of content/ (content/ itself is the home page's branch bundle). A file with
    any is a page resource, of which Hugo publishes no page (its page is the bundle's,
    or none: a headless bundle's sections of the home page, hugoBasicExample's
    homepage/about.md). The read cache watches them: a bundle made or unmade has the
    files in it read again."""
    if place is None or place.site.kind != "hugo":
        return []
    itself = Path(os.path.abspath(path))
    folder, found = itself.parent, []
    codes = place.site.language_codes

    def is_index(name: str) -> bool:
        # ("index.fr.md" is a translation's index only where the site has French: in
        # another site it is a file of the bundle, as Hugo reads it)
        m = BUNDLE_INDEX.fullmatch(name)
        return m is not None and (m.group(1) is None or m.group(1).lower() in codes)

    # (An index's own folder holds its translations, "index.zh-cn.md" beside "index.md":
    # the same bundle's, not one it is in.)
    own = is_index(itself.name)
    for depth in range(len(place.dirs)):
        if not (own and depth == 0):
            found += [folder / name for name in _leaf_indexes(folder) if is_index(name)]
        folder = folder.parent
    return found


# Docusaurus' blog names its authors once, in authors.yml beside the posts ("slorber:
# {name: Sébastien Lorber, …}"), and a post by their keys (`authors: [slorber]`).
AUTHOR_FILES = ("authors.yml", "authors.yaml")
_AUTHOR_FILES: dict[Path, Path | None] = {}  # a folder -> the authors file for its posts


def authors_file(path: Path) -> Path | None:
    """The authors file (AUTHOR_FILES) of a Markdown post: in its folder, or in one of
    the three above it (a post in a folder of its own, `blog/2021-08-26-welcome/
    index.mdx`); None when there is none."""
    folder = Path(os.path.abspath(path)).parent
    if folder not in _AUTHOR_FILES:
        found, above = None, folder
        for _ in range(4):
            found = next((above / n for n in AUTHOR_FILES if (above / n).is_file()), None)
            if found is not None or above.parent == above:
                break
            above = above.parent
        _AUTHOR_FILES[folder] = found
    return _AUTHOR_FILES[folder]


def author_names(file: Path | None) -> dict[str, str]:
    """key -> name of an authors file; {} for none, or one that cannot be read (its
    posts then keep their authors' keys)."""
    if file is None:
        return {}
    return _author_names(file, _stamp(file))


@functools.lru_cache(maxsize=16)
def _author_names(file: Path, stamp: tuple[int, int]) -> dict[str, str]:
    data = _read_data(file)
    if isinstance(data, Unreadable):
        return {}
    return {str(key): value["name"] for key, value in data.items()
            if isinstance(value, dict) and isinstance(value.get("name"), str)}  # fmt: skip


def _leaf_indexes(folder: Path) -> list[str]:
    if folder not in _LEAVES:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        _LEAVES[folder] = [name for name in names if BUNDLE_INDEX.fullmatch(name)]
    return _LEAVES[folder]
