/* The buddy programme's widgets on another site. Each snippet is a plain link, which stays
   when JavaScript is off:
     <a href="(the page)" data-buddy-widget="(the widget's frame)">Sign up</a>
     <script src="https://(this site)/embed.js" async></script>
   This script puts the frame in the link's place and sizes it to its content. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL || !window.postMessage) return;
  var home = new URL(script.src).origin;
  var frames = [];

  function mount(link) {
    var src;
    try {
      src = new URL(link.getAttribute("data-buddy-widget"), home);
    } catch (e) {
      return;
    }
    // Only this site's frames, and each link once (the script may be on the page twice).
    if (src.origin !== home || link.getAttribute("data-buddy-mounted")) return;
    link.setAttribute("data-buddy-mounted", "1");
    src.searchParams.set("origin", location.origin);
    var frame = document.createElement("iframe");
    frame.src = src.href;
    frame.title = link.getAttribute("data-buddy-title") || link.textContent;
    frame.setAttribute("loading", "lazy");
    frame.style.cssText = "display:block;width:100%;min-width:0;border:0;height:" +
      (parseInt(link.getAttribute("data-buddy-height"), 10) || 480) + "px";
    link.parentNode.insertBefore(frame, link);
    link.hidden = true;
    frames.push(frame);
  }

  function scan() {
    var links = document.querySelectorAll("a[data-buddy-widget]");
    for (var i = 0; i < links.length; i++) mount(links[i]);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== home || !data || data.type !== "buddypages:height") return;
    var height = Math.min(Math.max(parseInt(data.height, 10) || 0, 60), 20000);
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) frames[i].style.height = height + "px";
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
