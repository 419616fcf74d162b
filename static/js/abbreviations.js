/* Abbreviations: Escape hides the expansion laid over the page beside an abbreviation link that is
   hovered or focused, and leaves focus where it is (WCAG 1.4.13). The expansion shows again when
   the pointer or focus next comes onto the link. Without this script the expansion still shows on
   hover and focus, and goes when they leave. */
(function () {
  "use strict";
  var DISMISSED = "rs-abbr--dismissed";

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    var shown = document.querySelectorAll(".rs-abbr[data-rs-expansion]:hover, .rs-abbr[data-rs-expansion]:focus");
    Array.prototype.forEach.call(shown, function (link) {
      link.classList.add(DISMISSED);
    });
  });

  /* The pointer coming onto the link, or focus coming to it, shows the expansion again. */
  function showAgain(event) {
    var link = event.target.closest ? event.target.closest("." + DISMISSED) : null;
    if (link && !link.contains(event.relatedTarget)) {
      link.classList.remove(DISMISSED);
    }
  }

  document.addEventListener("mouseover", showAgain);
  document.addEventListener("focusin", showAgain);
}());
