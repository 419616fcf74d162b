/* A button under each paragraph's number copies the link to the paragraph (the number is the link
   itself, and works without this script); a polite status message says what happened. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  var status = document.createElement("p");
  status.className = "rs-visually-hidden";
  status.setAttribute("role", "status");
  document.body.append(status);

  document.querySelectorAll(".rs-paragraph__number").forEach(function (link) {
    /* the number's name, "Link to paragraph 12", and the button's: "Copy link to paragraph 12" */
    var name = link.getAttribute("aria-label");
    var button = document.createElement("button");
    var rest = document.createElement("span");
    button.type = "button";
    button.className = "rs-paragraph__copy";
    rest.className = "rs-visually-hidden";
    rest.textContent = " l" + name.slice(1);
    button.append("Copy", rest);
    button.onclick = function () {
      navigator.clipboard.writeText(link.href).then(function () {
        button.firstChild.data = "Copied";
        return name + " copied";
      }, function () {
        return "Not copied: the browser did not allow it.";
      }).then(function (message) {
        status.textContent = "";
        setTimeout(function () {
          status.textContent = message;
        }, 100);
      });
    };
    link.after(button);
  });
});
