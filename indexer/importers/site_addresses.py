"""Where a static site publishes a Markdown post: its live address, as its generator
writes it, from the site's configuration (indexer/importers/static_sites.py reads it).

Takes the post's place (its site, its folder), its file's name, its front matter, day
and title (`post_url`); gives its absolute address, or None when the configuration has
no absolute address (Hugo's `baseURL`, Jekyll's `url`) or the address cannot be told
for sure (a placeholder not read here, no date where the pattern needs one, a letter a
generator would transliterate). A post without an address is still searched; its
result links to its page on rocksearch only: a wrong link is worse than none.

Read as the generators read them (Hugo's resources/page/permalinks.go, Jekyll's
lib/jekyll/drops/url_drop.rb, Zola's components/content/src/page.rs, Hexo's
lib/plugins/filter/post_permalink.js, Pelican's settings):

* Hugo: `url` in the front matter (a path under the site's address); else the pattern
  `[permalinks]` (or `[permalinks.page]`) gives the post's section, with `:year`,
  `:month`, `:monthname`, `:day`, `:weekday`, `:weekdayname`, `:yearday`, `:section`,
  `:sections`, `:title`, `:slug`, `:filename`, `:slugorfilename`, `:contentbasename`,
  `:slugorcontentbasename`; else the file's path under content/, its name (a page
  bundle's folder) replaced by `slug`. Lower-cased unless `disablePathToLower`;
  `uglyURLs` ends it in ".html".
* Jekyll, a post in a `_posts` folder: `permalink` in the front matter or in the
  configuration's `defaults` for its path, else the posts collection's, else the site's
  (a style, `date` by default, or a pattern), with the placeholders of Jekyll 4; the
  title from the file's name (after its date) unless `slug` says otherwise; categories
  from the folders above `_posts` (not its `collections_dir`) and the front matter,
  lower-cased.
* Pelican (pelicanconf.py, publishconf.py over it; Python, its plain assignments read,
  never run): SITEURL with ARTICLE_URL or PAGE_URL, `{slug}` and the date's formats.
* Hexo (_config.yml and source/_posts): the front matter's `permalink`, else the site's
  pattern, `:title` the file's path under _posts.
* Zola (config.toml with `base_url`): the front matter's `path`; else the sections'
  folders and the page's slug (`slug`, else its file's name, an index.md's folder's,
  less a leading date), slugified as `[slugify] paths` says, a language's code first.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from indexer.analysis import without_accents
from indexer.importers.static_sites import JEKYLL_NAME, Place, Site, jekyll_defaults

PLACEHOLDER = re.compile(r":([a-z_]+)")
NOT_IN_HUGO_PATHS = re.compile(r"[^\w./+~%-]")
# The date placeholders, each from the post's day (English names, as the generators').
HUGO_DATES: dict[str, Callable[[date], str]] = {
    "year": lambda d: f"{d.year}",
    "month": lambda d: f"{d.month:02d}",
    "monthname": lambda d: MONTHS[d.month - 1],
    "day": lambda d: f"{d.day:02d}",
    "weekday": lambda d: str(d.isoweekday() % 7),
    "weekdayname": lambda d: WEEKDAYS[d.weekday()],
    "yearday": lambda d: str(d.timetuple().tm_yday),
}
JEKYLL_DATES: dict[str, Callable[[date], str]] = {
    "year": lambda d: f"{d.year:04d}",
    "month": lambda d: f"{d.month:02d}",
    "day": lambda d: f"{d.day:02d}",
    "i_day": lambda d: str(d.day),
    "i_month": lambda d: str(d.month),
    "short_month": lambda d: MONTHS[d.month - 1][:3].upper(),
    "long_month": lambda d: MONTHS[d.month - 1],
    "short_year": lambda d: f"{d.year % 100:02d}",
    "w_year": lambda d: str(d.isocalendar()[0]),
    "week": lambda d: f"{d.isocalendar()[1]:02d}",
    "w_day": lambda d: str(d.isoweekday()),
    "short_day": lambda d: WEEKDAYS[d.weekday()][:3].upper(),
    "long_day": lambda d: WEEKDAYS[d.weekday()],
    "y_day": lambda d: f"{d.timetuple().tm_yday:03d}",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# What a URL's path keeps as it is (RFC 3986's pchar and "/"); the rest is %-escaped.
PATH_SAFE = "/!$&'()*+,;=:@-._~"


def post_url(place: Place, name: str, fields: dict, day: str | None, title: str) -> str | None:
    """The absolute address the site publishes a post at: the file `name` in `place`,
    its front matter `fields`, its date `day` (YYYY-MM-DD), its title; or None."""
    site = place.site
    if site.base is None:
        return None
    try:
        if site.kind == "hugo":
            address = _hugo_path(site, place.dirs, name, fields, day, title)
        elif site.kind == "zola":
            address = _zola_path(site, place.dirs, name, fields)
        elif site.kind == "hexo":
            address = _hexo_path(site, place.dirs, name, fields, day)
        elif site.kind == "pelican":
            address = _pelican_path(site, place.dirs, name, fields, day, title)
        else:
            address = _jekyll_path(site, place.dirs, name, fields, day)
    except _Unknown:
        return None
    if address is None:
        return None
    return site.base + address.lstrip("/")


class _Unknown(Exception):
    """A placeholder this module cannot fill for sure."""


def _day(day: str | None) -> date:
    if not day:
        raise _Unknown("no date")
    return date.fromisoformat(day[:10])


@functools.lru_cache(maxsize=4096)  # (a site's folders, each met once per post in it)
def hugo_urlize(text: str, lower: bool = True) -> str:
    """Hugo's urlize: spaces to hyphens; letters, digits and ./_-+~% kept, the rest
    dropped; lower-cased (unless the site says not)."""
    text = NOT_IN_HUGO_PATHS.sub("", re.sub(r"\s", "-", text.strip()))
    return text.lower() if lower else text


def _hugo_path(site: Site, dirs: tuple[str, ...], name: str, fields: dict, day: str | None,
               title: str) -> str | None:  # fmt: skip
    url = fields.get("url")
    if isinstance(url, str) and url.strip():
        return quote(url.strip(), safe=PATH_SAFE + "%")  # (Hugo writes it as it is)
    if site.languages:
        raise _Unknown("a language's path")  # (its prefix and the file's language suffix)
    base_name = os.path.splitext(name)[0]
    stem, dot, code = base_name.rpartition(".")
    if dot and stem and code.lower() in site.language_codes:
        base_name = stem  # ("cash.en.md" is published as "cash")
    dirs = list(dirs)
    if base_name == "index" and dirs:  # a page bundle: its folder names it
        base_name = dirs.pop()
    slug = fields.get("slug") if isinstance(fields.get("slug"), str) else ""
    lower = site.lower

    def urlize(text: str) -> str:
        return hugo_urlize(text, lower)

    patterns = dict(site.permalinks)
    pattern = None
    for n in range(len(dirs), 0, -1):  # (the deepest section with a pattern)
        if "/".join(dirs[:n]).lower() in patterns:
            pattern = patterns["/".join(dirs[:n]).lower()]
            break
    if pattern is None and not dirs:
        pattern = patterns.get("")
    if pattern is None:
        # (a folder, whatever the name holds: "v1.2.md" is /v1.2/index.html)
        address = "/" + "/".join(urlize(p) for p in [*dirs, slug or base_name] if p) + "/"
    else:
        values = {
            "section": dirs[0] if dirs else "",
            "sections": "/".join(dirs),
            "title": urlize(title),
            "slug": urlize(slug or title),
            "filename": urlize(base_name),
            "slugorfilename": urlize(slug or base_name),
            "contentbasename": urlize(base_name),
            "slugorcontentbasename": urlize(slug or base_name),
        }

        def fill(m: re.Match) -> str:
            name = m.group(1)
            if name in values:
                return values[name]
            if name not in HUGO_DATES:
                raise _Unknown(name)  # (a Go time layout, a slice of the sections)
            return HUGO_DATES[name](_day(day))

        if "[" in pattern or "\\:" in pattern:
            raise _Unknown(pattern)
        address = re.sub(r"/{2,}", "/", PLACEHOLDER.sub(fill, pattern))
        address = address.lower() if lower else address
        written = PLACEHOLDER.sub("", pattern).rsplit("/", 1)[-1]
        if "." in address.rsplit("/", 1)[-1] and "." not in written:
            # A dot from the post's name, not an extension the pattern writes: a folder
            # or a file? Not told for sure.
            raise _Unknown(address)
    if not address.endswith("/") and "." not in address.rsplit("/", 1)[-1]:
        address += "/"
    if site.ugly and address.endswith("/") and address != "/":
        address = address.rstrip("/") + ".html"
    return quote(address, safe=PATH_SAFE + "%")


# A Zola file name's date, RFC 3339, and the slug after it ("2018-10-10-hello-world.md").
ZOLA_DATED = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:T[\d:.]+"
                        r"(?:Z|[+-]\d\d:\d\d))?\s?[_-](?P<slug>.+)")  # fmt: skip


def _zola_path(site: Site, dirs: tuple[str, ...], name: str, fields: dict) -> str:
    """Zola's page path (components/content/src/page.rs): the front matter's `path`;
    else the sections' folders and the slug (`slug`, else the file's name, or its
    folder's for index.md, less a leading date), a language's code before them."""
    path = fields.get("path")
    if isinstance(path, str) and path.strip():
        path = "/" + path.strip().lstrip("/")
    else:
        stem = os.path.splitext(name)[0]
        lang = site.default_language
        base, dot, code = stem.rpartition(".")
        if dot and base and code in site.language_codes:
            stem, lang = base, code
        dirs = list(dirs)
        if stem == "index" and dirs:  # (a page with its assets: its folder names it)
            stem = dirs.pop()
        dated = ZOLA_DATED.fullmatch(stem)
        if dated and not site.keep_dates:
            stem = dated.group("slug")
        slug = fields.get("slug") if isinstance(fields.get("slug"), str) else stem
        parts = [*dirs, zola_slugify(slug, site.slugify)]
        if lang != site.default_language:
            parts.insert(0, lang)
        path = "/" + "/".join(parts)
    return quote(path if path.endswith("/") else path + "/", safe=PATH_SAFE + "%")


def zola_slugify(text: str, strategy: str = "on") -> str:
    """A path part as Zola's slugify strategy makes it: "on" (the slug crate: ASCII
    letters and digits lower-cased, every other run one hyphen), "off" (as it is);
    "safe", or a letter with no ASCII form (the crate transliterates scripts), only
    where the text is a slug already: not guessed."""
    if strategy == "off":
        return text
    if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", text):
        return text
    ascii_text = without_accents(text)
    if strategy != "on" or not ascii_text.isascii():
        raise _Unknown(f"a slug of {text!r}")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


# A Pelican URL pattern's fields ("{slug}", "{date:%Y}"), and the date's formats read
# (a day's: not an hour).
PELICAN_FIELD = re.compile(r"\{(\w+)(?::([^{}]*))?\}")
PELICAN_DATE_FORMAT = re.compile(r"(?:%[YmdbBjy]|[^%])*")


def _pelican_path(site: Site, dirs: tuple[str, ...], name: str, fields: dict,
                  day: str | None, title: str) -> str:  # fmt: skip
    """Pelican's URL of an article or a page (content/pages/): its pattern (ARTICLE_URL,
    `{slug}.html` by default; PAGE_URL) with the slug (`Slug`, else the title slugified,
    or the file's name with SLUGIFY_SOURCE = 'basename'), the date's formats, the
    category (`Category`, else the folder it is in), the language, the author."""
    patterns = dict(site.permalinks)
    page = bool(dirs) and dirs[0] == "pages"
    slug = fields.get("slug")
    if not isinstance(slug, str) or not slug.strip():
        source = os.path.splitext(name)[0] if site.slug_source == "basename" else title
        slug = pelican_slugify(source)
    category = fields.get("category")
    if not isinstance(category, str) or not category.strip():
        category = dirs[0] if dirs and site.folder_category and not page else "misc"
    author = fields.get("author") if isinstance(fields.get("author"), str) else None
    lang = fields.get("lang") if isinstance(fields.get("lang"), str) else site.default_language

    def fill(m: re.Match) -> str:
        key, form = m.group(1), m.group(2)
        if key == "date" and form and PELICAN_DATE_FORMAT.fullmatch(form):
            value = _day(day).strftime(form)
        elif form:
            raise _Unknown(m.group())
        elif key == "slug":
            value = slug
        elif key == "category":
            value = pelican_slugify(category)
        elif key == "lang":
            value = lang
        elif key == "author" and author:
            value = pelican_slugify(author)
        else:
            raise _Unknown(m.group())
        return quote(value, safe=PATH_SAFE)

    return "/" + PELICAN_FIELD.sub(fill, patterns["page" if page else "article"]).lstrip("/")


def pelican_slugify(text: str) -> str:
    """Pelican's slugify with its default substitutions: ASCII (a letter with no ASCII
    form, which Pelican transliterates with unidecode, is not guessed), characters other
    than letters, digits, "_", "-" and spaces dropped, runs of spaces and hyphens one
    hyphen, lower-cased."""
    text = without_accents(unicodedata.normalize("NFKC", text))
    if not text.isascii():
        raise _Unknown(f"a slug of {text!r}")
    text = re.sub(r"[^\w\s-]", "", text).strip()
    return re.sub(r"[-\s]+", "-", text).lower()


# Hexo's date placeholders, from the post's day, the same as Jekyll's of those names
# (moment's YYYY pads the year to four digits too); its hour, minute and second are not
# kept here: a pattern with them gives no address.
HEXO_DATES = {key: JEKYLL_DATES[key] for key in ("year", "month", "i_month", "day", "i_day")}
# What Hexo fills from other than the post's path, date and front matter: not told here.
HEXO_UNKNOWN = frozenset({"hour", "minute", "second", "timestamp", "id", "hash", "category",
                          "post_title", "path", "permalink"})  # fmt: skip


def _hexo_path(site: Site, dirs: tuple[str, ...], name: str, fields: dict,
               day: str | None) -> str:  # fmt: skip
    """Hexo's post permalink (hexo/lib/plugins/filter/post_permalink.js): the
    front matter's `permalink`, else the site's pattern with :title (the file's path
    under source/_posts, less its suffix), :name (its name), the date's placeholders,
    and any other from the front matter (else `permalink_defaults`)."""
    own = fields.get("permalink")
    if isinstance(own, str) and own.strip():
        return "/" + quote(own.strip().lstrip("/"), safe=PATH_SAFE + "%")
    stem = os.path.splitext(name)[0]
    below = dirs[dirs.index("_posts") + 1 :]
    defaults = site.defaults[0][2] if site.defaults else {}

    def fill(m: re.Match) -> str:
        placeholder = m.group(1)
        if placeholder == "title":
            value = "/".join([*below, stem])
        elif placeholder == "name":
            value = stem
        elif placeholder in HEXO_DATES:
            value = HEXO_DATES[placeholder](_day(day))
        elif placeholder in HEXO_UNKNOWN:
            raise _Unknown(placeholder)
        else:
            value = fields.get(placeholder, defaults.get(placeholder))
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise _Unknown(placeholder)
            value = str(value)
        return quote(value, safe=PATH_SAFE)

    return "/" + re.sub(r"/{2,}", "/", PLACEHOLDER.sub(fill, site.permalinks[0][1])).lstrip("/")


def jekyll_slugify(text: str, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's Utils.slugify, its "default" and "pretty" modes: runs of other characters
    become one hyphen, hyphens at the ends dropped."""
    keep = r"\w._~!$&'()+,;=@" if pretty else r"\w"
    text = re.sub(rf"(?:[^{keep}]|_)+", "-", text).strip("-")
    return text if cased else text.lower()


