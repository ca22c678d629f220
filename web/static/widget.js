// <rocksearch-search>: a search box other sites embed with one script tag and one element.
//
//   <script src="https://search.example/widget.js" defer></script>
//   <rocksearch-search placeholder="Search the blog"></rocksearch-search>
//
// It calls this server's /api/search and /api/suggest across origins (CORS), draws in a
// shadow root, styles itself through a constructed stylesheet (nothing inline, so it
// works under a strict Content-Security-Policy on the host page), is themed with CSS
// custom properties (--rocksearch-accent, --rocksearch-on-accent, --rocksearch-font,
// --rocksearch-text, --rocksearch-muted, --rocksearch-mark, --rocksearch-background: a
// dark page sets them, as this server's /embed page does), and puts article text
// into the page as text only: snippets are read with DOMParser and only their text and
// <mark> elements are copied. No framework.
(function () {
  "use strict";
  var script = document.currentScript;
  var ORIGIN = script && script.src ? new URL(script.src).origin : window.location.origin;

  // Unthemed, the box takes the host page's text colour, its muted text is that colour
  // faded, and a marked word's yellow is see-through: readable on a light page and on a
  // dark one alike (a fixed dark grey had been unreadable on a dark page).
  var MUTED = "color-mix(in srgb, currentColor 72%, transparent)";
  var CSS = [
    ":host { display: block; font-family: var(--rocksearch-font, system-ui, sans-serif);",
    "  color: var(--rocksearch-text, inherit); background: var(--rocksearch-background, transparent); }",
    "form { display: flex; gap: .5rem; flex-wrap: wrap; }",
    "label { flex-basis: 100%; font-size: .9rem; color: var(--rocksearch-muted, " + MUTED + "); }",
    "input { flex: 1 1 12rem; font: inherit; padding: .45rem .6rem; border: 1px solid #8a8a92; border-radius: 6px; }",
    "button { font: inherit; padding: .45rem .9rem; border: 0; border-radius: 6px; cursor: pointer;",
    "  background: var(--rocksearch-accent, #0b57d0); color: var(--rocksearch-on-accent, #fff); }",
    "input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid #f29900; outline-offset: 2px; }",
    "ol { list-style: none; padding: 0; margin: .75rem 0 0; }",
    "li { margin: 0 0 1rem; }",
    "a { color: var(--rocksearch-accent, #0b57d0); font-weight: 600; }",
    ".meta, .status { color: var(--rocksearch-muted, " + MUTED + "); font-size: .85rem; margin: .2rem 0; }",
    ".maxim { font-style: italic; margin: .2rem 0; }",
    ".snippet { margin: .2rem 0; }",
    "mark { background: var(--rocksearch-mark, rgb(255 212 0 / 35%)); color: inherit; }"
  ].join("\n");

  var counter = 0;
  var WAIT_MS = 10000;  // how long an answer is waited for

  // The snippet's text and <mark>s, rebuilt as nodes: any other markup stays text.
  function markedText(html) {
    var fragment = document.createDocumentFragment();
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    doc.body.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  class RocksearchSearch extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) { return; }
      var root = this.attachShadow({ mode: "open" });
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
      var id = "rocksearch-" + (++counter);
      var form = element("form");
      form.setAttribute("role", "search");
      var label = element("label", "", this.getAttribute("label") || "Search the articles");
      label.htmlFor = id + "-q";
      var input = element("input");
      input.type = "search";
      input.id = id + "-q";
      input.name = "q";
      input.placeholder = this.getAttribute("placeholder") || "";
      input.autocomplete = "off";
      input.setAttribute("list", id + "-suggestions");
      var suggestions = element("datalist");
      suggestions.id = id + "-suggestions";
      var button = element("button", "", "Search");
      button.type = "submit";
      form.append(label, input, suggestions, button);
      this.status = element("p", "status");
      this.status.setAttribute("role", "status");
      this.results = element("ol");
      root.append(form, this.status, this.results);
      this.endpoint = (this.getAttribute("endpoint") || ORIGIN).replace(/\/$/, "");
      var self = this;
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        self.search(input.value.trim());
      });
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { self.suggest(input.value.trim(), suggestions); }, 150);
      });
    }

    // One request of each kind at a time: a new one cancels the last, and an answer
    // that comes late (a slow network, a busy server) never replaces a later one's; it
    // resolves to null. One the server has not answered in WAIT_MS is given up (the
    // promise rejects), so the box never says "Searching…" for ever.
    api(kind, path, params) {
      var url = new URL(this.endpoint + path);
      Object.keys(params).forEach(function (k) { url.searchParams.set(k, params[k]); });
      var pending = this.pending = this.pending || {};
      if (pending[kind]) { pending[kind].abort(); }
      var controller = pending[kind] = new AbortController();
      var timer = setTimeout(function () { controller.abort(); }, WAIT_MS);
      function settled() {
        clearTimeout(timer);
        var current = pending[kind] === controller;
        if (current) { delete pending[kind]; }
        return current;
      }
      return fetch(url.toString(), { mode: "cors", credentials: "omit", signal: controller.signal })
        .then(function (r) { return r.json(); })
        .then(function (data) { return settled() ? data : null; },
              function (error) { if (settled()) { throw error; } return null; });
    }

    suggest(typed, list) {
      if (typed.length < 2) { return; }
      this.api("suggest", "/api/suggest", { q: typed }).then(function (data) {
        if (!data) { return; }
        list.textContent = "";
        (data.suggestions || []).forEach(function (s) {
          var option = document.createElement("option");
          option.value = s.text;  // text, never HTML
          list.appendChild(option);
        });
      }).catch(function () { /* suggestions are optional */ });
    }

    search(query) {
      if (!query) { return; }
      var self = this;
      var perPage = this.getAttribute("per-page") || "5";
      this.status.textContent = "Searching…";
      this.api("search", "/api/search", { q: query, per_page: perPage }).then(function (data) {
        if (data) { self.show(data); }
      }).catch(function () {
        self.status.textContent = "The search could not be reached; try again later.";
      });
    }

    show(data) {
      var self = this;
      this.results.textContent = "";
      if (!data.ok) {
        this.status.textContent = data.error || "The search failed.";
        return;
      }
      var total = data.total || 0;
      this.status.textContent = total ? total + (total === 1 ? " result" : " results") +
        (data.did_you_mean ? " for " + data.did_you_mean : "") : "No results";
      (data.hits || []).forEach(function (hit) {
        var item = element("li");
        var link = element("a", "", hit.title);
        link.href = new URL(hit.page_url, self.endpoint + "/").toString();
        var title = element("div");
        title.appendChild(link);
        item.appendChild(title);
        var meta = [hit.date, (hit.categories || []).join(", ")].filter(Boolean).join(" · ");
        if (meta) { item.appendChild(element("p", "meta", meta)); }
        if (hit.maxim) { item.appendChild(element("p", "maxim", "Write this on a rock … " + hit.maxim)); }
        var snippet = element("p", "snippet");
        snippet.appendChild(markedText(hit.snippet || ""));
        item.appendChild(snippet);
        self.results.appendChild(item);
      });
    }
  }

  if (!customElements.get("rocksearch-search")) {
    customElements.define("rocksearch-search", RocksearchSearch);
  }
})();
