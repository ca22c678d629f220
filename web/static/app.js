// Progressive enhancement only: the page works the same without this file.
// Suggests categories, tags, titles and maxims (or searches finishing the word being typed)
// while the reader types, from /api/suggest,
// as an ARIA 1.2 combobox: ArrowDown/ArrowUp move through the suggestions, Enter opens the
// one chosen (an article, or every post filed under a category or tag) or searches what
// was typed, Escape closes the list. Suggestions are text, never HTML.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var last = "";
  var items = [];
  var active = -1;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(index) {
    items.forEach(function (item, i) { item.el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].el.id); }
    else { input.removeAttribute("aria-activedescendant"); }
  }

  function open(item) {
    if (item.kind === "category" || item.kind === "tag") {
      window.location.href = "/search?" + item.kind + "=" + encodeURIComponent(item.value);
      return;
    }
    if (item.kind === "query") {  // a search finishing the word being typed
      window.location.href = "/search?q=" + encodeURIComponent(item.text);
      return;
    }
    window.location.href = "/articles/" + encodeURIComponent(item.id) +
      "?q=" + encodeURIComponent(input.value.trim());
  }

  var KINDS = { maxim: " · maxim", category: " · category", tag: " · tag", query: " · search" };

  function show(suggestions) {
    list.textContent = "";
    items = suggestions.map(function (s, i) {
      var el = document.createElement("li");
      el.id = "suggestion-" + i;
      el.setAttribute("role", "option");
      el.setAttribute("aria-selected", "false");
      el.textContent = s.text;  // text, never HTML
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = (KINDS[s.kind] || "") +
        (s.count ? " (" + s.count + (s.count === 1 ? " post)" : " posts)") : "");
      el.appendChild(kind);
      el.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep the focus in the box
        open(s);
      });
      list.appendChild(el);
      return { el: el, id: s.id, kind: s.kind, value: s.value, text: s.text };
    });
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      choose(-1);
    } else {
      close();
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var typed = input.value.trim();
      if (typed.length < 2) { close(); return; }
      if (typed === last) { return; }
      last = typed;
      fetch("/api/suggest?q=" + encodeURIComponent(typed))
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === typed) { show(data.suggestions || []); } })
        .catch(function () { /* suggestions are optional */ });
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (list.hidden || !items.length) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      choose((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      choose(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      open(items[active]);
    }
  });

  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