def _jekyll_path(site: Site, dirs: tuple[str, ...], name: str, fields: dict,
                 day: str | None) -> str | None:  # fmt: skip
    named = JEKYLL_NAME.match(name)
    if not named:
        return None  # (Jekyll reads a post's date from its name: without one, no post)
    if site.defaults:
        fields = {**jekyll_defaults(site, "/".join((*dirs, name))), **fields}
    slug = fields.get("slug") if isinstance(fields.get("slug"), str) else named.group(2)
    slug = slug.rstrip(".")
    # (Jekyll's categories are the folders above _posts, its collections_dir not one.)
    above = list(dirs[: dirs.index("_posts")])
    for part in site.collections_dir.split("/") if site.collections_dir else ():
        if above and above[0] == part:
            above.pop(0)
    categories: list[str] = [part for part in above if part]
    for key in ("categories", "category"):
        value = fields.get(key)
        if isinstance(value, str):
            categories += value.split()
        elif isinstance(value, list):
            categories += [str(v) for v in value if isinstance(v, str | int | float)]
    lowered = list(dict.fromkeys(c.lower() for c in categories))
    permalink = fields.get("permalink")
    # (A post's own is as written: a style's name is the site's setting only.)
    pattern = permalink if isinstance(permalink, str) and permalink else site.permalinks[0][1]
    plain = {
        "title": jekyll_slugify(slug, pretty=True, cased=True),
        "slug": jekyll_slugify(slug),
        # (the file's whole name, its date too: "2021-05-04-cash-flow")
        "name": jekyll_slugify(os.path.splitext(name)[0]),
        "categories": "/".join(lowered),
        "slugified_categories": "/".join(jekyll_slugify(c) for c in lowered),
        "output_ext": ".html",
        "collection": "posts",
    }

    def fill(m: re.Match) -> str:
        placeholder = m.group(1)
        if placeholder in plain:
            value = plain[placeholder]
        else:
            if placeholder not in JEKYLL_DATES:
                raise _Unknown(placeholder)  # (:hour, :path and the like)
            value = JEKYLL_DATES[placeholder](_day(day))
        return quote(value, safe=PATH_SAFE)

    address = re.sub(r"/{2,}", "/", PLACEHOLDER.sub(fill, pattern))
    return "/" + address.lstrip("/")
