"""The OpenAPI 3.1 description of /api/, checked against real responses by the tests.

Takes nothing (`openapi_document`); gives the document as a dict.
"""

from __future__ import annotations

NULLABLE_STR = {"type": ["string", "null"]}
STRINGS = {"type": "array", "items": {"type": "string"}}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
SOURCE = {
    "type": ["object", "null"],
    "description": "Where the post was read: its corpus file, the line (or, in a feed, an "
    "export or a list page, the item's number), and `listing` for a post read from a page "
    "that lists posts (maybe only its excerpt).",
    "properties": {
        "file": {"type": "string"},
        "line": {"type": ["integer", "null"]},
        "item": {"type": "integer"},
        "listing": {"type": "boolean"},
    },
}

# The fields every article has, in a hit and on its own (search.hits.article_fields).
ARTICLE_FIELDS = {
    "id": {"type": "string"},
    "title": {"type": "string"},
    "date": NULLABLE_STR,
    "author": NULLABLE_STR,
    "categories": STRINGS,
    "tags": STRINGS,
    "kind": {"enum": ["article", "video", "audio", "image"]},
    "excerpt": {"type": "boolean"},
    "maxim": NULLABLE_STR,
    "source": SOURCE,
    "url": NULLABLE_STR,
    "page_url": {"type": "string"},
}
ARTICLE_REQUIRED = [k for k in ARTICLE_FIELDS if k != "excerpt"]
VERSION = {
    "type": "object",
    "required": ["id", "title", "relation"],
    "properties": {name: {"type": "string"} for name in ("id", "title", "relation")},
}

HIT = {
    "type": "object",
    "required": [*ARTICLE_REQUIRED, "score", "snippet", "title_html", "categories_html"],
    "properties": {
        **ARTICLE_FIELDS,
        "maxim_html": NULLABLE_STR,
        "score": {"type": ["number", "null"]},
        "snippet": {"type": "string"},
        "paragraph": {"type": ["integer", "null"]},
        "title_html": {"type": "string"},
        # `categories`, each as HTML with the query's words marked (as in title_html).
        "categories_html": {"type": "array", "items": {"type": "string"}},
        "other_versions": {"type": "array", "items": VERSION},
        # Put first by an editor for this query (a "best bet"), whatever its score.
        "pinned": {"type": "boolean"},
        # Only with explain=true (editors): the parts of the score, which add up to it.
        "explain": {
            "type": "object",
            "required": ["score", "parts", "sum"],
            "properties": {
                "score": {"type": ["number", "null"]},
                "sum": {"type": ["number", "null"]},
                "parts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kind", "value"],
                        "properties": {
                            "kind": {"enum": ["word", "phrase", "coordination", "bonus", "pinned"]},
                            "value": {"type": "number"},
                            "field": {"type": "string"},
                            "word": {"type": "string"},
                            # a word's part by its stem, or by the form typed ("as typed")
                            "stem": {"type": "string"},
                            "form": {"type": "string"},
                            "phrase": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}

SEARCH = {
    "type": "object",
    "required": [
        "ok",
        "query",
        "parsed",
        "warnings",
        "total",
        "page",
        "per_page",
        "took_ms",
        "did_you_mean",
        "corrections",
        "hits",
        "facets",
    ],
    "properties": {
        "ok": {"const": True},
        "query": {"type": "string"},
        "parsed": {"type": "string"},
        "warnings": STRINGS,
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "sort": {"enum": ["relevance", "newest", "oldest"]},
        "filters": {"type": "object", "additionalProperties": STRINGS},
        "took_ms": {"type": "number"},
        "collapse": {"type": "boolean"},
        "collapsed": {"type": "integer", "minimum": 0},
        "partial": {"type": "boolean"},
        "distinct": {"type": "integer", "minimum": 0},
        "did_you_mean": NULLABLE_STR,
        # What synonym rules added: [{"from": typed words, "to": [synonyms]}].
        "synonyms": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to"],
                "properties": {"from": {"type": "string"}, "to": STRINGS},
            },
        },
        "corrections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["from", "to"],
                "properties": {
                    "from": {"type": "string"},
                    "to": {"type": "string"},
                    # Nearer or more frequent words passed over because only "to"
                    # appears in documents with the query's other words.
                    "over": STRINGS,
                    # Other near words found with the query's other words: searched
                    # too, their matches ranked below the correction's.
                    "also": STRINGS,
                    # "from" is a word the collection has, changed because the query
                    # found (almost) nothing and "to" finds many more articles.
                    "real_word": {"type": "boolean"},
                    # With real_word: the few articles the words as typed found are
                    # listed first (on relevance), then those of the change.
                    "typed_first": {"type": "boolean"},
                    # "from" is a word only a post or two have, kept as typed ("to" is
                    # the same): "also" lists near words ten times as frequent, found
                    # with the query's other words, searched beside it and ranked
                    # below it (the word may be a typo that a post shares).
                    "rare": {"type": "boolean"},
                    # "from" is read as the beginning of "to", a word cut short or
                    # still being typed ("serv" for "service"); "also" lists the next
                    # commonest words that start with it. With "rare": the query's last
                    # word, which the collection has, is kept, and "also" lists the
                    # words starting with it searched beside it, below it.
                    "completed": {"type": "boolean"},
                    # With "completed": no post has every word of the query with "from"
                    # (the query's last word), and the posts listed are those with the
                    # words it begins, in "also" ("thank you is gold": "golden").
                    "partial": {"type": "boolean"},
                    # With "partial": the maxims were asked for, and no maxim has every
                    # word with "from" ("write this on a rock gold": "golden").
                    "maxims": {"type": "boolean"},
                    # "from", which no post says, is a derived form of "to", which
                    # posts say ("leadership" of "leader"), or of a category's word
                    # ("entrepreneurial": "entrepreneurship").
                    "derived": {"type": "boolean"},
                },
            },
        },
        # Quoted phrases that no post has word for word: their words were searched
        # instead (a warning says so); empty with correct=false, which keeps them exact.
        "loosened": STRINGS,
        # The request this answer is to, as parameters, where the query's words were read
        # as filters ("pricing by alice smith": {"q": "pricing", "author": ["Alice
        # Smith"]}; "posts since 2021": {"q": "", "after": "2021"}), said in a warning;
        # null where none, and with correct=false, which searches the words.
        "read_as": {"type": ["object", "null"]},
        # Categories, tags and authors whose name the query is ("customer care"), and
        # kinds it names ("videos"): a reader may want every post filed under one, not
        # only those that say its words.
        "named": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["facet", "value", "count"],
                "properties": {
                    "facet": {"enum": ["category", "tag", "author", "kind"]},
                    "value": {"type": "string"},
                    "count": {"type": "integer"},
                },
            },
        },
        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {
            "type": "object",
            "required": ["category", "tag", "author", "year", "kind"],
            "additionalProperties": COUNTS,
        },
    },
}

