// Runs what Wagtail's widgets and panels would run from inline scripts, which the
// Content-Security-Policy blocks: each leaves a hidden element with its data instead.
(function () {
  "use strict";
  const choosers = new Set(["Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser"]);
  const starters = {
    chooser: (el, options) => {
      const name = el.dataset.buddyConstructor;
      if (choosers.has(name)) new window[name](el.dataset.buddyId, options);
    },
    InlinePanel: (el, options) => new window.InlinePanel(options),
    MultipleChooserPanel: (el, options) => new window.MultipleChooserPanel(options),
    initDateChooser: (el, options) => window.initDateChooser(el.dataset.buddyId, options),
    initTimeChooser: (el, options) => window.initTimeChooser(el.dataset.buddyId, options),
    initDateTimeChooser: (el, options) => window.initDateTimeChooser(el.dataset.buddyId, options),
  };

  function start(el) {
    if (el.dataset.buddyStarted) return;
    el.dataset.buddyStarted = "1";
    const starter = starters[el.dataset.buddyInit];
    if (!starter) return;
    try {
      starter(el, JSON.parse(el.dataset.buddyOptions || "{}"));
    } catch (error) {
      console.warn("Could not start", el.dataset.buddyInit, error);
    }
  }

  function scan(root) {
    if (root.dataset && root.dataset.buddyInit) start(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-buddy-init]").forEach(start);
  }

  function run() {
    scan(document);
    // Panels add forms (and their date pickers) later: start those as they appear.
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        mutation.addedNodes.forEach((node) => node.nodeType === 1 && scan(node));
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
