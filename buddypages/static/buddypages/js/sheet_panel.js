// The programme page's "Posters and flyers" panel: write the ticked languages into the links.
(function () {
  "use strict";

  function setUp(panel) {
    var boxes = Array.prototype.slice.call(panel.querySelectorAll("[data-bp-sheet-language]"));
    var links = Array.prototype.slice.call(panel.querySelectorAll("[data-bp-sheet]"));
    var message = panel.querySelector("[data-bp-sheet-message]");
    var max = Number(panel.getAttribute("data-max")) || 4;

    function update() {
      var codes = boxes.filter(function (box) { return box.checked; }).map(function (box) {
        return box.value;
      });
      var fine = codes.length > 0 && codes.length <= max;
      links.forEach(function (link) {
        link.href = link.getAttribute("data-bp-sheet") + "?langs=" + codes.join(",");
        if (fine) {
          link.removeAttribute("aria-disabled");
        } else {
          link.setAttribute("aria-disabled", "true");
        }
      });
      if (message) {
        message.hidden = fine;
        message.textContent = fine ? "" : message.getAttribute(codes.length ? "data-too-many" : "data-none");
      }
    }

    panel.addEventListener("change", update);
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (link.getAttribute("aria-disabled")) {
          event.preventDefault();
        }
      });
    });
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-bp-sheets]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
