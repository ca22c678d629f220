"""Test helpers: articles written out as a WordPress export, HTML post pages and Markdown.

Used by the round-trip test: the articles the text importer reads from corpus/ are
written in each format as the real tools write it, then imported again, and must come
back with the same titles, dates, categories, tags, maxims and kinds.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from indexer.article import Article, slugify

FORMATS = {"video": "post-format-video", "audio": "post-format-audio",
           "image": "post-format-image"}  # fmt: skip


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_wxr(articles: list[Article]) -> str:
    items = "".join(wxr_item(a, n) for n, a in enumerate(articles, start=1))
    return wxr_head() + items + WXR_TAIL


def wxr_item(a: Article, n: int) -> str:
    terms = [f'<category domain="category" nicename="{slugify(c)}">{cdata(c)}</category>'
             for c in a.categories]  # fmt: skip
    terms += [f'<category domain="post_tag" nicename="{slugify(t)}">{cdata(t)}</category>'
              for t in a.tags]  # fmt: skip
    if a.kind in FORMATS:
        terms.append(f'<category domain="post_format" nicename="{FORMATS[a.kind]}">'
                     f"{cdata(a.kind.title())}</category>")  # fmt: skip
    content = "\n\n".join(
        f"<!-- wp:paragraph -->\n<p>{html.escape(p, quote=False)}</p>\n<!-- /wp:paragraph -->"
        for p in a.body.split("\n\n") if p
    )  # fmt: skip
    when = f"{a.date} 10:00:00" if a.date else "0000-00-00 00:00:00"
    return f"""
	<item>
		<title>{cdata(a.title)}</title>
		<link>https://blog.example/p/{n}/</link>
		<dc:creator>{cdata("jim")}</dc:creator>
		<guid isPermaLink="false">https://blog.example/?p={n}</guid>
		<content:encoded>{cdata(content)}</content:encoded>
		<excerpt:encoded>{cdata("")}</excerpt:encoded>
		<wp:post_id>{n}</wp:post_id>
		<wp:post_date_gmt>{cdata(when)}</wp:post_date_gmt>
		<wp:post_name>{cdata(slugify(a.title))}</wp:post_name>
		<wp:status>{cdata("publish")}</wp:status>
		<wp:post_type>{cdata("post")}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>
		{"".join(terms)}
	</item>"""


def wxr_head() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>https://blog.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>{cdata("jim")}</wp:author_login><wp:author_display_name>{cdata("Jim Blasingame")}</wp:author_display_name></wp:author>
"""  # noqa: E501


WXR_TAIL = "\n</channel></rss>\n"


def to_html_page(a: Article, n: int) -> str:
    e = html.escape
    cats = ", ".join(f'<a href="/category/{slugify(c)}/" rel="category tag">{e(c)}</a>'
                     for c in a.categories)  # fmt: skip
    tags = ", ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{e(t)}</a>' for t in a.tags)
    body = "\n".join(f"<p>{e(p)}</p>" for p in a.body.split("\n\n") if p)
    when = f'<time class="entry-time" datetime="{a.date}T10:00:00+00:00">{a.date}</time>' \
        if a.date else ""  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>{e(a.title)} - Jim Blasingame</title>
