// Reformstyr's page behaviour: htmx with CSRF, form errors swapped in, and Plotly charts.
// No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function showFlash(message, kind) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    flash.innerHTML = "";
    var box = document.createElement("div");
    box.className = "notice notice--" + (kind || "error");
    box.setAttribute("role", kind === "ok" ? "status" : "alert");
    box.textContent = message;
    flash.appendChild(box);
  }

  function drawCharts(root) {
    if (!window.Plotly) return;
    (root || document).querySelectorAll("[data-plotly-source]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-plotly-source"));
      if (!source || el.dataset.drawn) return;
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({ responsive: true, displaylogo: false, locale: "da" }, figure.config || {});
      window.Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
        el.dataset.drawn = "true";
        el.dispatchEvent(new CustomEvent("chart:drawn", { bubbles: true }));
      });
    });
  }
  window.reformstyrDrawCharts = drawCharts;

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    if (!window.htmx) return;
    // Form errors (422) and edit conflicts (409) come back as HTML to swap in, like a success.
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(409|422)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
    document.body.addEventListener("htmx:configRequest", function (event) {
      event.detail.headers["X-CSRF-Token"] = csrfToken();
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      var xhr = event.detail.xhr;
      var text = "Ændringen kunne ikke gemmes (" + xhr.status + ").";
      if (xhr.status === 403) text = "Du har ikke adgang til at ændre dette.";
      if (xhr.status === 404) text = "Posten findes ikke længere.";
      showFlash(text, "error");
    });
    // After settling: htmx restores attributes of same-id elements after the swap, which would
    // strip what Plotly adds if we drew on afterSwap.
    document.body.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });
    document.body.addEventListener("flash", function (event) { showFlash(event.detail.value, "ok"); });
  });
})();
