// harmledger workspace: shared helpers and list keyboard navigation. No inline script
// anywhere (the Content Security Policy forbids it); pages load these files.
"use strict";
window.HL = (function () {
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
  async function api(method, url, body) {
    var res = await fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (!res.ok) {
      throw new Error((data && data.detail && (typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail))) || res.statusText);
    }
    return data;
  }
  function typing(ev) {
    var t = ev.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function status(text, bad) {
    var el = document.getElementById("status");
    if (el) { el.textContent = text; el.classList.toggle("error", !!bad); }
  }
  return { csrf: csrf, api: api, typing: typing, status: status };
})();

// j/k move through a list's rows, Enter opens the selected one.
(function () {
  var table = document.querySelector('[data-keys="list"]');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-href]"));
  var at = -1;
  function select(i) {
    if (!rows.length) return;
    at = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, n) { r.classList.toggle("selected", n === at); });
    rows[at].scrollIntoView({ block: "nearest" });
  }
  rows.forEach(function (r, n) {
    r.addEventListener("click", function (ev) {
      if (ev.target.tagName !== "A") { window.location = r.getAttribute("data-href"); }
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (HL.typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "j" || ev.key === "n") { select(at + 1); ev.preventDefault(); }
    else if (ev.key === "k" || ev.key === "p") { select(at - 1); ev.preventDefault(); }
    else if (ev.key === "Enter" && at >= 0) { window.location = rows[at].getAttribute("data-href"); }
  });
  if (rows.length) select(0);
})();