ARTICLE = {
    "type": "object",
    "required": ["ok", "article"],
    "properties": {
        "ok": {"const": True},
        "article": {
            "type": "object",
            "required": [*ARTICLE_REQUIRED, "body", "paragraphs_html"],
            "properties": {
                **ARTICLE_FIELDS,
                "body": {"type": "string"},
                "paragraphs_html": STRINGS,
                "paragraph_numbers": {"type": "array", "items": {"type": "integer"}},
                "no_text": {"type": "string"},
            },
        },
    },
}

MAXIMS = {
    "type": "object",
    "required": ["ok", "total", "maxims"],
    "properties": {
        "ok": {"const": True},
        "query": {"type": "string", "description": "The words asked (`q`), when given"},
        "total": {"type": "integer"},
        "maxims": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "date", "maxim", "source"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "date": NULLABLE_STR,
                    "maxim": {"type": "string"},
                    "source": SOURCE,
                    "maxim_html": {
                        "type": "string",
                        "description": "With `q`: the maxim as HTML, its words found in <mark>",
                    },
                },
            },
        },
    },
}

SUGGEST = {
    "type": "object",
    "required": ["ok", "query", "suggestions"],
    "properties": {
        "ok": {"const": True},
        "query": {"type": "string"},
        "suggestions": {
            "type": "array",
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "description": "An article's title or maxim; `id` opens it.",
                        "required": ["text", "kind", "id"],
                        "properties": {
                            "text": {"type": "string"},
                            "kind": {"enum": ["title", "maxim"]},
                            "id": {"type": "string"},
                        },
                    },
                    {
                        "type": "object",
                        "description": "A category or tag (listed first, two at most): "
                        "`value` is its filter's value, `count` the posts filed under it.",
                        "required": ["text", "kind", "value", "count"],
                        "properties": {
                            "text": {"type": "string"},
                            "kind": {"enum": ["category", "tag"]},
                            "value": {"type": "string"},
                            "count": {"type": "integer"},
                        },
                    },
                    {
                        "type": "object",
                        "description": "A search finishing the word being typed, where no "
                        "title, maxim, category or tag has it (`text` is the query).",
                        "required": ["text", "kind"],
                        "properties": {
                            "text": {"type": "string"},
                            "kind": {"const": "query"},
                        },
                    },
                ]
            },
        },
    },
}

MEMBER = {
    "type": "object",
    "required": ["id", "title", "source", "relation", "scores"],
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "date": NULLABLE_STR,
        "source": SOURCE,
        "relation": {"enum": ["canonical", "exact", "retitled", "excerpt", "edited", "rewrite"]},
        "scores": {"type": "object", "additionalProperties": {"type": ["number", "string"]}},
    },
}

DUPLICATES = {
    "type": "object",
    "required": ["ok", "groups"],
    "properties": {
        "ok": {"const": True},
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["canonical", "members"],
                "properties": {
                    "canonical": {"type": "string"},
                    "members": {"type": "array", "items": MEMBER, "minItems": 2},
                },
            },
        },
    },
}

