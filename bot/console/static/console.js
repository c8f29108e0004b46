// Keeps the today page current without a reload; the page works without it.
(function () {
  "use strict";
  var box = document.getElementById("today");
  if (!box || !window.fetch) { return; }
  var every = 30000;
  function refresh() {
    if (document.hidden || box.contains(document.activeElement)) { return; }
    fetch(box.getAttribute("data-refresh"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected || !response.ok) { return null; }
        return response.text();
      })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  window.setInterval(refresh, every);
})();
