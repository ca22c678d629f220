"""For other sites: the embeddable search box (`/widget.js`, a web component) and the
`/embed` page that shows it working and the two lines to copy.

Takes HTTP GET requests; gives the script (from web/static/widget.js, with caching
headers) and an HTML page. The widget itself calls the public API across origins.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

from web.feeds import site_root

bp = Blueprint("embed", __name__)


@bp.get("/widget.js")
def widget():
    response = send_from_directory(current_app.static_folder, "widget.js",
                                   mimetype="text/javascript", max_age=3600)  # fmt: skip
    # Any site may load it; the API it calls has its own CORS rules.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@bp.get("/embed")
def embed_page():
    return render_template("embed.html", root=site_root())
