// The Gantt page's export of the current view: PNG and SVG buttons beside the server's PDF links,
// added here because they need Plotly in the browser (without JavaScript only the PDF is offered).
// No inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  var FORMATS = [
    { format: "png", text: "PNG", scale: 2 },
    { format: "svg", text: "SVG", scale: 1 },
  ];

  function addButtons(chart) {
    var box = document.querySelector('[data-gantt-export="' + chart.id + '"]');
    if (!box || box.querySelector("button")) return;
    FORMATS.forEach(function (f) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rp-export__link link-button";
      button.textContent = f.text + ", denne visning";
      button.addEventListener("click", function () {
        window.Plotly.downloadImage(chart, {
          format: f.format,
          filename: box.getAttribute("data-filename") || "gantt",
          width: chart.offsetWidth,
          height: chart.offsetHeight,
          scale: f.scale,
        });
      });
      box.appendChild(button);
    });
  }

  // A zoom button swaps the chart in through htmx: the filter form's »Fra« and »Til« then say the
  // window shown, so sending the form keeps it.
  document.addEventListener("htmx:afterSettle", function () {
    var result = document.getElementById("gantt-result");
    if (!result) return;
    ["start", "end"].forEach(function (name) {
      var input = document.getElementById("f-" + name);
      if (input) input.value = result.getAttribute("data-" + name) || "";
    });
  });

  document.addEventListener("chart:drawn", function (event) {
    if (window.Plotly && event.target.closest && event.target.closest("#gantt-result")) {
      addButtons(event.target);
    }
  });
})();
