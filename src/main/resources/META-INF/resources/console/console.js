// Recon console: plain JavaScript, no build step, no third-party code. Every value from an event is
// put into the page as text (never as HTML): event ids, sources and features come from senders.
"use strict";

const MAX_ROWS = 500;
const state = { key: sessionStorage.getItem("recon-key") || "", alerts: [], deadLetters: [], paused: false };

// ---------- small helpers ----------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function num(value, digits = 4) {
  if (typeof value !== "number" || !isFinite(value)) return value === undefined || value === null ? "–" : String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return value.toLocaleString("en");
  return Number(value.toPrecision(digits)).toLocaleString("en", { maximumFractionDigits: 6 });
}

function when(ms) {
  if (!ms) return "–";
  const d = new Date(ms);
  return d.toLocaleTimeString("en-GB", { hour12: false }) + (Date.now() - ms > 86400000 ? " " + d.toLocaleDateString("en-GB") : "");
}

function headers() {
  return state.key ? { Authorization: "Bearer " + state.key } : {};
}

class NeedsKey extends Error {}

async function api(path) {
  const response = await fetch(path, { headers: headers() });
  if (response.status === 401 || response.status === 403) {
    document.getElementById("key-form").hidden = false;
    throw new NeedsKey(path + " needs a key");
  }
  if (!response.ok) {
    let reason = response.statusText;
    try { reason = (await response.json()).message || reason; } catch (e) { /* not JSON */ }
    const error = new Error(reason);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

async function post(path) {
  const response = await fetch(path, { method: "POST", headers: headers() });
  let body = {};
  try { body = await response.json(); } catch (e) { /* no body */ }
  if (!response.ok) {
    const reason = response.status === 401 ? "an admin key is needed (enter one above)"
      : response.status === 403 ? "this key may read but not change models (an admin key is needed)"
      : (body.reason ? body.reason + ": " : "") + (body.message || response.statusText);
    if (response.status === 401) document.getElementById("key-form").hidden = false;
    throw new Error(reason);
  }
  return body;
}

function severityBadge(severity) {
  const s = (severity || "low").toLowerCase();
  return el("span", { class: "sev sev-" + s }, s);
}

// ---------- live updates (server-sent events read with fetch, so that a key can be sent) ----------

async function follow() {
  const status = document.getElementById("connection");
  for (;;) {
    try {
      const response = await fetch("/console/api/updates", { headers: { ...headers(), Accept: "text/event-stream" } });
      if (response.status === 401 || response.status === 403) {
        document.getElementById("key-form").hidden = false;
        status.textContent = "Needs a key";
        status.className = "connection down";
        return;
      }
      if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
      status.textContent = "Live";
      status.className = "connection live";
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").filter(l => l.startsWith("data:")).map(l => l.slice(5).replace(/^ /, "")).join("\n");
          if (data) onUpdate(JSON.parse(data));
        }
      }
    } catch (e) {
      if (e instanceof NeedsKey) return;
    }
    status.textContent = "Reconnecting…";
    status.className = "connection down";
    await new Promise(resolve => setTimeout(resolve, 3000));
  }
}

function onUpdate(update) {
  if (update.type === "alert" || update.type === "explained") {
    const i = state.alerts.findIndex(a => a.eventId === update.alert.eventId);
    if (i >= 0) state.alerts.splice(i, 1);
    state.alerts.unshift(update.alert);
    state.alerts.length = Math.min(state.alerts.length, MAX_ROWS);
    addChoice("filter-stream", update.alert.stream);
    addChoice("filter-model", update.alert.model);
    if (!state.paused && currentView() === "alerts") renderAlerts(update.type === "alert" ? update.alert.eventId : null);
    if (update.type === "explained" && currentView() === "alert" && currentId() === update.alert.eventId) showAlert(currentId());
  } else if (update.type === "dead-letter") {
    state.deadLetters.unshift(update.deadLetter);
    state.deadLetters.length = Math.min(state.deadLetters.length, MAX_ROWS);
    if (currentView() === "dead-letters") renderDeadLetters();
  }
}

// ---------- alerts list ----------

function filters() {
  return {
    stream: document.getElementById("filter-stream").value,
    model: document.getElementById("filter-model").value,
    severity: document.getElementById("filter-severity").value,
    since: Number(document.getElementById("filter-since").value),
  };
}

const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 };

