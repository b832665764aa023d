// The patient page (/app/patients/{patientId}): every followed analyte against days since infusion, drawn with Chart.js
// as small multiples on one day axis, like a treatment-history figure. Censored values ("<0.01 %", not detected) are open
// downward triangles joined by dashed segments, never filled dots; a corrected value is ringed and the version it
// replaced drawn hollow grey; rule thresholds dashed red; treatment events numbered dotted lines; alerts flags in their
// severity's colour. Everything drawn is also listed in tables below, for keyboards and screen readers.
"use strict";

const colours = {
  value: "#1849a9", superseded: "#667085", threshold: "#b42318", event: "#475467", grid: "#e4e7ec", text: "#344054",
  critical: "#b42318", warning: "#a15c07", info: "#175cd3",
};

function loadChartJs() {
  if (window.Chart) { return Promise.resolve(); }
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/app/assets/chart.umd.min.js";
    script.onload = resolve;
    script.onerror = () => reject(new Error("the chart library did not load"));
    document.head.appendChild(script);
  });
}

const fmt = v => v >= 100 ? Math.round(v).toLocaleString("en-GB") : String(+v.toPrecision(3));
const shortDay = d => (d > 0 ? "+" : d < 0 ? "−" : "") + Math.abs(d);

// Draws event lines with numbers (1, 2, 3; close ones merged as "1–3") and alert flags, over the plotted days.
const markers = {
  id: "markers",
  afterDatasetsDraw(chart, _args, opts) {
    const { ctx, chartArea: area, scales: { x } } = chart;
    ctx.save();
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textAlign = "center";
    let cluster = null;
    const flush = () => {
      if (!cluster) { return; }
      const label = cluster.first === cluster.last ? String(cluster.first) : `${cluster.first}–${cluster.last}`;
      const w = ctx.measureText(label).width + 6;
      const cx = Math.min(Math.max(cluster.x, area.left + w / 2), area.right - w / 2);
      ctx.fillStyle = "#fff"; ctx.fillRect(cx - w / 2, area.top + 1, w, 14);
      ctx.fillStyle = colours.event; ctx.fillText(label, cx, area.top + 12);
    };
    opts.events.forEach((e, i) => {
      const px = x.getPixelForValue(e.day);
      if (px < area.left - 0.5 || px > area.right + 0.5) { return; }
      ctx.strokeStyle = colours.event; ctx.setLineDash([2, 3]); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(px, area.top + 16); ctx.lineTo(px, area.bottom); ctx.stroke();
      if (cluster && px - cluster.x < 22) { cluster.last = i + 1; } else { flush(); cluster = { x: px, first: i + 1, last: i + 1 }; }
    });
    flush();
    ctx.setLineDash([]);
    for (const a of opts.alerts) {
      const px = x.getPixelForValue(a.day);
      if (px < area.left - 0.5 || px > area.right + 0.5) { continue; }
      ctx.fillStyle = colours[a.severity] ?? colours.info;
      ctx.beginPath(); ctx.moveTo(px, area.bottom); ctx.lineTo(px - 7, area.bottom - 12); ctx.lineTo(px + 7, area.bottom - 12); ctx.closePath();
      ctx.fill();
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 1; ctx.stroke();
    }
    ctx.restore();
  },
};

// The legend of what the view draws: corrections, events and alert severities only when there are some.
function legend(t) {
  const points = t.series.flatMap(s => s.points);
  const swatch = body => `<svg width="26" height="16" viewBox="0 0 26 16" aria-hidden="true" focusable="false">${body}</svg>`;
  const items = [
    [true, swatch(`<line x1="1" y1="8" x2="25" y2="8" stroke="${colours.value}" stroke-width="2"/><circle cx="13" cy="8" r="4" fill="${colours.value}"/>`), "measured value"],
    [points.some(p => p.censored), swatch(`<path d="M7 4 L19 4 L13 14 Z" fill="#fff" stroke="${colours.value}" stroke-width="2"/>`), "below the detection limit (&lt; value: an upper bound, not a measurement)"],
    [points.some(p => p.corrected), swatch(`<circle cx="13" cy="8" r="4" fill="${colours.value}"/><circle cx="13" cy="8" r="7" fill="none" stroke="${colours.value}" stroke-width="1.5"/>`), "corrected value (the lab replaced an earlier version)"],
    [points.some(p => p.superseded), swatch(`<circle cx="13" cy="8" r="5" fill="#fff" stroke="${colours.superseded}" stroke-width="2"/>`), "superseded version (replaced by a correction)"],
    [t.series.some(s => s.threshold), swatch(`<line x1="1" y1="8" x2="25" y2="8" stroke="${colours.threshold}" stroke-width="2" stroke-dasharray="6 3"/>`), "rule threshold"],
    [t.events.length > 0, swatch(`<line x1="13" y1="1" x2="13" y2="15" stroke="${colours.event}" stroke-width="1.5" stroke-dasharray="2 3"/>`), "treatment event (numbered, listed below)"],
    ...["critical", "warning", "info"].map(s => [t.alerts.some(a => a.severity === s), swatch(`<path d="M6 3 L20 3 L13 15 Z" fill="${colours[s]}"/>`), `${s} alert`]),
  ];
  return `<ul class="legend" aria-label="Chart legend">${items.filter(([shown]) => shown).map(([, icon, text]) => `<li>${icon}<span>${text}</span></li>`).join("")}</ul>`;
}

