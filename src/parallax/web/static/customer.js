// The customer's sentiment trajectory, drawn with the locally served plotly.min.js.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("sentiment-data");
  if (!holder || typeof Plotly === "undefined") return;
  const data = JSON.parse(holder.textContent);
  if (!data.x.length) return;
  Plotly.newPlot("sentiment-chart", [{ x: data.x, y: data.y, mode: "lines+markers", line: { color: "#8a3b00" } }],
    { margin: { t: 10, r: 10, b: 40, l: 40 }, yaxis: { range: [-1, 1], title: "sentiment" } },
    { displayModeBar: false, responsive: true });
});
