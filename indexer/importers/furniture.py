"""Page furniture and post markers, shared by every importer.

Takes nothing; gives the patterns that recognise what is not the author's text (menus,
sidebars, pagination, photo credits, image file names, video embed links, PHP warnings:
`is_furniture`) and the markers inside a post ("Continue reading" for an excerpt, a
"VIDEO:" title prefix for the kind; the maxim's, "Write this on a rock …", is
`indexer.article.MAXIM`).
"""

from __future__ import annotations

import re

MEDIA_PREFIX = re.compile(r"^(VIDEO|AUDIO|PODCAST|IMAGE|PHOTO)\s*:", re.I)
MEDIA_KIND = {"video": "video", "audio": "audio", "podcast": "audio"}
MEDIA_KIND.update(image="image", photo="image")

# "[Continue Reading]", "today’s[…] Continue...": the page shows only the start of the post.
CONTINUE = re.compile(
    r"\s*(?:\[\s*(?:…|\.{3})\s*\]\s*Continue(?:\s+reading)?\s*(?:…|\.{3})?"
    r"|\[\s*Continue\s+Reading\s*\]|\bContinue\s+reading\s*(?:…|\.{3}|→|»))\s*$",
    re.I,
)

# Whole lines that are page furniture, whatever the template.
FURNITURE = [
    re.compile(p, re.I if i < 11 else 0)
    for i, p in enumerate(
        [
            r"^[•·▪●◦]",  # menus, sidebars and pagination are bullet lists
            r"^Skip to (?:main )?content$",
            r"^(?:Categories|Archives|Recent Posts|Recent Comments|Tags|Meta|Blogroll)$",
            r"^(?:«\s*)?(?:Older|Newer) (?:Posts|Entries)\s*»?$",
            r"^(?:«\s*)?(?:Next|Previous) Page\s*»?$",
            r"^(?:©|Copyright\b)",
            r"^Share this (?:page|post|article)\b",
            r"^(?:Warning|Notice|Deprecated|Fatal error|Parse error|Strict Standards):.*"
            r" on line \d+$",
            r"^header image$",
            r"^Photo (?:courtesy of|credit:?)\s",
            r"^Click (?:on )?(?:the|this) (?:image|link|photo|picture|play button)\b.*"
            r"\b(?:video|recording|audio|podcast|listen)\b",
            r"\bfrom .{1,80} on (?:Vimeo|YouTube)\.?$",
            r"^Screen ?Shot \d{4}-\d{2}-\d{2}\b",
            r"^[\w.-]+\.(?:jpe?g|png|gif|webp|svg)$",
            r"^(?=\S*[\d_])[A-Za-z]\w*(?:[-_]\w+)+$",  # an image file name: desk-789632_640
            r"^(?:[A-Z][a-z]+){2,}$",  # an image's CamelCase alt text: OnAir
        ]
    )
]

IMAGE_NAMES = FURNITURE[-4:]


# The patterns anchored at the start, as one pattern tried at the start only (each keeps
# its own case rule), and the few others searched: sixteen searches of each paragraph
# were a third of the time of reading a WordPress export.
ANCHORED = re.compile(
    "|".join(
        f"(?i:{p.pattern})" if p.flags & re.I else f"(?:{p.pattern})"
        for p in FURNITURE
        if p.pattern.startswith("^")
    )
)
UNANCHORED = [p for p in FURNITURE if not p.pattern.startswith("^")]
assert all("Vimeo" in p.pattern for p in UNANCHORED), "is_furniture's precheck is stale"


def is_furniture(text: str) -> bool:
    if ANCHORED.match(text) is not None:
        return True
    # The one unanchored pattern is an embed line ("… from X on Vimeo"): look only there.
    return ("Vimeo" in text or "YouTube" in text) and any(p.search(text) for p in UNANCHORED)
