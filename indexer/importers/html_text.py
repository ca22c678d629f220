"""Post HTML to paragraphs, for every importer whose source holds HTML.

Takes the HTML of one post's content (WordPress's `content:encoded` or REST `rendered`,
a feed entry, Markdown rendered, an `<article>` of a page) and gives its paragraphs as
plain text (`html_paragraphs`), plus `media_hint` for a post that is only an embedded
video or audio, and `with_photos` for one that is only a photo. WordPress leaves its
own markup in stored content: Gutenberg block comments (`<!-- wp:paragraph -->`),
shortcodes (`[caption]…[/caption]`, `[embed]…`), and, in classic posts, paragraphs as
blank lines with no `<p>` at all. All three are handled here, so the importers see the
paragraphs a reader sees.
"""

from __future__ import annotations

import html as html_lib
import re
import threading

# lxml (15 ms to import) is imported where HTML is parsed: a JSON Lines corpus needs
# none of it, and `rocksearch index` of one edited post took 0.6 s in all.

# Shortcodes whose content is a media address, not text: dropped with what they enclose.
MEDIA_SHORTCODES = "embed|video|audio|playlist|gallery|youtube|vimeo|soundcloud|wpvideo"
MEDIA_BLOCK = re.compile(rf"\[({MEDIA_SHORTCODES})\b[^\]]*\](?:.*?\[/\1\])?", re.S | re.I)
CLOSING_TAG = re.compile(r"\[/([a-z][\w-]*)\]", re.I)
# An opening shortcode: "[caption id=… align=…]", "[contact-form-7 id=…]", "[vc_row]".
OPENING_TAG = re.compile(r"\[([a-z][\w-]*)((?:\s+[^\]]*)?)\]", re.I)

BLOCKS = (
    "p", "div", "section", "article", "header", "footer", "aside", "main", "nav",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
    "figure", "figcaption", "table", "tr", "caption", "hr", "ul", "ol", "dl", "address",
)  # fmt: skip
DROPPED = ("script", "style", "noscript", "iframe", "object", "embed", "video", "audio",
           "svg", "canvas", "form", "button", "select", "textarea", "template", "head")  # fmt: skip
# A newsletter's buttons and sign-up boxes inside a post's HTML (Substack's: "Sign up
# now", "Leave a comment", "Thanks for reading …! Subscribe for free …"): no one's text,
# and the same in every post. The words name them in the HTML; the XPath test finds them.
WIDGET_WORDS = ("button-wrapper", "subscription-widget", "captioned-button")
WIDGETS = " or ".join(f"contains(@class, '{word}')" for word in WIDGET_WORDS)
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\xa0]*\n\s*")
# C0 controls other than tab, LF and CR: invisible junk that lxml refuses in a text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EMBED_HOSTS = re.compile(r"youtube\.com|youtu\.be|vimeo\.com|wistia|soundcloud\.com|spotify\.com")
# From this length a text's white space is collapsed a piece of this length at a time.
LONG_TEXT = 100_000


def collapse_spaces(text: str) -> str:
    """`text` with each run of white space one space and none at its ends: what
    `" ".join(text.split())` gives, without a string for each word of a long text at
    once. A post of one 200 MB paragraph (a broken or hostile export) made 40 million of
    them, over 2 GB, before its body was cut to the length indexed (a pattern's `sub`
    makes as many); a long text is collapsed LONG_TEXT characters at a time, and the
    pieces joined with a space where white space stood between them (none where a
    word runs across the cut)."""
    if len(text) < LONG_TEXT:
        return " ".join(text.split())
    out: list[str] = []
    spaced = False  # whether white space stands between the last piece and the next
    for at in range(0, len(text), LONG_TEXT):
        chunk = text[at : at + LONG_TEXT]
        words = chunk.split()
        if not words:  # (all white space)
            spaced = True
            continue
        if out and (spaced or chunk[0].isspace()):
            out.append(" ")
        out.append(" ".join(words))
        spaced = chunk[-1].isspace()
    return "".join(out)


def strip_shortcodes(html: str) -> str:
    """Remove WordPress shortcodes, keeping the text they wrap (a caption stays text)."""
    if "[" not in html:
        return html
    html = MEDIA_BLOCK.sub(" ", html)
    closed = {m.group(1).lower() for m in CLOSING_TAG.finditer(html)}

    def opening(m: re.Match) -> str:
        # "[sic]" or "[1]" is the author's text: only a tag that is closed somewhere,
        # or carries name=value attributes, is a shortcode.
        if m.group(1).lower() in closed or "=" in m.group(2):
            return " "
        return m.group(0)

    html = OPENING_TAG.sub(opening, html)
    return CLOSING_TAG.sub(" ", html)