// One day axis for every panel of a view: day 0 to the last point or alert, with a margin so that no marker is clipped.
function rangeOf(t) {
  const days = t.series.flatMap(s => s.points.map(p => p.day)).concat(t.alerts.map(a => a.day), [0]);
  const pad = Math.max(3, Math.round((Math.max(...days) - Math.min(...days)) * 0.03));
  return { min: Math.min(...days) - pad, max: Math.max(...days) + pad, dayZeroLabel: t.dayZeroLabel, first: t.series[0] };
}

const eventList = events => events.length
  ? `<ol class="events">${events.map(e => `<li>day ${shortDay(e.day)}: ${esc(e.label)}</li>`).join("")}</ol>` : "<p>None recorded.</p>";

function panel(t, s, id) {
  return `<figure class="panel">
      <figcaption>${esc(s.title)}${s.threshold ? ` <span class="muted">· threshold ${esc(s.threshold.label)}</span>` : ""}</figcaption>
      <div class="canvas-box${s.logScale ? " tall" : ""}"><canvas id="${id}" role="img"
        aria-label="${esc(s.title)} in ${esc(s.unit)} by day since ${esc(t.dayZeroLabel)}: ${s.points.filter(p => !p.superseded).length} values${s.logScale ? ", log scale" : ""}. The values are listed in the table below."></canvas></div>
      ${valuesTable(s)}</figure>`;
}

async function drawAll(t, prefix) {
  await loadChartJs();
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  window.Chart.defaults.font.size = 12;
  const range = rangeOf(t);
  const events = t.events.filter(e => e.day >= range.min && e.day <= range.max);
  t.series.forEach((s, i) => drawSeries(document.getElementById(prefix + i), s, range, events, t.alerts));
}

// The alert page's chart, as of the alert (the one its email carries as a PNG), drawn here so that it reads on a phone.
async function alertChart(alertId, box) {
  let t;
  try { t = await api("alerts/" + encodeURIComponent(alertId) + "/chart"); } catch { box.remove(); return; }
  const events = t.events.filter(e => { const r = rangeOf(t); return e.day >= r.min && e.day <= r.max; });
  box.innerHTML = `<h2>Trend as of this alert</h2>${legend({ ...t, events })}
    <div class="panels">${panel(t, t.series[0], "alert-chart-0")}</div>
    ${events.length ? `<h3>Treatment events</h3>${eventList(events)}` : ""}
    <p><small><a href="/api/alerts/${encodeURIComponent(alertId)}/chart.png">The same chart as the email carries it (PNG)</a></small></p>`;
  await drawAll(t, "alert-chart-");
  box.dataset.drawn = "true";
}