ERROR = {
    "type": "object",
    "required": ["ok", "status", "error"],
    "properties": {
        "ok": {"const": False},
        "status": {"type": "integer"},
        "error": {"type": "string"},
    },
}


REPORT = {
    "type": "object",
    "required": ["ok", "report", "rows"],
    "properties": {
        "ok": {"const": True},
        "report": {"type": "string"},
        "rows": {"type": "array", "items": {"type": "object"}},
    },
}


def param(name: str, description: str, schema: dict, repeat: bool = False) -> dict:
    if repeat:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "explode": True,
    }


def answer(schema: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


ERRORS = {
    "400": answer("Error", "A parameter cannot be used; `error` says which and why."),
    "429": answer("Error", "Too many requests from this address; see Retry-After."),
    "503": answer("Error", "There is no usable index yet."),
}


def openapi_document() -> dict:
    search_params = [
        param("q", "The query (see the README for its syntax).", {"type": "string"}),
        param(
            "category", "Only these categories (repeat to pick several).", {"type": "string"}, True
        ),
        param("tag", "Only these tags.", {"type": "string"}, True),
        param("author", "Only these authors.", {"type": "string"}, True),
        param("kind", "Only these kinds: article, video, audio, image.", {"type": "string"}, True),
        param("year", "Only these years, or 'undated'.", {"type": "string"}, True),
        param("after", "On or after this date: YYYY, YYYY-MM or YYYY-MM-DD.", {"type": "string"}),
        param("before", "Before this date.", {"type": "string"}),
        param(
            "sort",
            "Order of the hits (default: relevance, or the order the query's "
            "words ask for: 'latest posts on pricing' is newest first).",
            {"enum": ["relevance", "newest", "oldest"]},
        ),
        param("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
        param("per_page", "Hits per page (capped).", {"type": "integer", "minimum": 1}),
        param("collapse", "One post per duplicate group (default true).", {"type": "boolean"}),
        param(
            "correct",
            "Correct typos (default true); false searches the words as typed.",
            {"type": "boolean"},
        ),  # fmt: skip
        param(
            "explain",
            "Editors only (a bearer token): add to each hit how its score was made.",
            {"type": "boolean"},
        ),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rocksearch API",
            "version": "1",
            "description": "Search a blog's articles. Every answer has `ok`; errors "
            "also have `status` and `error`.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search articles",
                    "parameters": search_params,
                    "responses": {"200": answer("Search", "Results"), **ERRORS},
                }
            },
            "/api/articles/{id}": {
                "get": {
                    "summary": "One article, highlighted for `q` if given",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        param("q", "Words to highlight.", {"type": "string"}),
                    ],
                    "responses": {
                        "200": answer("Article", "The article"),
                        "404": answer("Error", "No article has this id"),
                        **ERRORS,
                    },
                }
            },
            "/api/maxims": {
                "get": {
                    "summary": "Every maxim with its article, or those some words find",
                    "parameters": [
                        param(
                            "q",
                            "Words a maxim or its post says (typos "
                            "forgiven, the last word perhaps begun); "
                            "none: every maxim, newest first",
                            {"type": "string", "maxLength": 1000},
                        )
                    ],  # fmt: skip
                    "responses": {"200": answer("Maxims", "The maxims"), **ERRORS},
                }
            },
            "/api/suggest": {
                "get": {
                    "summary": "Categories, tags, titles and maxims for what has been typed",
                    "parameters": [param("q", "What has been typed.", {"type": "string"})],
                    "responses": {"200": answer("Suggest", "Suggestions"), **ERRORS},
                }
            },
            "/api/editor/duplicates": {
                "get": {
                    "summary": "Groups of duplicate posts (editors)",
                    "security": [{"editor": []}],
                    "parameters": [
                        param("min_score", "Only groups scoring at least this.", {"type": "number"})
                    ],
                    "responses": {
                        "200": answer("Duplicates", "The groups"),
                        "401": answer("Error", "No editor's token"),
                        **ERRORS,
                    },
                }
            },
            "/api/editor/analytics/{report}": {
                "get": {
                    "summary": "A search analytics report (editors)",
                    "security": [{"editor": []}],
                    "parameters": [
                        {
                            "name": "report",
                            "in": "path",
                            "required": True,
                            "schema": {
                                "enum": [
                                    "top",
                                    "no-results",
                                    "no-clicks",
                                    "per-day",
                                    "clicks-by-rank",
                                ]  # fmt: skip
                            },
                        }
                    ],
                    "responses": {
                        "200": answer("Report", "The report's rows"),
                        "401": answer("Error", "No editor's token"),
                        **ERRORS,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Search": SEARCH,
                "Hit": HIT,
                "Article": ARTICLE,
                "Maxims": MAXIMS,
                "Suggest": SUGGEST,
                "Duplicates": DUPLICATES,
                "Report": REPORT,
                "Error": ERROR,
            },
            "securitySchemes": {
                "editor": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `rocksearch editor token NAME`.",
                }
            },
        },
    }