def media_hint(html: str) -> str | None:
    """ "video" or "audio" when the content embeds one (a player, an embed shortcode or an
    oEmbed block); the importer uses it for a post that has no text of its own."""
    lowered = html[:20000].lower()
    if re.search(r"\[(?:audio|soundcloud)\b|<audio\b|wp:audio|soundcloud\.com", lowered):
        return "audio"
    if re.search(r"\[(?:embed|video|youtube|vimeo|wpvideo)\b|<video\b|wp:video|wp:embed", lowered):
        return "video"
    if EMBED_HOSTS.search(lowered):
        return "video"
    return None


# An image description that only names the file ("IMG_2041.jpg", "shop-front.webp"), as
# some editors fill the alt text in: it says nothing of the photo.
FILE_NAME = re.compile(r"[^\s/]+\.(?:jpe?g|png|gif|webp|avif|heic|tiff?|bmp)", re.I)


def descriptions(alts) -> list[str]:
    """The images' descriptions (alt texts) worth searching, spaces collapsed, each once,
    in order: not empty, not only a file's name."""
    out: dict[str, None] = {}  # (a dict, not a list: a page of 100,000 images is read once)
    for alt in alts:
        alt = collapse_spaces(str(alt))
        if alt and not FILE_NAME.fullmatch(alt):
            out[alt] = None
    return list(out)


def photo_text(html: str) -> list[str] | None:
    """What a post with no text of its own says in its images' descriptions (`<img alt>`),
    as its paragraphs: a photo post is searched by them, as a reader of a screen reader
    hears it, and by its title where they say nothing (it had been "has no body text;
    skipped"). None when the HTML shows no image."""
    if not html or "<img" not in html.lower():
        return None
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=html_parser())
    except (etree.ParserError, ValueError, AssertionError):
        return None
    return element_photo_text(root)


def with_photos(paragraphs: list[str], html: str,
                hint: str | None) -> tuple[list[str], str | None]:  # fmt: skip
    """(paragraphs, kind hint) of a post: as given where it has paragraphs; else, where
    its HTML shows an image, a photo post's: its images' descriptions (photo_text), and
    "image" unless the source named its kind. The one rule of every importer whose
    source holds a post's HTML."""
    if paragraphs:
        return paragraphs, hint
    photos = photo_text(html)
    return (paragraphs, hint) if photos is None else (photos, hint or "image")


def element_photo_text(root) -> list[str] | None:
    """photo_text of a parsed element."""
    if not root.xpath(".//img"):
        return None
    return descriptions(root.xpath(".//img/@alt"))


def html_parser():
    """lxml's HTML parser with libxml2's size limits lifted (`huge_tree`): with them, a
    text of over 10 MB (one long paragraph) is dropped without an error, and a post read
    as having no text at all, where the importer would cut it to MAX_BODY_CHARS and say
    so. HTML parsing expands no entities of its own, and the depth stays bounded (2,048).
    One per thread: lxml's parsers must not be shared between threads."""
    parser = getattr(_parsers, "html", None)
    if parser is None:
        import lxml.html

        parser = _parsers.html = lxml.html.HTMLParser(huge_tree=True)
    return parser


_parsers = threading.local()


def element_paragraphs(root) -> list[str]:
    """The paragraphs of a parsed element: block elements and blank lines split them."""
    from lxml import etree

    etree.strip_elements(root, etree.Comment, *DROPPED, with_tail=False)
    for el in root.iter(BLOCKS):
        el.text = "\n\n" + (el.text or "")
        el.tail = "\n\n" + (el.tail or "")
    for el in root.iter("br"):
        el.tail = "\n" + (el.tail or "")
    for el in root.iter("td", "th"):  # a row is a paragraph, its cells words apart
        el.tail = " " + (el.tail or "")
    text = root.text_content()
    return [collapse_spaces(p) for p in PARAGRAPH_BREAK.split(text) if p.strip()]


def html_paragraphs(html: str) -> list[str]:
    """The paragraphs of one post's HTML content, as plain text."""
    if not html or not html.strip():
        return []
    html = strip_shortcodes(CONTROL.sub(" ", html))
    if "<" not in html:  # plain text with blank lines, as classic WordPress stores it
        html = html_lib.unescape(html)
        return [collapse_spaces(p) for p in PARAGRAPH_BREAK.split(html) if p.strip()]
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div", parser=html_parser())
    except (etree.ParserError, ValueError, AssertionError):
        # (lxml asserts on a whole document with no body, "<html> </html>": a template
        # or a pasted page; it stopped the whole run)
        return []
    if any(word in html for word in WIDGET_WORDS):  # (the search only where they can be)
        for widget in root.xpath(f".//*[{WIDGETS}]"):
            if widget.getparent() is not None:
                widget.drop_tree()
    return element_paragraphs(root)


def inline_text(html: str) -> str:
    """A title or name that may hold tags or entities ("Don&#8217;t") as plain text."""
    if "<" in html:
        html = " ".join(html_paragraphs(html))
    return collapse_spaces(html_lib.unescape(html))
