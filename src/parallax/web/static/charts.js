// Draws the executive charts with the locally served plotly.min.js; the tables hold the same numbers.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("exec-data");
  if (!holder || typeof Plotly === "undefined") return;
  const data = JSON.parse(holder.textContent);
  const layout = { margin: { t: 20, r: 10, b: 40, l: 50 }, font: { family: "system-ui", color: "#1b1f24" } };
  const config = { displayModeBar: false, responsive: true };
  Plotly.newPlot("trend-chart", [
    { x: data.weeks, y: data.inside, name: "Inside: favourable surveys %", mode: "lines+markers", line: { color: "#0a58a8" } },
    { x: data.weeks, y: data.outside, name: "Outside: positive organic %", mode: "lines+markers", line: { color: "#8a3b00" } },
  ], { ...layout, yaxis: { title: "%", rangemode: "tozero" }, legend: { orientation: "h" } }, config);
  if (data.heat_rows && data.heat_rows.length) {
    Plotly.newPlot("heatmap-chart", [{
      z: data.heat, x: data.weeks, y: data.heat_rows, type: "heatmap", zmid: 0,
      colorscale: [[0, "#1a6b35"], [0.5, "#f4f6f8"], [1, "#a3001b"]], colorbar: { title: "gap" },
      hovertemplate: "%{y}, week of %{x}: gap %{z:.1f} pts<extra></extra>",
    }], { ...layout, margin: { ...layout.margin, l: 110 } }, config);
    // Clicking a cell opens the interactions behind it, like the table links.
    document.getElementById("heatmap-chart").on("plotly_click", (event) => {
      const point = event.points[0];
      const start = new Date(point.x + "T00:00:00Z");
      const end = new Date(start.getTime() + 7 * 86400000);
      const q = new URLSearchParams({ side: "outside", tone: "negative", key: data.heat_key, value: point.y,
        start: start.toISOString().slice(0, 19), end: end.toISOString().slice(0, 19) });
      window.location.href = "/drill?" + q.toString();
    });
  }
});
