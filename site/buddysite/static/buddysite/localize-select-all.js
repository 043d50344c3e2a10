// wagtail-localize's "select all languages" box (moved out of an inline script for the CSP).
document.addEventListener("DOMContentLoaded", function () {
  var selectAll = document.querySelector('[name="select_all"]');
  var locales = document.querySelectorAll('[name="locales"]');
  if (!selectAll) return;
  selectAll.addEventListener("change", function () {
    for (var i = 0; i < locales.length; i++) {
      locales[i].checked = selectAll.checked;
    }
  });
});
