// The clinician workspace: inbox (/app/), alert page (/app/alerts/{alertId}) and patient page (/app/patients/{patientId}),
// over the same /api the Functions app serves. The patient page's charts are drawn here with Chart.js (embedded, no network).
"use strict";
const main = document.getElementById("main");
const rank = { critical: 0, warning: 1, info: 2 };
const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const day = d => (d >= 0 ? "+" : "") + d;

async function api(path, options) {
  const response = await fetch("/api/" + path, options);
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) { throw new Error(body?.detail || body?.title || response.statusText); }
  return body;
}

function age(iso) {
  const hours = (Date.now() - Date.parse(iso)) / 3.6e6;
  return hours < 48 ? Math.round(hours) + " h" : Math.round(hours / 24) + " d";
}

// Display names of analytes ("IgG", not "igg"), from the catalogue the server keeps.
let analyteNames = null;
async function analyteName(keyword) {
  if (!analyteNames) {
    try { analyteNames = Object.fromEntries((await api("analytes")).map(a => [a.keyword, a.name])); } catch { analyteNames = {}; }
  }
  return analyteNames[keyword] ?? keyword;
}

// A time for people: "27 Aug 2024, 14:05" in the reader's zone, with the zone's name.
const when = iso => iso ? new Date(iso).toLocaleString("en-GB",
  { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" }) : "";

async function who() {
  try {
    const me = await api("me");
    document.getElementById("who").innerHTML = esc(me.name) + (me.development ? ' <span class="dev">development identity — local only</span>' : "");
  } catch (e) { document.getElementById("who").textContent = "not signed in"; }
}

// Filters match any part, ignoring case and surrounding spaces ("pt-0001 " finds PT-0001).
const contains = (value, filter) => !filter.trim() || value.toLowerCase().includes(filter.trim().toLowerCase());

async function inbox() {
  const params = new URLSearchParams(location.search);
  const status = params.get("status") ?? "open", patient = params.get("patient") ?? "", rule = params.get("rule") ?? "";
  document.title = "Alerts — CAR-T follow-up";
  const alerts = (await api("alerts" + (status ? "?status=" + encodeURIComponent(status) : "")))
    .filter(a => contains(a.patientId, patient) && contains(a.ruleId, rule))
    .sort((a, b) => rank[a.severity] - rank[b.severity] || Date.parse(a.createdAt) - Date.parse(b.createdAt));
  main.innerHTML = `<h1>Alerts</h1>
    <form class="filters" method="get" action="/app/">
      <label>Status<select name="status">${["open", "acknowledged", "retracted", ""].map(s => `<option value="${s}"${s === status ? " selected" : ""}>${s || "all"}</option>`).join("")}</select></label>
      <label>Patient<input name="patient" value="${esc(patient)}"></label>
      <label>Rule<input name="rule" value="${esc(rule)}"></label>
      <button type="submit">Filter</button>
    </form>
    <p>${alerts.length} alert(s), most severe and oldest first.</p>
    <table><thead><tr><th>Severity</th><th>Alert</th><th>Patient</th><th>Day</th><th>Age</th><th>Status</th></tr></thead><tbody>
    ${alerts.map(a => `<tr><td data-label="Severity"><span class="sev ${a.severity}">${a.severity}</span></td>
      <td data-label="Alert"><a href="/app/alerts/${encodeURIComponent(a.alertId)}">${esc(a.title)}</a></td>
      <td data-label="Patient"><a href="/app/patients/${encodeURIComponent(a.patientId)}">${esc(a.patientId)}</a></td><td data-label="Day">${day(a.dayPostInfusion)}</td>
      <td data-label="Age">${age(a.createdAt)}</td><td data-label="Status">${esc(a.status)}</td></tr>`).join("")}
    </tbody></table>`;
}

async function alertPage(id) {
  const a = await api("alerts/" + encodeURIComponent(id));
  document.title = a.title + " — CAR-T follow-up";
  const evidence = [...a.evidence].sort((x, y) => Date.parse(x.collectedAt) - Date.parse(y.collectedAt));
  for (const e of evidence) { e.name = await analyteName(e.analyte); }
  main.innerHTML = `<p><a href="/app/">← All alerts</a></p>
    <h1><span class="sev ${a.severity}">${a.severity}</span> ${esc(a.title)}</h1>
    <p>Patient <a href="/app/patients/${encodeURIComponent(a.patientId)}">${esc(a.patientId)}</a> · day ${day(a.dayPostInfusion)} after ${esc(a.product ?? "CAR-T")} infusion · status <span class="status" id="status">${esc(a.status)}</span></p>
    ${a.change ? `<div class="box"><h2>What changed since the last notice</h2>${esc(a.change)}</div>` : ""}
    <p>${esc(a.summary)}</p>
    <div class="box"><h2>Suggested action</h2>${esc(a.suggestedAction)}</div>
    ${evidence.length ? `<h2>Evidence</h2><table><thead><tr><th>Result</th><th>Value</th><th>Collected</th><th>Day</th></tr></thead><tbody>
      ${evidence.map(e => `<tr class="${e.role === "trigger" ? "trigger" : ""}"><td data-label="Result">${esc(e.name)}${e.role === "trigger" ? " (new)" : ""}</td>
        <td data-label="Value">${esc((e.comparator ?? "") + (e.value ?? (e.detected === false ? "not detected" : "—")))} ${esc(e.unit)}${e.status === "corrected" ? " (corrected)" : ""}</td>
        <td data-label="Collected">${esc(e.collectedAt.slice(0, 10))}</td><td data-label="Day">${day(e.dayPostInfusion)}</td></tr>`).join("")}</tbody></table>
      <section id="alert-chart" aria-live="polite"><h2>Trend as of this alert</h2><p>Drawing…</p></section>` : ""}
    ${a.escalations?.length ? `<p id="escalations" class="box escalated">Escalated to on-call ${a.escalations.length === 1 ? "once" : `${a.escalations.length} times`}: ${a.escalations.map(x => esc(when(x.at))).join(", ")}.</p>` : ""}
    <section id="ack">${ackSection(a)}</section>
    <p><a href="/app/patients/${encodeURIComponent(a.patientId)}">Patient timeline: every followed result, treatment events and alerts →</a></p>
    <p><small>Alert ${esc(a.alertId)} · rule ${esc(a.ruleId)} · revision ${a.revision}</small></p>`;
  const chartBox = document.getElementById("alert-chart");
  if (chartBox) { await alertChart(a.alertId, chartBox); }
  const form = document.getElementById("ack-form");
  form?.addEventListener("submit", async ev => {
    ev.preventDefault();
    try {
      const acked = await api("alerts/" + encodeURIComponent(a.alertId) + "/ack",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ note: form.note.value }) });
      document.getElementById("status").textContent = acked.status;
      document.getElementById("ack").innerHTML = ackSection(acked);
      document.getElementById("ack-done")?.focus();
    } catch (e) { document.getElementById("ack-error").textContent = e.message; }
  });
}

