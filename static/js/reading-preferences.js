/* Reading preferences: remembers the reader's choice of text size (Display, in the header) for every page
   and the next visit. The page works without this script: the stylesheet sizes the text from the checked
   option on the page shown (base.css); this only carries the choice over. It runs in the page's head, so
   the remembered size applies before the page is first drawn. */
(function (root) {
  "use strict";
  var KEY = "reportsite-text-size";
  var size = null;
  try {
    size = localStorage.getItem(KEY);
  } catch (error) {
    // storage refused: the choice still applies to the page it is made on
  }
  if (/^(standard|large|very-large)$/.test(size)) {
    root.setAttribute("data-text-size", size);
    document.addEventListener("DOMContentLoaded", function () {
      var input = document.getElementById("text-size-" + size);
      if (input) input.checked = true;
    });
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name === "text-size") {
      root.setAttribute("data-text-size", input.value);
      try {
        localStorage.setItem(KEY, input.value);
      } catch (error) {}
    }
  });
}(document.documentElement));