function passes(alert, f) {
  return (!f.stream || alert.stream === f.stream) && (!f.model || alert.model === f.model)
    && (!f.severity || SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[f.severity])
    && (!f.since || alert.scoredAt >= Date.now() - f.since);
}

function addChoice(selectId, value) {
  const select = document.getElementById(selectId);
  if (!value || [...select.options].some(o => o.value === value)) return;
  select.append(el("option", { value }, value));
}

async function loadAlerts() {
  const f = filters();
  const query = new URLSearchParams({ limit: String(MAX_ROWS) });
  if (f.stream) query.set("stream", f.stream);
  if (f.model) query.set("model", f.model);
  if (f.severity) query.set("severity", f.severity);
  if (f.since) query.set("since", String(Date.now() - f.since));
  const page = await api("/console/api/alerts?" + query);
  (page.streams || []).forEach(s => addChoice("filter-stream", s));
  (page.models || []).forEach(m => addChoice("filter-model", m));
  const known = new Map(state.alerts.map(a => [a.eventId, a]));
  page.alerts.forEach(a => known.set(a.eventId, a));
  state.alerts = [...known.values()].sort((a, b) => b.scoredAt - a.scoredAt).slice(0, MAX_ROWS);
  renderAlerts(null);
}

function renderAlerts(freshId) {
  const f = filters();
  const shown = state.alerts.filter(a => passes(a, f));
  const body = document.querySelector("#alert-table tbody");
  // A redraw must not take the keyboard focus away from the alert link it was on.
  const focused = body.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
  body.replaceChildren(...shown.map(a => alertRow(a, a.eventId === freshId)));
  if (focused) {
    const again = [...body.querySelectorAll("a")].find(link => link.getAttribute("href") === focused);
    if (again) again.focus({ preventScroll: true });
  }
  if (shown.length === 0) {
    body.append(el("tr", {}, el("td", { colspan: "7", class: "empty" },
      state.alerts.length ? "No alert passes these filters." : "No alerts yet. They appear here as the scorer raises them.")));
  }
  document.getElementById("alert-count").textContent = shown.length + " of " + state.alerts.length + " recent alerts shown";
}

function alertRow(a, fresh) {
  const why = a.sentence ? el("span", { class: "sentence" }, a.sentence)
    : el("span", { class: "features" }, (a.topFeatures || []).join(", ") || (a.stream === "imaging" ? "see the heatmap on its page" : ""));
  return el("tr", { class: fresh ? "fresh" : null, "data-event-id": a.eventId, "data-stream": a.stream },
    el("td", {}, when(a.scoredAt)),
    el("td", {}, severityBadge(a.severity)),
    el("td", {}, a.stream, el("br"), el("span", { class: "features" }, a.model)),
    el("td", {}, el("a", { href: "#/alerts/" + encodeURIComponent(a.eventId), class: "mono" }, a.eventId)),
    el("td", {}, num(a.score) + " / " + num(a.threshold), el("br"), el("span", { class: "features" }, a.alertScore)),
    el("td", {}, num(a.percentile, 5)),
    el("td", {}, why));
}

// ---------- one alert ----------

async function showAlert(id) {
  const target = document.getElementById("alert-detail");
  document.getElementById("alert-title").textContent = "Alert " + id;
  let page;
  try {
    page = await api("/console/api/alerts/" + encodeURIComponent(id));
  } catch (e) {
    if (!(e instanceof NeedsKey)) target.replaceChildren(el("p", { class: "empty" }, e.message));
    return;
  }
  const a = page.alert;
  const x = page.explanation;
  const over = a.threshold ? a.score / a.threshold : 1;
  const parts = [
    el("div", { class: "grid" },
      el("dl", { class: "facts" },
        el("dt", {}, "Severity"), el("dd", {}, severityBadge(a.severity)),
        el("dt", {}, "Stream"), el("dd", {}, a.stream),
        el("dt", {}, "Source"), el("dd", {}, a.source),
        el("dt", {}, "Event time"), el("dd", {}, new Date(a.eventTs).toISOString()),
        el("dt", {}, "Scored"), el("dd", {}, new Date(a.scoredAt).toISOString() + " on " + a.device),
        el("dt", {}, "Model"), el("dd", {}, a.model + " " + a.modelVersion)),
      el("div", {},
        el("p", {}, a.alertScore + " ", el("b", {}, num(a.score)), " against threshold ", el("b", {}, num(a.threshold)),
          " (" + num(over, 3) + "×); percentile ", el("b", {}, num(a.percentile, 5))),
        el("div", { class: "bar", role: "img", "aria-label": "score " + num(a.score) + " against threshold " + num(a.threshold) },
          el("span", { style: "width:" + Math.min(100, 50 * over) + "%" }), el("i", { style: "left:50%" })),
        el("p", { class: "features" }, "Threshold: " + (a.thresholdCalibration || "–")),
        scoresTable(a.scores))),
  ];
  parts.push(el("h3", {}, "Explanation"));
  parts.push(x ? explanation(x) : el("p", { class: "empty" }, "No explanation yet. The explainer writes one to recon.explanations for alerts of the models it has a bundle for; this page updates when it does."));
  if (a.topContributions && a.topContributions.length) {
    parts.push(el("h3", {}, "What the VAE could not reconstruct"));
    parts.push(contributionsTable(a.topContributions));
  }
  if (a.inputPng) {
    parts.push(el("h3", {}, "Image"));
    parts.push(imageFigures(a, x));
  }
  target.replaceChildren(...parts);
}

