/* Escape hides what is shown while a link is hovered or focused (an abbreviation's expansion, "Link to
   paragraph 12" by a paragraph's number), and leaves focus where it is (WCAG 1.4.13); the pointer or
   focus coming back onto the link shows it again. */
(function () {
  "use strict";
  var DISMISSED = "rs-dismissed";

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll(":is(.rs-abbr, .rs-paragraph__number):is(:hover, :focus)").forEach(function (link) {
        link.classList.add(DISMISSED);
      });
    }
  });

  function showAgain(event) {
    var link = event.target.closest && event.target.closest("." + DISMISSED);
    if (link && !link.contains(event.relatedTarget)) {
      link.classList.remove(DISMISSED);
    }
  }

  document.addEventListener("mouseover", showAgain);
  document.addEventListener("focusin", showAgain);
}());
