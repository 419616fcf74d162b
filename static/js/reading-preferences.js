/* Reading preferences: remembers the reader's choice of text size, for every page.
   The page works without this script: the stylesheet sizes the text from the checked option
   on the page shown; this only carries the choice over to the next page, and the next visit. */
(function () {
  "use strict";
  var KEY = "reportsite-text-size";
  var SIZES = ["standard", "large", "very-large"];
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null;
    }
  }

  function remember(size) {
    try {
      window.localStorage.setItem(KEY, size);
    } catch (error) {
      /* storage refused: the choice still applies to this page */
    }
  }

  var size = remembered();
  if (SIZES.indexOf(size) === -1) {
    size = null;
  }
  if (size) {
    root.setAttribute("data-text-size", size);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll('input[name="text-size"]');
    Array.prototype.forEach.call(inputs, function (input) {
      if (size && input.value === size) {
        input.checked = true;
      }
      input.addEventListener("change", function () {
        if (input.checked) {
          root.setAttribute("data-text-size", input.value);
          remember(input.value);
        }
      });
    });
  });
})();
