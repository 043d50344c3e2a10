// The chooser URLs wagtail-localize's editor needs (moved out of an inline script for the CSP).
(function () {
  var data = document.currentScript.dataset;
  if (typeof window.chooserUrls === "undefined") {
    window.chooserUrls = {
      imageChooser: data.imageChooser,
      documentChooser: data.documentChooser,
      pageChooser: data.pageChooser,
    };
  }
})();
