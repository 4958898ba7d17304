// Sinergi page behaviour. No inline scripts anywhere (CSP script-src 'self'): everything the pages
// need at runtime lives here or in map.js.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request carries the session's CSRF token as a header.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrfToken();
  });

  // "Select all" checkbox of the beneficiary list (the table may be swapped in by htmx, so the
  // listener is delegated from the document).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("select-all")) {
      return;
    }
    var table = box.closest("table");
    table.querySelectorAll('input[name="pilih"]').forEach(function (item) {
      item.checked = box.checked;
    });
  });

  // A "Print" button (data-print): the browser's print dialog; the page's print style leaves out
  // the menu and the forms.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      window.print();
    }
  });
})();