<link rel="canonical" href="https://blog.example/p/{n}/"></head>
<body class="single"><ul><li><a href="#c">Skip to content</a></li></ul>
<header class="site-header"><p class="site-title">Jim Blasingame</p>
<p class="site-description">Business futurist, award-winning author, speaker and columnist</p></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/books/">Books</a></li></ul></nav>
<main id="c"><article class="post-{n} post type-post status-publish format-{a.kind if a.kind in FORMATS else "standard"} entry">
<header class="entry-header"><h1 class="entry-title">{e(a.title)}</h1>
<p class="entry-meta">{when} by <span class="entry-author-name">Jim Blasingame</span></p></header>
<div class="entry-content">{body}</div>
<footer class="entry-footer"><p class="entry-meta"><span class="entry-categories">Filed Under: {cats}</span>
<span class="entry-tags">Tagged With: {tags}</span></p></footer></article></main>
<aside class="sidebar"><h4>Recent Posts</h4><ul><li><a href="/x/">Another post</a></li></ul></aside>
<footer class="site-footer"><p>Copyright © 2024 Jim Blasingame</p></footer></body></html>
"""  # noqa: E501


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def to_markdown(a: Article) -> str:
    lines = ["---", f"title: {json.dumps(a.title, ensure_ascii=False)}"]
    if a.date:
        lines.append(f"date: {a.date}")
    lines.append(f"categories: {json.dumps(a.categories, ensure_ascii=False)}")
    lines.append(f"tags: {json.dumps(a.tags, ensure_ascii=False)}")
    if a.kind != "article":
        lines.append(f"kind: {a.kind}")
    lines += ["---", ""]
    lines += [MARKDOWN_SPECIAL.sub(r"\\\1", p) + "\n" for p in a.body.split("\n\n") if p]
    return "\n".join(lines)


def write_html_pages(articles: list[Article], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, a in enumerate(articles, start=1):
        (folder / f"{n:03d}-{slugify(a.title)}.html").write_text(to_html_page(a, n), "utf-8")


def write_markdown(articles: list[Article], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, a in enumerate(articles, start=1):
        (folder / f"{n:03d}-{slugify(a.title)}.md").write_text(to_markdown(a), "utf-8")


XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>{sheets}</Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/styles.xml": (  # (style 1: Excel's built-in date format, number 14)
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
}


def _xlsx_cell(ref: str, value) -> str:
    """One cell of a sheet's XML: text inline, a date as Excel's day number styled as a
    date, a number or a yes-or-no as such."""
    import datetime

    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.date):
        serial = (value - datetime.date(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = html.escape(str(value), quote=False)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An Excel workbook (Office Open XML, as Excel saves one) of {sheet name: rows}, each
    row a list of cells (str, int, float, bool, date or None), written without a library:
    the parts a reader needs, inline strings, dates in Excel's built-in date format."""
    import zipfile

    def column(n: int) -> str:
        name = ""
        while n >= 0:
            name, n = chr(65 + n % 26) + name, n // 26 - 1
        return name

    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.'
        f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    names = "".join(f'<sheet name="{html.escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                    for n, name in enumerate(sheets, start=1))  # fmt: skip
    links = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    styles_link = (
        f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", XLSX_PARTS["[Content_Types].xml"].format(
            sheets=overrides))  # fmt: skip
        book.writestr("_rels/.rels", XLSX_PARTS["_rels/.rels"])
        book.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{names}</sheets></workbook>"))  # fmt: skip
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{links}{styles_link}</Relationships>'))  # fmt: skip
        book.writestr("xl/styles.xml", XLSX_PARTS["xl/styles.xml"])
        for n, rows in enumerate(sheets.values(), start=1):
            data = "".join(
                f'<row r="{r}">'
                + "".join(_xlsx_cell(f"{column(c)}{r}", v) for c, v in enumerate(row))
                + "</row>"
                for r, row in enumerate(rows, start=1)
            )
            book.writestr(f"xl/worksheets/sheet{n}.xml", (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"<sheetData>{data}</sheetData></worksheet>"))  # fmt: skip
    return path


def write_docx(path: Path, paragraphs: list[tuple[str, str]], title: str = "",
               creator: str = "") -> Path:  # fmt: skip
    """A Word document (Office Open XML) of (style id, text) paragraphs, with its
    properties' title and creator when given: the parts a reader needs."""
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def para(style: str, text: str) -> str:
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        runs = "".join(
            f'<w:r><w:t xml:space="preserve">{html.escape(piece, quote=False)}</w:t></w:r>'
            + ("<w:r><w:tab/></w:r>" if n < len(text.split("\t")) - 1 else "")
            for n, piece in enumerate(text.split("\t"))
        )
        return f"<w:p>{props}{runs}</w:p>"

    body = "".join(para(style, text) for style, text in paragraphs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as doc:
        doc.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                     'schemas.openxmlformats.org/package/2006/content-types"/>')  # fmt: skip
        doc.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                     f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')  # fmt: skip
        doc.writestr("docProps/core.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://'
            'schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc='
            f'"http://purl.org/dc/elements/1.1/"><dc:title>{html.escape(title)}</dc:title>'
            f"<dc:creator>{html.escape(creator)}</dc:creator></cp:coreProperties>"))  # fmt: skip
    return path


def write_odt(path: Path, paragraphs: list[tuple[str, str]], creator: str = "") -> Path:
    """An OpenDocument text of (kind, text) paragraphs, kind "h" for a top heading, "p"
    for a paragraph: its mimetype first, its content and its meta part."""
    import zipfile

    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    body = "".join(
        f'<text:h text:outline-level="1">{html.escape(t)}</text:h>' if kind == "h"
        else f"<text:p>{html.escape(t).replace('  ', ' <text:s/>')}</text:p>"
        for kind, t in paragraphs
    )  # fmt: skip
    with zipfile.ZipFile(path, "w") as doc:
        doc.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        doc.writestr("content.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office='
            f'"{office_ns}" xmlns:text="{text_ns}"><office:body><office:text>{body}'
            "</office:text></office:body></office:document-content>"))  # fmt: skip
        doc.writestr("meta.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office='
            f'"{office_ns}" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">'
            f"<office:meta><meta:initial-creator>{html.escape(creator)}</meta:initial-creator>"
            "</office:meta></office:document-meta>"))  # fmt: skip
    return path