function ackSection(a) {
  if (a.status === "acknowledged") {
    return `<div class="box" id="ack-done" tabindex="-1" role="status"><h2>Acknowledged</h2>by ${esc(a.acknowledgedBy)}, <time datetime="${esc(a.acknowledgedAt)}">${esc(when(a.acknowledgedAt))}</time>${a.acknowledgementNote ? ": " + esc(a.acknowledgementNote) : ""}</div>`;
  }
  if (a.status !== "open") { return `<div class="box"><h2>Retracted</h2>${esc(a.retractionReason)}</div>`; }
  return `<form id="ack-form"><h2>Acknowledge</h2><label for="note">Note (optional)</label><br>
    <textarea id="note" name="note" rows="3" maxlength="1000" style="width:100%"></textarea><br>
    <button type="submit">Acknowledge</button> <span id="ack-error" role="alert"></span></form>`;
}

(async () => {
  await who();
  const alert = location.pathname.match(/^\/app\/alerts\/([^/]+)/);
  const patient = location.pathname.match(/^\/app\/patients\/([^/]+)/);
  try {
    await (alert ? alertPage(decodeURIComponent(alert[1])) : patient ? patientPage(decodeURIComponent(patient[1])) : inbox());
  }
  catch (e) {
    // A stale or mistyped link must not be a dead end: say what failed and lead back to the inbox.
    const what = alert ? "This alert" : patient ? "This patient" : "The alert list";
    document.title = what + " could not be shown — CAR-T follow-up";
    main.innerHTML = `<h1>${what} could not be shown</h1><p role="alert">${esc(e.message)}</p><p><a href="/app/">← All alerts</a></p>`;
  }
})();