function scoresTable(scores) {
  if (!scores) return el("span");
  return el("table", { class: "data" }, el("caption", { class: "visually-hidden" }, "Every score of the event"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Score"), el("th", { scope: "col" }, "Value"))),
    el("tbody", {}, Object.entries(scores).map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", {}, num(v))))));
}

function contributionsTable(rows) {
  return el("table", { class: "data" }, el("caption", { class: "visually-hidden" }, "Features by their share of the reconstruction term"),
    el("thead", {}, el("tr", {}, ...["Feature", "Observed", "Expected", "Deviation (sd)", "Share"].map(h => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map(c => el("tr", {}, el("td", { class: "mono" }, c.feature), el("td", {}, num(c.observed)),
      el("td", {}, num(c.expected)), el("td", {}, c.deviation === undefined || c.deviation === null ? "–" : num(c.deviation, 3)),
      el("td", {}, Math.round(100 * c.share) + "%")))));
}

function explanation(x) {
  const parts = [el("p", { class: "sentence" }, el("b", {}, x.sentence))];
  if (x.causes && x.causes.length) {
    parts.push(el("table", { class: "data" }, el("caption", { class: "visually-hidden" }, "Features the explainer found most surprising"),
      el("thead", {}, el("tr", {}, ...["Feature", "Observed", "Expected from the others", "Surprise (nats)", "Usual surprise"].map(h => el("th", { scope: "col" }, h)))),
      el("tbody", {}, x.causes.map(c => el("tr", {}, el("td", { class: "mono" }, c.feature), el("td", {}, num(c.observed)),
        el("td", {}, expectedText(c)), el("td", {}, num(c.surprise, 3)), el("td", {}, num(c.normalSurprise, 3)))))));
  }
  if (x.regions && x.regions.length) {
    parts.push(el("table", { class: "data" }, el("caption", { class: "visually-hidden" }, "Image regions that stand out"),
      el("thead", {}, el("tr", {}, ...["Region (left, top, width, height)", "Kind", "Observed", "Expected", "Contribution"].map(h => el("th", { scope: "col" }, h)))),
      el("tbody", {}, x.regions.map(r => el("tr", {}, el("td", { class: "mono" }, (r.box || []).join(", ")), el("td", {}, r.kind),
        el("td", {}, num(r.observed) + " " + r.unit), el("td", {}, expectedText(r) + " " + r.unit), el("td", {}, num(r.contribution, 3)))))));
  }
  if (x.explainer) parts.push(el("p", { class: "features" }, "By " + x.explainer.name + " " + x.explainer.version + " (" + x.explainer.method + ")"));
  return el("div", {}, parts);
}

function expectedText(c) {
  const text = num(c.expected);
  return Array.isArray(c.expectedRange) && c.expectedRange.length === 2
    ? text + " (" + num(c.expectedRange[0]) + " – " + num(c.expectedRange[1]) + ")" : text;
}

// The image as the model saw it, with its heatmap laid over it in colour (opacity adjustable).
function imageFigures(a, x) {
  const canvas = el("canvas", { id: "overlay", width: "320", height: "320", role: "img",
    "aria-label": "The image with the VAE's anomaly heatmap over it: brighter red means less like the training images" });
  const slider = el("input", { id: "overlay-opacity", type: "range", min: "0", max: "100", value: "60" });
  const figures = [el("figure", {}, canvas,
    el("figcaption", {}, "Input with the VAE heatmap overlaid. ",
      el("label", { for: "overlay-opacity" }, "Heatmap opacity"), " ", slider))];
  const draw = () => overlay(canvas, a.inputPng, a.heatmapPng, Number(slider.value) / 100);
  slider.addEventListener("input", draw);
  draw();
  if (x && x.heatmapPng) {
    const explained = el("canvas", { id: "explainer-overlay", width: "320", height: "320", role: "img",
      "aria-label": "The image with the explainer's surprise map over it" });
    overlay(explained, a.inputPng, x.heatmapPng, 0.6);
    figures.push(el("figure", {}, explained, el("figcaption", {}, "The explainer's map: patches its transformer could not predict from the rest.")));
  }
  return el("div", { class: "images" }, figures);
}

function loadImage(base64) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error("image did not decode"));
    image.src = "data:image/png;base64," + base64;
  });
}

async function overlay(canvas, inputPng, heatPng, opacity) {
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  const input = await loadImage(inputPng);
  ctx.drawImage(input, 0, 0, canvas.width, canvas.height);
  if (!heatPng) return;
  const heat = await loadImage(heatPng);
  const scratch = document.createElement("canvas");
  scratch.width = heat.width;
  scratch.height = heat.height;
  const s = scratch.getContext("2d");
  s.drawImage(heat, 0, 0);
  const pixels = s.getImageData(0, 0, heat.width, heat.height);
  for (let i = 0; i < pixels.data.length; i += 4) {
    const v = pixels.data[i] / 255;                 // grayscale heat 0..1
    pixels.data[i] = 255;                            // red to yellow as heat grows
    pixels.data[i + 1] = Math.round(220 * v * v);
    pixels.data[i + 2] = 0;
    pixels.data[i + 3] = Math.round(255 * opacity * v);
  }
  s.putImageData(pixels, 0, 0);
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  canvas.dataset.drawn = "true";
}

// ---------- models ----------

async function showModels() {
  const target = document.getElementById("model-list");
  let models;
  try {
    models = await api("/models");
  } catch (e) {
    if (!(e instanceof NeedsKey)) target.replaceChildren(el("p", { class: "empty" },
      "The model list is served by the scorer (" + e.message + ")."));
    return;
  }
  target.replaceChildren(...models.map(m => {
    const drift = el("dd", { "data-drift": m.name }, "–");
    const status = el("p", { class: "features", role: "status", "aria-live": "polite" });
    driftOf(m.name, drift);
    const act = (what, path, question) => el("button", { type: "button", onclick: async () => {
      if (!confirm(question)) return;
      status.textContent = what + "…";
      try {
        const r = await post(path);
        status.textContent = what + " done: threshold now " + num(r.threshold) + ".";
        showModels();
      } catch (e) {
        status.textContent = what + " refused: " + e.message;
      }
    } }, what);
    return el("article", { class: "model", "aria-labelledby": "model-" + m.name },
      el("h3", { id: "model-" + m.name }, m.name),
      el("dl", { class: "facts" },
        el("dt", {}, "Version"), el("dd", { class: "mono" }, m.version),
        el("dt", {}, "Kind"), el("dd", {}, m.kind + " on " + m.device),
        el("dt", {}, "Input"), el("dd", {}, m.features !== undefined ? m.features + " features" : String(m.input)),
        el("dt", {}, "Alert score"), el("dd", {}, m.alertScore),
        el("dt", {}, "Threshold"), el("dd", {}, num(m.threshold)),
        el("dt", {}, "Calibrated"), el("dd", {}, m.thresholdCalibration),
        el("dt", {}, "Trained on"), el("dd", {}, m.trainedOn),
        el("dt", {}, "Drift"), drift,
        el("dt", {}, "Evaluation"), el("dd", {}, metricsTree(m.metrics))),
      el("p", { class: "actions" },
        act("Recalibrate", "/models/" + encodeURIComponent(m.name) + "/recalibrate",
          "Set a new threshold for " + m.name + " from its recent traffic, at its target false-positive rate? (admin key)"),
        " ",
        act("Undo last recalibration", "/models/" + encodeURIComponent(m.name) + "/recalibrate/undo",
          "Restore the threshold " + m.name + " had before its last recalibration? (admin key)")),
      status);
  }));
}

// The manifest's metrics as nested lists (evaluation -> method -> AUROC, AUPRC, recall), folded away.
function metricsTree(metrics) {
  if (!metrics) return "–";
  const tree = value => {
    if (value === null || typeof value !== "object") return typeof value === "number" ? num(value, 4) : String(value);
    if (Array.isArray(value)) return value.map(v => typeof v === "object" ? JSON.stringify(v) : String(v)).join(", ");
    return el("ul", { class: "metrics" }, Object.entries(value).map(([k, v]) =>
      el("li", {}, el("span", { class: "muted" }, k + ": "), tree(v))));
  };
  return el("details", {}, el("summary", {}, "Evaluation metrics"), tree(metrics));
}

// The model's recent non-alerting scores against its calibration (served by the scorer).
async function driftOf(name, target) {
  try {
    const d = await api("/models/" + encodeURIComponent(name) + "/drift");
    if (d.psi === null || d.psi === undefined) {
      target.textContent = "not judged yet: " + num(d.windowEvents) + " of the " + num(d.minEvents) + " recent normal events it needs";
      return;
    }
    target.replaceChildren(el("span", { class: d.drifting ? "drift-bad" : "drift-ok" }, d.drifting ? "Drifting" : "Within its levels"),
      ": PSI " + num(d.psi, 3) + " (alert at " + num(d.psiAlertLevel, 3) + "), KS " + num(d.ks, 3) + " (alert at "
      + num(d.ksAlertLevel, 3) + ") over the last " + num(d.windowEvents) + " normal events");
  } catch (e) {
    target.textContent = e.status === 404 ? "not measured by this process" : "–";
  }
}

// ---------- dead letters ----------

async function loadDeadLetters() {
  state.deadLetters = await api("/console/api/dead-letters?limit=" + MAX_ROWS);
  renderDeadLetters();
}

function renderDeadLetters() {
  const body = document.querySelector("#dlq-table tbody");
  body.replaceChildren(...state.deadLetters.map(d => el("tr", {},
    el("td", {}, when(d.deadLetteredAt)),
    el("td", { class: "mono" }, d.sourceTopic + " " + d.partition + "@" + d.offset),
    el("td", {}, el("b", {}, d.reasonCode), el("br"), d.reason),
    el("td", {}, num(d.originalBytes) + " B"),
    el("td", { class: "mono" }, d.preview))));
  if (state.deadLetters.length === 0) body.append(el("tr", {}, el("td", { colspan: "5", class: "empty" }, "No dead letters.")));
}

// ---------- rates ----------

async function refreshRates() {
  try {
    const r = await api("/console/api/rates");
    const items = r.rates.filter(x => x.total > 0 || !x.name.includes("dead")).map(x =>
      el("li", {}, x.name + " ", el("b", {}, num(x.perSecond, 3) + "/s"), " (" + num(x.total) + ")"));
    r.lag.forEach(l => items.push(el("li", {}, "scorer lag, " + l.stream + " ", el("b", {}, num(l.records)))));
    document.getElementById("rate-list").replaceChildren(...(items.length ? items : [el("li", {}, "No readings yet")]));
  } catch (e) {
    /* shown again on the next reading */
  }
}

// ---------- routing ----------

function currentView() {
  const hash = location.hash || "#/alerts";
  if (hash.startsWith("#/alerts/")) return "alert";
  if (hash === "#/models") return "models";
  if (hash === "#/dead-letters") return "dead-letters";
  return "alerts";
}

function currentId() {
  return decodeURIComponent((location.hash || "").slice("#/alerts/".length));
}

function route() {
  const view = currentView();
  for (const section of document.querySelectorAll("main > section")) section.hidden = section.id !== "view-" + view;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === (view === "alert" ? "alerts" : view)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const show = { alerts: loadAlerts, alert: () => showAlert(currentId()), models: showModels, "dead-letters": loadDeadLetters }[view];
  show().catch(() => { /* a key was asked for, or the message is on the page */ });
  document.getElementById("main").focus({ preventScroll: true });
}

function start() {
  document.getElementById("filters").addEventListener("change", e => {
    if (e.target.id === "filter-pause") {
      state.paused = e.target.checked;
      if (!state.paused) renderAlerts(null);
    } else {
      loadAlerts().catch(() => {});
    }
  });
  document.getElementById("key-form").addEventListener("submit", e => {
    e.preventDefault();
    state.key = document.getElementById("api-key").value.trim();
    sessionStorage.setItem("recon-key", state.key);
    document.getElementById("key-form").hidden = true;
    route();
    follow();
  });
  window.addEventListener("hashchange", route);
  route();
  refreshRates();
  setInterval(refreshRates, 5000);
  follow();
}

start();
