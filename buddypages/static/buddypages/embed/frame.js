/* Inside a widget's frame: tell the page around it how tall the widget is, whenever that
   changes, so its iframe shows it whole. Only the height is sent. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var target = document.body.getAttribute("data-embed-origin") || "*";
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "buddypages:height", height: height }, target);
  }
  send();
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  else setInterval(send, 500);
})();
