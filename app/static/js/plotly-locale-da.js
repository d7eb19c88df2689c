// Plotly in Danish: every text the Gantt's toolbar, zoom and legend can show, and Danish dates and
// numbers. Our own file (plotly.js-locales' "da" has dates but no texts), served locally; loaded
// after plotly.min.js, it registers the "da" locale that app.js asks for.
(function () {
  "use strict";
  if (!window.Plotly) return;
  window.Plotly.register({
    moduleType: "locale",
    name: "da",
    dictionary: {
      "Autoscale": "Tilpas automatisk",
      "Box Select": "Vælg med rektangel",
      "Compare data on hover": "Sammenlign data ved pegning",
      "Double-click on legend to isolate one trace": "Dobbeltklik i forklaringen for kun at vise én serie",
      "Double-click to zoom back out": "Dobbeltklik for at zoome ud igen",
      "Download plot as a PNG": "Hent diagrammet som PNG",
      "Download plot": "Hent diagrammet",
      "Lasso Select": "Vælg med lasso",
      "Pan": "Panorér",
      "Produced with Plotly.js": "Lavet med Plotly.js",
      "Reset": "Nulstil",
      "Reset axes": "Nulstil akserne",
      "Reset view": "Nulstil visningen",
      "Reset views": "Nulstil visningerne",
      "Show closest data on hover": "Vis nærmeste data ved pegning",
      "Snapshot succeeded": "Billedet er gemt",
      "Sorry, there was a problem downloading your snapshot!": "Billedet kunne ikke hentes.",
      "Taking snapshot - this may take a few seconds": "Gemmer billedet – det kan tage et par sekunder",
      "Toggle Spike Lines": "Slå hjælpelinjer til/fra",
      "Toggle show closest data on hover": "Slå visning af nærmeste data til/fra",
      "Zoom": "Zoom",
      "Zoom in": "Zoom ind",
      "Zoom out": "Zoom ud",
      "trace": "serie"
    },
    format: {
      days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
      shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
      months: [
        "januar", "februar", "marts", "april", "maj", "juni",
        "juli", "august", "september", "oktober", "november", "december"
      ],
      shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
      date: "%d.%m.%Y",
      decimal: ",",
      thousands: "."
    }
  });
})();
