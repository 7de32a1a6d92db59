// tradetalks: the timeline chart of a relationship (plotly, served by this app).
// Data comes from a <script type="application/json"> block, never from inline code.
"use strict";

(function () {
  const COLOURS = {
    negotiation_round: "#1f77b4", meeting: "#2ca02c", agreement: "#d62728", launch: "#9467bd",
    statement: "#8c564b", visit: "#e377c2", reaction: "#7f7f7f",
  };

  function label(type) { return type.replace(/_/g, " "); }

  function traces(points) {
    const byType = new Map();
    for (const p of points) {
      if (!byType.has(p.type)) byType.set(p.type, []);
      byType.get(p.type).push(p);
    }
    const out = [];
    for (const [type, list] of byType) {
      const colour = COLOURS[type] || "#333";
      out.push({
        type: "scatter", mode: "markers", name: label(type),
        x: list.map((p) => p.start), y: list.map((p) => p.mechanism),
        customdata: list.map((p) => p.id),
        text: list.map((p) => `${label(p.type)}${p.status === "planned" ? " (planned)" : ""}` +
          `${p.round ? ", round " + p.round : ""}<br>${p.when}`),
        hovertemplate: "%{text}<br>%{y}<extra>event %{customdata}</extra>",
        marker: {
          size: 11, color: colour, line: { color: colour, width: 2 },
          symbol: list.map((p) => (p.status === "planned" ? "circle-open" : (p.precise ? "circle" : "diamond"))),
        },
      });
      // Events over several days: a bar from the first day to the last.
      const spans = list.filter((p) => p.end && p.end !== p.start);
      if (spans.length) {
        const xs = [], ys = [];
        for (const p of spans) { xs.push(p.start, p.end, null); ys.push(p.mechanism, p.mechanism, null); }
        out.push({ type: "scatter", mode: "lines", x: xs, y: ys, showlegend: false, hoverinfo: "skip",
                   line: { color: colour, width: 6 } });
      }
    }
    return out;
  }

  function draw(el) {
    const source = document.getElementById(el.dataset.chart);
    if (!source || typeof Plotly === "undefined") return;
    const data = JSON.parse(source.textContent);
    const rows = new Set(data.points.map((p) => p.mechanism)).size;
    const layout = {
      height: Math.max(260, 90 + rows * 46), margin: { l: 10, r: 10, t: 10, b: 40 },
      xaxis: { type: "date", automargin: true },
      yaxis: { type: "category", automargin: true, tickfont: { size: 11 } },
      legend: { orientation: "h", y: -0.15 }, hovermode: "closest",
    };
    Plotly.newPlot(el, traces(data.points), layout, { displaylogo: false, responsive: true })
      .then(() => { el.dataset.ready = "1"; });
    el.on("plotly_click", (ev) => {
      const id = ev.points && ev.points[0] && ev.points[0].customdata;
      if (Number.isInteger(id)) window.location.href = "/events/" + id;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
