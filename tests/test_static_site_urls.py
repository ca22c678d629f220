"""A Hugo or Jekyll site's Markdown posts get the addresses the site publishes them at.

Before, a Markdown post had a link only when its front matter held an absolute URL,
which Hugo and Jekyll posts almost never do: every result of a static blog linked to
rocksearch's own copy, never to the post on the blog.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from indexer.article import Article, SourceError
from indexer.build import build_index
from indexer.importers import ImportOptions
from indexer.importers.site_addresses import hugo_urlize, jekyll_slugify
from indexer.sources import read_corpus
from search.engine import search
from search.state import get_state


def write_files(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def urls(corpus: Path) -> dict[str, str | None]:
    items = read_corpus(corpus, ImportOptions())
    return {a.title: a.url for a in items if isinstance(a, Article)}


def post(title: str, **fields: str) -> str:
    lines = [f"title: {title}", *(f"{k}: {v}" for k, v in fields.items())]
    return "---\n" + "\n".join(lines) + "\n---\nCash is the oxygen of a small business.\n"


HUGO_POSTS = {
    "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
    "content/posts/2022/Pricing Tips.md": post("Pricing tips", date="2022-01-09"),
    "content/posts/bundle/index.md": post("A bundle", date="2021-06-01", slug="My-Bundle"),
    "content/posts/moved.md": post("Moved", date="2021-07-01", url="/old/moved-post/"),
    "content/notes/idea.md": post("An idea", date="2021-08-02"),
    "content/about.md": post("About"),
    # (a language code in the name, as some themes' sites name every file)
    "content/notes/plan.en.md": post("A plan", date="2021-08-03"),
    "content/notes/kit/index.en.md": post("A kit", date="2021-08-04"),
    "content/notes/v1.2.md": post("Version", date="2021-08-05"),
}


def test_hugo_default_addresses_follow_the_content_folder(tmp_path):
    site = write_files(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://blog.example/"\ntitle = "Blog"\n', **HUGO_POSTS,
    })  # fmt: skip
    assert urls(site) == {
        "Cash flow": "https://blog.example/posts/cash-flow/",
        # (Hugo lower-cases the path and writes a space as a hyphen)
        "Pricing tips": "https://blog.example/posts/2022/pricing-tips/",
        "A bundle": "https://blog.example/posts/my-bundle/",  # a bundle's slug
        "Moved": "https://blog.example/old/moved-post/",  # its own url
        "An idea": "https://blog.example/notes/idea/",
        "About": "https://blog.example/about/",
        "A plan": "https://blog.example/notes/plan/",
        "A kit": "https://blog.example/notes/kit/",
        "Version": "https://blog.example/notes/v1.2/",
    }


def test_hugo_permalinks_by_section_with_dates_and_slugs(tmp_path):
    site = write_files(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://blog.example/writing"\n'
                     '[permalinks]\n  posts = "/:year/:month/:slug/"\n'
                     '  notes = "/n/:filename"\n',
        **HUGO_POSTS,
    })  # fmt: skip
    assert urls(site) == {
        "Cash flow": "https://blog.example/writing/2021/05/cash-flow/",  # :slug: the title
        "Pricing tips": "https://blog.example/writing/2022/01/pricing-tips/",
        "A bundle": "https://blog.example/writing/2021/06/my-bundle/",
        "Moved": "https://blog.example/writing/old/moved-post/",
        "An idea": "https://blog.example/writing/n/idea/",
        "About": "https://blog.example/writing/about/",  # (no pattern for the home section)
        "A plan": "https://blog.example/writing/n/plan/",
        "A kit": "https://blog.example/writing/n/kit/",
        "Version": None,  # (:filename "v1.2": a folder or a file? not told)
    }


def test_hugo_yaml_config_page_permalinks_and_ugly_urls(tmp_path):
    site = write_files(tmp_path / "site", {
        "hugo.yaml": "baseURL: https://blog.example/\nuglyURLs: true\n"
                     "permalinks:\n  page:\n    posts: /:sections/:contentbasename/\n",
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
        "content/notes/idea.md": post("An idea"),
    })  # fmt: skip
    assert urls(site) == {
        "Cash flow": "https://blog.example/posts/cash-flow.html",
        "An idea": "https://blog.example/notes/idea.html",
    }


def test_hugo_configuration_folder_with_a_file_per_key_and_the_production_address(tmp_path):
    """A site configured in config/ (Hugo Stack's and Hugo Blox's way): the root keys'
    files (permalinks.toml) are read with config/_default/'s hugo file, production's
    over them; its theme's example posts are not read as the blog's."""
    site = write_files(tmp_path / "site", {
        "config/_default/config.toml": 'baseURL = "/"\ntitle = "Blog"\n',
        "config/_default/permalinks.toml": 'post = "/p/:slug/"\npage = "/:slug/"\n',
        "config/_default/params.toml": "[sidebar]\nsubtitle = 'Notes'\n",
        "config/production/hugo.toml": 'baseURL = "https://blog.example/"\n',
        "config/development/hugo.toml": 'baseURL = "http://localhost:1313/"\n',
        "content/post/cash-flow/index.md": post("Cash flow", date="2021-05-04"),
        "content/page/about.md": post("About"),
        "themes/stack/exampleSite/content/post/demo.md": post("Theme demo"),
        "themes/stack/README.md": "# Stack\n\nA card-style theme.\n",
    })  # fmt: skip
    assert urls(site) == {
        "Cash flow": "https://blog.example/p/cash-flow/",
        "About": "https://blog.example/about/",
    }
    # The permalinks changed: the next index reads the site's posts again.
    old = time.time() - 60  # (a file changed within the cache's racy window is read anyway)
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    index = tmp_path / "index"
    build_index(site, index)
    hit = search(get_state(index, wait=True), "cash flow").hits[0]
    assert (hit["title"], hit["url"]) == ("Cash flow", "https://blog.example/p/cash-flow/")
    (site / "config/_default/permalinks.toml").write_text('post = "/:year/:slug/"\n')
    build_index(site, index)
    hit = search(get_state(index, wait=True), "cash flow").hits[0]
    assert (hit["title"], hit["url"]) == ("Cash flow", "https://blog.example/2021/cash-flow/")


def test_hugo_content_folder_given_as_the_corpus_finds_its_site(tmp_path):
    """`--corpus site/content`: the configuration is the folder above."""
    site = write_files(tmp_path / "site", {
        "config.toml": 'baseURL = "https://blog.example/"\n',
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
    })  # fmt: skip
    assert urls(site / "content") == {"Cash flow": "https://blog.example/posts/cash-flow/"}


def test_no_address_rather_than_a_wrong_one(tmp_path):
    """A site with no absolute address (Hugo's local "/"), a pattern with a placeholder
    not known here, a post outside the content folder, a Markdown file of no site: no
    link (the result opens rocksearch's copy), as before."""
    local = write_files(tmp_path / "local", {
        "hugo.toml": 'baseURL = "/"\n',
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
    })  # fmt: skip
    assert urls(local) == {"Cash flow": None}
    odd = write_files(tmp_path / "odd", {
        "hugo.toml": 'baseURL = "https://blog.example/"\n'
                     '[permalinks]\n  posts = "/:sections[1:]/:slug/"\n',
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
    })  # fmt: skip
    assert urls(odd) == {"Cash flow": None}
    undated = write_files(tmp_path / "undated", {
        "hugo.toml": 'baseURL = "https://blog.example/"\n'
                     '[permalinks]\n  posts = "/:year/:slug/"\n',
        "content/posts/cash-flow.md": post("Cash flow"),
    })  # fmt: skip
    assert urls(undated) == {"Cash flow": None}
    broken = write_files(tmp_path / "broken", {
        "hugo.toml": 'baseURL = "https://blog.example/\n',  # (not valid TOML)
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
    })  # fmt: skip
    assert urls(broken) == {"Cash flow": None}
    plain = write_files(tmp_path / "plain", {"notes/cash-flow.md": post("Cash flow")})
    assert urls(plain) == {"Cash flow": None}


def problems(corpus: Path) -> list[str]:
    return [str(p) for p in read_corpus(corpus, ImportOptions()) if isinstance(p, SourceError)]


def test_a_site_configuration_that_cannot_be_read_is_named_once(tmp_path):
    """A broken hugo.toml or _config.yml costs its site's posts their addresses only:
    they are indexed, and one problem names the file, its line and why (it had been
    passed over without a word), however many posts the site has."""
    hugo = write_files(tmp_path / "hugo", {
        "hugo.toml": 'title = "Blog"\nbaseURL = "https://blog.example/\n',  # (an open string)
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
        "content/posts/pricing.md": post("Pricing", date="2021-05-05"),
    })  # fmt: skip
    assert urls(hugo) == {"Cash flow": None, "Pricing": None}
    [said] = problems(hugo)
    assert said.startswith("hugo.toml:2: is not valid TOML (")
    assert said.endswith("; the site's posts are indexed without their addresses on the live site")
    jekyll = write_files(tmp_path / "jekyll", {
        "_config.yml": 'url: "https://blog.example"\npermalink: [/:title/\n',
        "_posts/2021-05-04-cash-flow.md": post("Cash flow"),
    })  # fmt: skip
    assert urls(jekyll) == {"Cash flow": None}
    [said] = problems(jekyll)
    assert said.startswith("_config.yml:3: is not valid YAML (")
    fine = write_files(tmp_path / "fine", {
        "hugo.toml": 'baseURL = "https://blog.example/"\n',
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
    })  # fmt: skip
    assert problems(fine) == []


def aged_site(root: Path, config: str) -> Path:
    """A Hugo site of one post, its files older than the read cache's racy window (a
    file changed within it is read anyway, cached or not)."""
    site = write_files(root, {
        "hugo.toml": config,
        "content/posts/cash-flow.md": post("Cash flow", date="2021-05-04"),
    })  # fmt: skip
    old = time.time() - 60
    for path in (site / "hugo.toml", site / "content/posts/cash-flow.md"):
        os.utime(path, (old, old))
    return site


def test_a_mended_site_configuration_reads_the_posts_again(tmp_path):
    """With the read cache: while the configuration is broken every index says so (the
    posts come from the cache), and once it is mended the posts get their addresses."""
    site = aged_site(tmp_path / "site", 'baseURL = "https://blog.example/\n')
    index = tmp_path / "index"
    for _ in range(2):
        summary = build_index(site, index)
        assert [p.file for p in summary.problems] == ["hugo.toml"] and summary.errors == 1
        assert search(get_state(index, wait=True), "oxygen").hits[0]["url"] is None
    (site / "hugo.toml").write_text('baseURL = "https://blog.example/"\n')
    summary = build_index(site, index)
    assert summary.problems == []
    hit = search(get_state(index, wait=True), "oxygen").hits[0]
    assert hit["url"] == "https://blog.example/posts/cash-flow/"


def test_a_hugo_leaf_bundle_made_or_unmade_reads_its_files_again(tmp_path):
    """A Markdown file in a leaf bundle (a folder with an index.md) is a page resource,
    no post. The read cache watches the bundles' index files with each file: one made
    beside unchanged posts takes them out of the index, and removed puts them back."""
    site = aged_site(tmp_path / "site", 'baseURL = "https://blog.example/"\n')
    chairs = site / "content" / "posts" / "chairs"
    write_files(chairs, {"credits.md": post("Credits"), "notes/story.md": post("Story")})
    old = time.time() - 60
    for path in (chairs / "credits.md", chairs / "notes" / "story.md"):
        os.utime(path, (old, old))
    index = tmp_path / "index"

    def titles() -> list[str]:
        return sorted(h["title"] for h in search(get_state(index, wait=True), "oxygen").hits)

    assert build_index(site, index).added == 3
    assert titles() == ["Cash flow", "Credits", "Story"]
    (chairs / "index.md").write_text(post("Chairs"))
    summary = build_index(site, index)
    assert (summary.added, summary.deleted, summary.problems) == (1, 2, [])
    assert titles() == ["Cash flow", "Chairs"]
    (chairs / "index.md").unlink()
    assert (build_index(site, index).added, titles()) == (2, ["Cash flow", "Credits", "Story"])


def test_an_absolute_url_in_the_front_matter_still_wins(tmp_path):
    site = write_files(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://blog.example/"\n',
        "content/posts/cash-flow.md": post("Cash flow", url="https://other.example/cash/"),
    })  # fmt: skip
    assert urls(site) == {"Cash flow": "https://other.example/cash/"}


def test_zola_pages_by_their_sections_and_slugs(tmp_path):
    """A Zola site (config.toml's `base_url`, beside content/): its pages had no
    addresses, its config read as Hugo's, which names the address otherwise. As Zola
    makes them (components/content/src/page.rs): the sections' folders and the file's
    name slugified, less a leading date (which dates the page), an index.md named by its
    folder, `slug` and `path` from the front matter, a language's code before them; a
    slug Zola would transliterate from another script is not guessed."""
    site = write_files(tmp_path / "site", {
        "config.toml": 'base_url = "https://blog.example"\ndefault_language = "en"\n'
                       "[languages.fr]\n",
        "content/blog/_index.md": '+++\ntitle = "Blog"\n+++\n',
        "content/blog/Cash Flow.md": post("Cash flow"),
        "content/blog/2018-10-10_hello-world.md": post("Hello"),
        "content/blog/with-assets/index.md": post("Assets"),
        "content/blog/slugged.md": post("Slugged", slug="My Own Slug"),
        "content/blog/pathed.md": post("Pathed", path="custom/place"),
        "content/blog/café.md": post("Cafe"),
        "content/blog/日本.md": post("Japan"),
        "content/blog/cash.fr.md": post("Trésorerie"),
        "content/about.md": post("About"),
    })  # fmt: skip
    assert urls(site) == {
        "Cash flow": "https://blog.example/blog/cash-flow/",
        "Hello": "https://blog.example/blog/hello-world/",
        "Assets": "https://blog.example/blog/with-assets/",
        "Slugged": "https://blog.example/blog/my-own-slug/",
        "Pathed": "https://blog.example/custom/place/",
        "Cafe": "https://blog.example/blog/cafe/",
        "Japan": None,
        "Trésorerie": "https://blog.example/fr/blog/cash/",
        "About": "https://blog.example/about/",
    }
    dated = [a for a in read_corpus(site, ImportOptions()) if isinstance(a, Article)]
    assert {a.title: a.date for a in dated}["Hello"] == "2018-10-10"
    (site / "config.toml").write_text('base_url = "https://blog.example/"\n[slugify]\n'
                                      'paths = "off"\npaths_keep_dates = true\n')  # fmt: skip
    off = urls(site)
    assert off["Cash flow"] == "https://blog.example/blog/Cash%20Flow/"
    assert off["Hello"] == "https://blog.example/blog/2018-10-10_hello-world/"


def test_hexo_posts_by_its_permalink_pattern(tmp_path):
    """A Hexo site (_config.yml, as Jekyll's, and source/_posts): read as Jekyll's, its
    posts had no addresses, and its scaffolds (post-shaped templates, "title: {{ title
    }}") gave three problems each in every run. As Hexo makes them
    (hexo/lib/plugins/filter/post_permalink.js): :title the file's path under _posts,
    :name its name, the date's placeholders, a front matter's or `permalink_defaults`'
    value; the front matter's own `permalink` wins. A post Hexo dates by its file's
    time, or a pattern with a placeholder not told here, gets no address."""
    site = write_files(tmp_path / "blog", {
        "_config.yml": "title: Blog\nurl: https://blog.example\npermalink: :lang/:year/:month/"
                       ":day/:title/\npermalink_defaults:\n  lang: en\n",
        "scaffolds/post.md": "---\ntitle: {{ title }}\ndate: {{ date }}\ntags:\n---\n",
        "source/_posts/hello-world.md": post("Hello World", date="2013-07-14 17:01:34"),
        "source/_posts/lorem/cash.md": post("Cash flow", date="2021-05-04", lang="fr"),
        "source/_posts/moved.md": post("Moved", date="2021-06-01", permalink="old/moved.html"),
        "source/_posts/undated.md": post("Undated"),
        "source/about/index.md": post("About"),
    })  # fmt: skip
    articles = [a for a in read_corpus(site, ImportOptions()) if isinstance(a, Article)]
    assert not [p for p in read_corpus(site, ImportOptions()) if isinstance(p, SourceError)]
    assert {a.title: a.url for a in articles} == {
        "Hello World": "https://blog.example/en/2013/07/14/hello-world/",
        "Cash flow": "https://blog.example/fr/2021/05/04/lorem/cash/",
        "Moved": "https://blog.example/old/moved.html",
        "Undated": None,
        "About": None,
    }
    (site / "_config.yml").write_text("url: https://blog.example/\npermalink: :category/:title/\n")
    assert urls(site)["Hello World"] is None


def test_pelican_articles_and_pages_by_its_url_settings(tmp_path):
    """A Pelican site (pelicanconf.py, publishconf.py's SITEURL for the published site):
    its posts had no addresses. Its settings are Python, never run: their plain text
    assignments are read. As Pelican makes them: ARTICLE_URL (`{slug}.html` by default)
    with the slug (`Slug`, else the title slugified), the date's formats, the category
    (`Category`, else the post's folder); PAGE_URL for content/pages/."""
    site = write_files(tmp_path / "blog", {
        "pelicanconf.py": "AUTHOR = 'Alexis'\nSITEURL = ''\nPATH = 'content'\n"
                          "TIMEZONE = 'Europe/Paris'  # a comment\n",
        "publishconf.py": "import os\nfrom pelicanconf import *\n\n"
                          'SITEURL = "https://blog.example"\nRELATIVE_URLS = False\n',
        "content/cash.md": "Title: Cash flow, the basics!\nDate: 2021-05-04 10:20\n\nKing.\n",
        "content/Money/pricing.md": "Title: Pricing\nDate: 2021-06-01\nSlug: prices\n\nP.\n",
        "content/pages/about.md": "Title: About me\n\nMe.\n",
    })  # fmt: skip
    assert urls(site) == {
        "Cash flow, the basics!": "https://blog.example/cash-flow-the-basics.html",
        "Pricing": "https://blog.example/prices.html",
        "About me": "https://blog.example/pages/about-me.html",
    }
    (site / "pelicanconf.py").write_text(
        "SITEURL = 'https://blog.example'\nARTICLE_URL = '{category}/{date:%Y}/{date:%b}/{slug}/'\n"
        "USE_FOLDER_AS_CATEGORY = True\n"
    )
    (site / "publishconf.py").unlink()
    assert urls(site)["Pricing"] == "https://blog.example/money/2021/Jun/prices/"
    assert urls(site)["Cash flow, the basics!"] == (
        "https://blog.example/misc/2021/May/cash-flow-the-basics/"
    )
    hourly = "SITEURL = 'https://blog.example'\nARTICLE_URL = '{date:%Y}/{date:%H}/{slug}/'\n"
    (site / "pelicanconf.py").write_text(hourly)
    assert urls(site)["Pricing"] is None  # (an hour: not told here)


def test_jekyll_posts_by_the_default_date_style(tmp_path):
    site = write_files(tmp_path / "site", {
        "_config.yml": "title: My blog\nurl: https://blog.example\nbaseurl: /journal\n",
        "_posts/2021-05-04-welcome-to-Jekyll.markdown":
            post("Welcome", categories="Jekyll update"),
        "business/_posts/2020-01-02-cash.md": post("Cash", category="Money"),
        "_posts/2021-06-01-pricing.md": post("Pricing", slug="Pricing Tips"),
        "_posts/2021-07-01-moved.md": post("Moved", permalink="/:year/:title/"),
    })  # fmt: skip
    assert urls(site) == {
        # (categories lower-cased, the title from the file's name, its case kept)
        "Welcome": "https://blog.example/journal/jekyll/update/2021/05/04/welcome-to-Jekyll.html",
        "Cash": "https://blog.example/journal/business/money/2020/01/02/cash.html",
        "Pricing": "https://blog.example/journal/2021/06/01/Pricing-Tips.html",
        "Moved": "https://blog.example/journal/2021/moved/",
    }


def test_a_jekyll_sites_collections_dir_holds_its_posts(tmp_path):
    """A Jekyll site may keep its collections, _posts with them, in a folder of their own
    (`collections_dir`): its folder was not seen as a Jekyll site's, so its README and
    pages were read as posts, and the folder's name was a category in every address."""
    site = write_files(tmp_path / "site", {
        "_config.yml": "url: https://blog.example\ncollections_dir: my_collections\n",
        "my_collections/_posts/2021-05-04-cash.md": post("Cash"),
        "my_collections/business/_posts/2020-01-02-pricing.md": post("Pricing"),
        "about.md": post("About"),
        "README.md": "# My blog\n\nBuilt with Jekyll.\n",
    })  # fmt: skip
    assert urls(site) == {
        "Cash": "https://blog.example/2021/05/04/cash.html",
        "Pricing": "https://blog.example/business/2020/01/02/pricing.html",
    }


def test_jekyll_styles_and_patterns(tmp_path):
    files = {"_posts/2021-05-04-cash-flow.md": post("Cash flow", categories="[Money, Tips]")}
    expected = {
        "pretty": "https://blog.example/money/tips/2021/05/04/cash-flow/",
        "none": "https://blog.example/money/tips/cash-flow.html",
        "ordinal": "https://blog.example/money/tips/2021/124/cash-flow.html",
        "/blog/:year/:i_month/:slug": "https://blog.example/blog/2021/5/cash-flow",
        # (Jekyll's :name is the file's whole name, its date too)
        "/:categories/:name/": "https://blog.example/money/tips/2021-05-04-cash-flow/",
        "/:hour/:title/": None,  # (the hour is not known from a date)
    }
    for n, (style, url) in enumerate(expected.items()):
        site = write_files(tmp_path / str(n), {
            "_config.yml": f"url: https://blog.example/\npermalink: '{style}'\n", **files,
        })  # fmt: skip
        assert urls(site) == {"Cash flow": url}, style
    # A style's name is the site's setting; in a post's front matter it is a path.
    own = write_files(tmp_path / "own", {
        "_config.yml": "url: https://blog.example/\npermalink: pretty\n",
        "_posts/2021-05-04-cash-flow.md": post("Cash flow", permalink="none"),
    })  # fmt: skip
    assert urls(own) == {"Cash flow": "https://blog.example/none"}
    nowhere = write_files(tmp_path / "nowhere", {"_config.yml": "title: Blog\n", **files})
    assert urls(nowhere) == {"Cash flow": None}  # (no `url`: no absolute address)


def test_jekyll_defaults_and_the_posts_collection_set_permalinks(tmp_path):
    """A theme's _config.yml often sets the posts' permalink in `defaults` (by path, by
    type) or in `collections.posts`, not in `permalink`: read as Jekyll reads them."""
    site = write_files(tmp_path / "site", {
        "_config.yml": "url: https://blog.example\npermalink: pretty\n"
                       "defaults:\n"
                       "  - scope: {path: ''}\n    values: {layout: single}\n"
                       "  - scope: {path: '', type: posts}\n"
                       "    values: {permalink: '/blog/:title/', author_profile: true}\n"
                       "  - scope: {path: 'tips', type: post}\n"
                       "    values: {permalink: '/tips/:slug/'}\n"
                       "  - scope: {path: '', type: pages}\n"
                       "    values: {permalink: '/p/:title/'}\n",
        "_posts/2021-05-04-cash-flow.md": post("Cash flow"),
        "tips/_posts/2021-06-01-Pricing.md": post("Pricing"),
        "_posts/2021-07-01-own.md": post("Own", permalink="/own/"),
    })  # fmt: skip
    assert urls(site) == {
        "Cash flow": "https://blog.example/blog/cash-flow/",
        "Pricing": "https://blog.example/tips/pricing/",  # (the longer path wins)
        "Own": "https://blog.example/own/",  # (the front matter over the defaults)
    }
    collection = write_files(tmp_path / "collection", {
        "_config.yml": "url: https://blog.example\npermalink: pretty\n"
                       "collections:\n  posts:\n    permalink: /articles/:year/:title\n",
        "_posts/2021-05-04-cash-flow.md": post("Cash flow"),
    })  # fmt: skip
    assert urls(collection) == {"Cash flow": "https://blog.example/articles/2021/cash-flow"}


def test_slugs_as_the_generators_make_them():
    assert hugo_urlize("Pricing Tips: the Basics!") == "pricing-tips-the-basics"
    assert hugo_urlize("Café au lait") == "café-au-lait"
    assert jekyll_slugify("Pricing Tips: the Basics!") == "pricing-tips-the-basics"
    assert jekyll_slugify("Pricing Tips!", pretty=True, cased=True) == "Pricing-Tips!"
    assert jekyll_slugify("a_b  c") == "a-b-c"


def test_a_changed_site_address_reaches_the_index_and_the_results(tmp_path):
    """The read cache keeps what an unchanged file gave; the site's configuration is
    watched with each post, so a new baseURL is searched with the next index."""
    site = aged_site(tmp_path / "site", 'baseURL = "https://old.example/"\n')
    index = tmp_path / "index"
    build_index(site, index)
    hit = search(get_state(index, wait=True), "oxygen").hits[0]
    assert hit["url"] == "https://old.example/posts/cash-flow/"
    (site / "hugo.toml").write_text('baseURL = "https://new.example/"\n')
    build_index(site, index)
    hit = search(get_state(index, wait=True), "oxygen").hits[0]
    assert hit["url"] == "https://new.example/posts/cash-flow/"


def test_a_multilingual_hugo_site_gets_no_addresses_it_cannot_tell(tmp_path):
    """A post "cash.fr.md" is published under /fr/ as "cash": not told here, not guessed."""
    site = write_files(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://blog.example/"\n'
                     "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n",
        "content/posts/cash.fr.md": post("Trésorerie", date="2021-05-04"),
    })  # fmt: skip
    assert urls(site) == {"Trésorerie": None}
