(function (root, key) {
  var size = null;
  try {
    size = localStorage.getItem(key);
  } catch (error) {} // storage refused
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
        localStorage.setItem(key, input.value);
      } catch (error) {}
    }
  });
})(document.documentElement, "reportsite-text-size");
