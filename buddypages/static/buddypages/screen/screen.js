/* The waiting-room screen: turns the slides and fetches new ones every few minutes.
 *
 * Plain ES5 with no library, for the browsers of cheap TVs and media sticks. It never leaves
 * the page on its own: a fetch that fails (no network, a server error, a captive portal's
 * page) keeps the slides on screen, and the page is only loaded again right after a fetch
 * that worked (when the screen's script or style changed, or once a day). */
(function () {
  "use strict";

  var screen = document.getElementById("bp-screen");
  if (!screen || !document.querySelector) {
    return;
  }
  var slidesUrl = screen.getAttribute("data-slides-url");
  var version = screen.getAttribute("data-version");
  var refreshMs = 1000 * (parseInt(screen.getAttribute("data-refresh-seconds"), 10) || 300);
  var startedAt = new Date().getTime();
  var DAY_MS = 24 * 60 * 60 * 1000;
  var FETCH_TIMEOUT_MS = 30000;
  var current = 0;
  var lastHtml = null;
  var turnTimer = null;

  function hasClass(element, name) {
    return (" " + element.className + " ").indexOf(" " + name + " ") !== -1;
  }

  function setClass(element, name, on) {
    var has = hasClass(element, name);
    if (on && !has) {
      element.className += " " + name;
    } else if (!on && has) {
      element.className = (" " + element.className + " ").replace(" " + name + " ", " ")
        .replace(/^\s+|\s+$/g, "");
    }
  }

  function deck() {
    return screen.querySelector(".bp-deck");
  }

  function slides() {
    var found = deck();
    return found ? found.querySelectorAll(".bp-slide") : [];
  }

  /* Dates that are over leave the list; an empty list says there is nothing planned. */
  function dropPastActivities() {
    var now = new Date().getTime() / 1000;
    var lists = screen.querySelectorAll(".bp-slide--activities");
    for (var i = 0; i < lists.length; i++) {
      var items = lists[i].querySelectorAll(".bp-activity");
      var left = 0;
      for (var j = 0; j < items.length; j++) {
        var end = parseInt(items[j].getAttribute("data-end"), 10);
        if (end && end < now) {
          setClass(items[j], "is-past", true);
        } else {
          left++;
        }
      }
      var empty = lists[i].querySelector(".bp-slide__empty");
      if (empty && left === 0) {
        empty.removeAttribute("hidden");
      }
    }
  }

  /* Dates that do not fit on this screen wait for the next turn instead of being cut off. */
  function fit(slide) {
    var main = slide.querySelector(".bp-slide__main");
    var items = slide.querySelectorAll(".bp-activity");
    if (!main || !main.getBoundingClientRect) {
      return;
    }
    for (var i = 0; i < items.length; i++) {
      setClass(items[i], "is-overflow", false);
    }
    var bottom = main.getBoundingClientRect().bottom + 1;
    var full = false;
    var shown = 0;
    for (var j = 0; j < items.length; j++) {
      if (!hasClass(items[j], "is-past")) {
        // The first date always stays, even on a screen too small for it.
        full = full || (shown > 0 && items[j].getBoundingClientRect().bottom > bottom);
        setClass(items[j], "is-overflow", full);
        shown++;
      }
    }
  }

  function show(index) {
    var all = slides();
    if (!all.length) {
      return;
    }
    current = index % all.length;
    for (var i = 0; i < all.length; i++) {
      setClass(all[i], "is-active", i === current);
    }
    fit(all[current]);
    var lang = all[current].getAttribute("data-lang");
    if (lang) {
      screen.setAttribute("data-showing", lang);
    }
  }

  function slideMs() {
    var found = deck();
    var seconds = found ? parseInt(found.getAttribute("data-slide-seconds"), 10) : 0;
    return 1000 * (seconds > 0 ? seconds : 10);
  }

  function turn() {
    dropPastActivities();
    show(current + 1);
    turnTimer = setTimeout(turn, slideMs());
  }

  function replaceDeck(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector(".bp-deck");
    if (!fresh || !fresh.querySelector(".bp-slide")) {
      return false;  // not our slides (a proxy's or a portal's page): keep what is shown
    }
    if (fresh.getAttribute("data-version") !== version ||
        new Date().getTime() - startedAt > DAY_MS) {
      window.location.reload();
      return true;
    }
    if (html !== lastHtml) {
      var old = deck();
      old.parentNode.replaceChild(fresh, old);
      lastHtml = html;
      dropPastActivities();
      show(current);
    }
    return true;
  }

  function refreshed(ok) {
    screen.setAttribute("data-refresh", ok ? "ok" : "failed");
    setTimeout(refresh, refreshMs);
  }

  function refresh() {
    var request = new XMLHttpRequest();
    var done = false;
    function finish(ok) {
      if (!done) {
        done = true;
        refreshed(ok);
      }
    }
    try {
      request.open("GET", slidesUrl, true);
      request.timeout = FETCH_TIMEOUT_MS;
      request.onreadystatechange = function () {
        if (request.readyState === 4) {
          finish(request.status === 200 && replaceDeck(request.responseText));
        }
      };
      request.ontimeout = function () { finish(false); };
      request.onerror = function () { finish(false); };
      request.send();
    } catch (error) {
      finish(false);
    }
  }

  document.documentElement.className += " bp-screen-js";
  dropPastActivities();
  show(0);
  turnTimer = setTimeout(turn, slideMs());
  if (slidesUrl) {
    setTimeout(refresh, refreshMs);
  }
}());
