// Draws the mirror chart with the locally served plotly.min.js; the table holds the same numbers.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("mirror-data");
  if (!holder || typeof Plotly === "undefined" || !document.getElementById("mirror-chart")) return;
  const data = JSON.parse(holder.textContent);
  Plotly.newPlot("mirror-chart", [
    { x: data.labels, y: data.customers, name: "Customers say", type: "bar", marker: { color: "#8a3b00" } },
    { x: data.labels, y: data.employees, name: "Employees predict", type: "bar", marker: { color: "#0a58a8" } },
  ], {
    barmode: "group", margin: { t: 20, r: 10, b: 60, l: 50 }, font: { family: "system-ui", color: "#1b1f24" },
    yaxis: { title: "score (5-25)", range: data.scale }, legend: { orientation: "h" },
  }, { displayModeBar: false, responsive: true });
});
