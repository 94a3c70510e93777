// Bulk issuing progress: polls the job's JSON endpoint and updates the
// <progress> bar and its aria-live text; reloads for the report when done.
// Without JavaScript the page refreshes itself (a meta refresh in <noscript>).
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("bulk-progress-bar");
  var text = document.getElementById("bulk-progress-text");
  var url = box.getAttribute("data-progress-url");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data === null) { window.setTimeout(poll, 5000); return; }
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        if (text.textContent !== data.text) { text.textContent = data.text; }
        if (data.done) { window.location.reload(); return; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
