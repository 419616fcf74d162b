/* Search: finds paragraphs in the index made when the site was built (Pagefind, loaded from this
   site's own pagefind/ folder), and goes straight to a paragraph when its number is typed.
   Without this script the search page says that search needs JavaScript and links to the one-page
   edition, where the browser's own find works. */
(function () {
  "use strict";
  var BATCH = 20; /* results shown at a time */
  var NUMBER = /^\s*(?:(?:paragraphs?|paras?|p)\s*\.?\s*|¶\s*)?(\d+(?:\.\d+)?)\s*\.?\s*$/i;

  var root = document.getElementById("search");
  if (!root) {
    return;
  }
  var form = root.querySelector("form");
  var input = form.querySelector('input[name="q"]');
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var unavailable = document.getElementById("search-unavailable");
  /* [label, URL] of each paragraph, in the report's order: "1" to "120", or "1.1" to "5.12" */
  var pairs = JSON.parse(root.getAttribute("data-paragraph-urls"));
  var urls = {};
  var labels = pairs.map(function (pair) { urls[pair[0]] = pair[1]; return pair[0]; });
  var pageTitle = document.title;
  var index = null; /* a promise of the Pagefind module, loaded on the first search */
  var latest = 0; /* the search whose results may be shown; older ones are dropped */
  var found = []; /* the results of the latest search, shown BATCH at a time */

  /* The label of the paragraph a query names ("45", "para 45", "paragraph 45", "¶45", "2.14"), or null. */
  function paragraphNumber(query) {
    var match = NUMBER.exec(query);
    return match ? match[1].split(".").map(function (part) { return String(Number(part)); }).join(".") : null;
  }

  function loadIndex() {
    if (!index) {
      index = import(new URL("pagefind/pagefind.js", document.baseURI).href).then(function (pagefind) {
        return Promise.resolve(pagefind.options({ excerptLength: 30 })).then(function () {
          return pagefind;
        });
      });
    }
    return index;
  }

  function say(text) {
    status.textContent = text;
  }

  function clearResults() {
    found = [];
    list.textContent = "";
    list.hidden = true;
    more.hidden = true;
  }

  function quoted(query) {
    return "\u201c" + query + "\u201d";
  }

  /* Pagefind's excerpt marks each word found with <mark>; only those marks are kept as markup. */
  function excerptNodes(excerpt) {
    var fragment = document.createDocumentFragment();
    var template = document.createElement("template");
    template.innerHTML = excerpt;
    Array.prototype.forEach.call(template.content.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    item.className = "rs-search-result";
    var heading = document.createElement("h2");
    heading.className = "rs-search-result__title";
    var link = document.createElement("a");
    link.href = data.raw_url || data.url;
    link.textContent = meta.title || data.raw_url || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (meta.part && meta.part !== meta.title) {
      var part = document.createElement("p");
      part.className = "rs-search-result__part";
      part.textContent = "In " + meta.part;
      item.appendChild(part);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "rs-search-result__excerpt";
    excerpt.appendChild(excerptNodes(data.excerpt || ""));
    item.appendChild(excerpt);
    return item;
  }

  /* Show the next batch of results; `focusFirst` moves focus to the first of them (after "Show more"). */
  function showBatch(search, focusFirst) {
    var start = list.children.length;
    var batch = found.slice(start, start + BATCH);
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (data) {
      if (search !== latest) {
        return;
      }
      data.forEach(function (one) {
        list.appendChild(resultItem(one));
      });
      list.hidden = list.children.length === 0;
      var remaining = found.length - list.children.length;
      more.hidden = remaining <= 0;
      var next = Math.min(BATCH, remaining);
      more.textContent = "Show " + next + (next === 1 ? " more result" : " more results");
      if (focusFirst && list.children[start]) {
        list.children[start].querySelector("a").focus();
      }
    });
  }

  /* `before`: a sentence to say first (that the number typed is not a paragraph's). */
  function announce(query, before) {
    var count = found.length;
    if (count === 0) {
      say(before + "No results for " + quoted(query) + ". Try other words, or fewer of them.");
    } else {
      say(before + count + (count === 1 ? " result" : " results") + " for " + quoted(query) + "." +
          (count > BATCH ? " The " + BATCH + " closest matches are shown first." : ""));
    }
  }

  function showUnavailable() {
    clearResults();
    document.getElementById("search-unavailable-reason").textContent =
      "Search could not be loaded here, though you can still type a paragraph number to go to it.";
    unavailable.hidden = false;
    say("Search could not be loaded.");
  }

  /* Search for `query`, or go to the paragraph it names. `arriving`: the query came with the page
     (from a search field on another page), so going to a paragraph replaces this page in the history. */
  function run(query, arriving) {
    query = query.trim();
    var search = ++latest;
    document.title = query ? quoted(query) + " \u2013 " + pageTitle : pageTitle;
    if (!query) {
      clearResults();
      say("Type words to find, or a paragraph number.");
      return;
    }
    var number = paragraphNumber(query);
    var before = "";
    if (number !== null) {
      if (Object.prototype.hasOwnProperty.call(urls, number)) {
        window.location[arriving ? "replace" : "assign"](urls[number]);
        return;
      }
      before = "There is no paragraph " + number + ": the report\u2019s paragraphs are numbered " +
        labels[0] + " to " + labels[labels.length - 1] + ".";
      if (!/^\s*\d+\s*$/.test(query)) {  /* "paragraph 500": not words to look for */
        clearResults();
        say(before);
        return;
      }
      before += " "; /* a number alone may be a figure in the text, such as a year */
    }
    say(""); /* so that the same words searched again are announced again */
    list.setAttribute("aria-busy", "true");
    loadIndex().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (response) {
      if (search !== latest) {
        return null;
      }
      clearResults();
      found = (response && response.results) || [];
      return showBatch(search, false).then(function () {
        announce(query, before);
      });
    }).catch(function () {
      if (search === latest) {
        showUnavailable();
      }
    }).then(function () {
      list.removeAttribute("aria-busy");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    var address = new URL(window.location.href);
    address.searchParams.set("q", query.trim());
    window.history.replaceState(null, "", address.href);
    run(query, false);
  });

  more.addEventListener("click", function () {
    showBatch(latest, true);
  });

  unavailable.hidden = true;
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  if (query.trim()) {
    run(query, true);
  }
})();