function drawSeries(canvas, s, range, events, alerts) {
  const current = s.points.filter(p => !p.superseded);
  const superseded = s.points.filter(p => p.superseded);
  const values = s.points.map(p => p.value).concat(s.threshold ? [s.threshold.value] : []);
  const datasets = [{
    label: s.title,
    data: current.map(p => ({ x: p.day, y: p.value, p })),
    showLine: true,
    borderColor: colours.value,
    borderWidth: 2,
    pointStyle: c => c.raw?.p.censored ? "triangle" : "circle",
    pointRotation: c => c.raw?.p.censored ? 180 : 0,
    pointRadius: c => c.raw?.p.censored ? 6 : 4,
    pointHoverRadius: 7,
    pointBackgroundColor: c => c.raw?.p.censored ? "#fff" : colours.value,
    pointBorderColor: colours.value,
    pointBorderWidth: c => c.raw?.p.corrected ? 5 : 2,
    segment: { borderDash: c => c.p0.raw?.p.censored || c.p1.raw?.p.censored ? [5, 4] : undefined },
    clip: false,
    order: 1,
  }];
  if (superseded.length) {
    datasets.push({
      label: "superseded version", data: superseded.map(p => ({ x: p.day, y: p.value, p })), showLine: false,
      pointStyle: c => c.raw?.p.censored ? "triangle" : "circle", pointRotation: c => c.raw?.p.censored ? 180 : 0,
      pointRadius: 5, pointBackgroundColor: "#fff", pointBorderColor: colours.superseded, pointBorderWidth: 2, clip: false, order: 2,
    });
  }
  if (s.threshold) {
    datasets.push({
      label: s.threshold.label, data: [{ x: range.min, y: s.threshold.value }, { x: range.max, y: s.threshold.value }], showLine: true,
      borderColor: colours.threshold, borderDash: [6, 3], borderWidth: 2, pointRadius: 0, pointHitRadius: 0, order: 3,
    });
  }
  const positive = values.filter(v => v > 0);
  const y = s.logScale
    // A third of a decade beyond the extremes: a value or threshold on a decade line is not drawn on the axis itself.
    ? { type: "logarithmic", min: Math.min(...positive) / 3, max: Math.max(...positive) * 3,
        ticks: { color: colours.text, callback: v => Number.isInteger(Math.log10(v) + 1e-9) || Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? fmt(v) : "" } }
    : { type: "linear", beginAtZero: true, suggestedMax: Math.max(...values) * 1.1, ticks: { color: colours.text, maxTicksLimit: 5, callback: v => fmt(v) } };
  y.title = { display: true, text: s.unit, color: colours.text };
  y.grid = { color: colours.grid };
  return new window.Chart(canvas, {
    type: "scatter",
    data: { datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      layout: { padding: { top: 4, right: 14, left: 2, bottom: 0 } },
      scales: {
        x: { type: "linear", min: range.min, max: range.max, grid: { color: colours.grid },
             ticks: { color: colours.text, maxTicksLimit: 8, callback: v => shortDay(v) },
             title: { display: true, text: "days since " + range.dayZeroLabel, color: colours.text } },
        y,
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: c => {
          const p = c.raw.p;
          if (!p) { return s.threshold ? `threshold ${fmt(s.threshold.value)} ${s.unit}` : ""; }
          return `day ${shortDay(p.day)}: ${p.censored ? "< " : ""}${fmt(p.value)} ${s.unit}${p.superseded ? " (superseded)" : p.corrected ? " (corrected)" : ""}`;
        } } },
        markers: { events, alerts: alerts.filter(a => a.analyte === s.analyte || (!a.analyte && s === range.first)) },
      },
    },
    plugins: [markers],
  });
}

function valuesTable(s) {
  return `<details><summary>${esc(s.title)} values as a table</summary><table><thead><tr><th>Day</th><th>Value</th><th>Note</th></tr></thead><tbody>
    ${[...s.points].sort((a, b) => a.day - b.day || a.superseded - b.superseded).map(p => `<tr><td data-label="Day">${shortDay(p.day)}</td>
      <td data-label="Value">${p.censored ? "&lt; " : ""}${fmt(p.value)} ${esc(s.unit)}</td>
      <td data-label="Note">${p.superseded ? "superseded by a correction" : p.corrected ? "corrected" : p.censored ? "below the detection limit" : ""}</td></tr>`).join("")}
    </tbody></table></details>`;
}

async function patientPage(id) {
  const t = await api("patients/" + encodeURIComponent(id) + "/timeline");
  document.title = "Patient " + t.patientId + " — CAR-T follow-up";
  const range = rangeOf(t);
  const events = t.events.filter(e => e.day >= range.min && e.day <= range.max);
  main.innerHTML = `<p><a href="/app/">← All alerts</a></p>
    <h1>Patient ${esc(t.patientId)}</h1>
    <p>${esc(t.product)} · day 0 = ${esc(t.dayZeroLabel)} on ${esc(t.dayZero)} · ${t.alerts.length} alert(s)</p>
    ${t.series.length ? legend({ ...t, events }) : "<p>No result of a followed analyte yet.</p>"}
    <div class="panels">${t.series.map((s, i) => panel(t, s, "chart-" + i)).join("")}</div>
    <h2>Treatment events</h2>
    ${eventList(events)}
    <h2>Alerts</h2>
    ${t.alerts.length ? `<table><thead><tr><th>Severity</th><th>Alert</th><th>Day</th><th>Status</th></tr></thead><tbody>
      ${t.alerts.map(a => `<tr><td data-label="Severity"><span class="sev ${a.severity}">${a.severity}</span></td>
        <td data-label="Alert"><a href="/app/alerts/${encodeURIComponent(a.alertId)}">${esc(a.title)}</a></td>
        <td data-label="Day">${shortDay(a.day)}</td><td data-label="Status">${esc(a.status)}</td></tr>`).join("")}</tbody></table>` : "<p>None.</p>"}`;
  if (!t.series.length) { return; }
  await drawAll(t, "chart-");
  document.querySelector(".panels").dataset.drawn = "true";
}
