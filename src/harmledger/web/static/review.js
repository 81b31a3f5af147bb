// The incident page: keyboard review (a accept, r reject, e edit, n/p next/previous),
// the edit form, and setting a field from words selected in the source text.
"use strict";
(function () {
  var dataEl = document.getElementById("incident-data");
  if (!dataEl) return;
  var inc = JSON.parse(dataEl.textContent);
  if (!inc.editor) return;
  var base = "/api/incidents/" + encodeURIComponent(inc.incident_id);
  var form = document.getElementById("edit-form");
  var rejectForm = document.getElementById("reject-form");
  var bar = document.getElementById("selection-bar");
  var source = document.getElementById("source");
  var spans = {}; // field -> {start, end} chosen from a selection
  var selection = null;

  function go(next) {
    window.location = next
      ? "/incidents/" + encodeURIComponent(next) + "?prev=" + encodeURIComponent(inc.incident_id)
      : "/queue";
  }
  async function act(path, body, then) {
    try {
      var res = await HL.api("POST", base + path, body);
      HL.status("Saved: " + (res.state || "done") + " (audit entry " + res.audit + ")");
      var st = document.getElementById("review-state");
      if (st && res.state) { st.textContent = res.state; st.className = "state state-" + res.state; }
      if (then) then(res);
    } catch (e) { HL.status(e.message, true); }
  }
  function accept() { act("/accept", {}, function () { setTimeout(function () { go(inc.next); }, 300); }); }
  function openReject() {
    rejectForm.classList.remove("hidden");
    document.getElementById("reject-reason").focus();
  }
  function openEdit() {
    form.classList.remove("hidden");
    var first = form.querySelector("select, input");
    if (first) first.focus();
  }
  document.getElementById("accept").addEventListener("click", accept);
  document.getElementById("reject-open").addEventListener("click", openReject);
  document.getElementById("edit-open").addEventListener("click", openEdit);
  document.getElementById("reopen").addEventListener("click", function () { act("/reopen", {}); });
  rejectForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var reason = document.getElementById("reject-reason").value.trim();
    if (!reason) { HL.status("A rejection needs a reason.", true); return; }
    act("/reject", { reason: reason }, function () { setTimeout(function () { go(inc.next); }, 300); });
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { if (document.activeElement) document.activeElement.blur(); hideBar(); return; }
    if (HL.typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var next = document.getElementById("nav-next"), prev = document.getElementById("nav-prev");
    if (ev.key === "a") { accept(); ev.preventDefault(); }
    else if (ev.key === "r") { openReject(); ev.preventDefault(); }
    else if (ev.key === "e") { openEdit(); ev.preventDefault(); }
    else if ((ev.key === "n" || ev.key === "j") && next) { window.location = next.href; }
    else if ((ev.key === "p" || ev.key === "k") && prev) { window.location = prev.href; }
  });

  // ---- the edit form
  function val(name) { var el = form.elements[name]; return el ? el.value.trim() : ""; }
  function num(name) { var v = val(name); return v === "" ? null : parseInt(v, 10); }
  function changes() {
    var out = {};
    var et = val("event_type") || null, sub = val("sub_event_type") || null;
    out.event_type = et;
    out.sub_event_type = sub;
    out.violations = Array.prototype.slice.call(form.querySelectorAll('input[name="violations"]:checked')).map(function (c) { return c.value; });
    ["actor1", "actor2"].forEach(function (f) {
      var name = val(f);
      if (name) {
        var a = { name: name };
        if (spans[f]) { a.start = spans[f].start; a.end = spans[f].end; }
        out[f] = a;
      }
    });
    if (val("date_start")) {
      var d = { start: val("date_start"), end: val("date_end") || val("date_start"), precision: num("date_precision") || 1 };
      if (spans.date) { d.start_char = spans.date.start; d.end_char = spans.date.end; }
      out.date = d;
    }
    if (val("place_id")) {
      var p = { place_id: val("place_id"), precision: num("place_precision") || 1 };
      if (spans.location) { p.start = spans.location.start; p.end = spans.location.end; }
      out.location = p;
    }
    var counts = {};
    Array.prototype.slice.call(form.querySelectorAll('input[name^="count_"][name$="_min"]')).forEach(function (el) {
      var role = el.name.slice(6, -4);
      var lo = num("count_" + role + "_min"), hi = num("count_" + role + "_max");
      var had = inc.counts[role];
      if (lo === null && hi === null) { if (had) counts[role] = null; return; }
      if (had && had.min === lo && had.max === hi && !spans["count_" + role]) return;
      var c = { min: lo, max: hi };
      var sp = spans["count_" + role];
      if (sp) { c.start = sp.start; c.end = sp.end; }
      counts[role] = c;
    });
    if (Object.keys(counts).length) out.counts = counts;
    var ids = form.querySelectorAll('select[name="quote_identity"]');
    if (ids.length) {
      var changed = false;
      var quotes = inc.quotes.map(function (q, i) {
        var identity = ids[i] ? ids[i].value : q.identity;
        if (identity !== q.identity) changed = true;
        return { start: q.start, end: q.end, speaker: q.speaker, identity: identity };
      });
      if (changed) out.quotes = quotes;
    }
    return out;
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    act("/edit", { changes: changes(), reason: val("reason") || null }, function () { setTimeout(function () { window.location.reload(); }, 300); });
  });
  form.elements.event_type.addEventListener("change", function () {
    var et = val("event_type");
    Array.prototype.slice.call(form.elements.sub_event_type.options).forEach(function (o) {
      o.hidden = !!o.getAttribute("data-type") && o.getAttribute("data-type") !== et;
    });
  });

  // ---- searches: places (gazetteer), actors (alias table)
  async function searchPlaces(q) {
    if (q.length < 2) return;
    var res = await HL.api("GET", "/api/places?q=" + encodeURIComponent(q));
    var sel = form.elements.place_id;
    sel.textContent = "";
    if (!res.items.length) { var none = document.createElement("option"); none.value = ""; none.textContent = "no place named so"; sel.appendChild(none); return; }
    res.items.forEach(function (p) {
      var o = document.createElement("option");
      o.value = p.place_id;
      o.textContent = p.name + (p.admin1 ? ", " + p.admin1 : "") + ", " + p.country + " (" + p.feature + ")";
      sel.appendChild(o);
    });
  }
  var placeTimer = null;
  form.elements.place_q.addEventListener("input", function () {
    clearTimeout(placeTimer);
    var q = form.elements.place_q.value.trim();
    placeTimer = setTimeout(function () { searchPlaces(q).catch(function (e) { HL.status(e.message, true); }); }, 200);
  });
  async function searchActors(q) {
    if (!q) return;
    var res = await HL.api("GET", "/api/actors?q=" + encodeURIComponent(q));
    var list = document.getElementById("actors-list");
    list.textContent = "";
    res.items.forEach(function (a) { var o = document.createElement("option"); o.value = a.name; list.appendChild(o); });
    return res.items;
  }
  ["actor1", "actor2"].forEach(function (f) {
    form.elements[f].addEventListener("input", function () { searchActors(form.elements[f].value.trim()).catch(function () {}); });
  });

  // ---- selecting words in the text
  function offsetOf(node, off) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    while (el && !(el.classList && el.classList.contains("seg"))) el = el.parentElement;
    if (!el) return null;
    return parseInt(el.getAttribute("data-start"), 10) + (node.nodeType === 3 ? off : 0);
  }
  function hideBar() { bar.classList.add("hidden"); selection = null; }
  source.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { hideBar(); return; }
    var r = sel.getRangeAt(0);
    if (!source.contains(r.startContainer) || !source.contains(r.endContainer)) { hideBar(); return; }
    var a = offsetOf(r.startContainer, r.startOffset), b = offsetOf(r.endContainer, r.endOffset);
    if (a === null || b === null || b <= a) { hideBar(); return; }
    var text = sel.toString();
    var lead = text.length - text.replace(/^\s+/, "").length, trail = text.length - text.replace(/\s+$/, "").length;
    selection = { start: a + lead, end: b - trail, text: text.trim() };
    bar.classList.remove("hidden");
  });
  function firstNumber(text) {
    var words = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, dozen: 12 };
    var m = text.replace(/,/g, "").match(/\d+/);
    if (m) return parseInt(m[0], 10);
    var w = text.toLowerCase().match(/[a-z]+/g) || [];
    for (var i = 0; i < w.length; i++) if (words[w[i]]) return words[w[i]];
    return null;
  }
  bar.addEventListener("click", async function (ev) {
    var use = ev.target.getAttribute && ev.target.getAttribute("data-use");
    if (!use || !selection) return;
    var s = selection;
    form.classList.remove("hidden");
    if (use === "location") {
      spans.location = s;
      form.elements.place_q.value = s.text;
      await searchPlaces(s.text);
      HL.status("Pick the place, then Save.");
      form.elements.place_id.focus();
    } else if (use === "actor1" || use === "actor2") {
      spans[use] = s;
      form.elements[use].value = s.text;
      var found = await searchActors(s.text);
      if (found && found.length) form.elements[use].value = found[0].name;
      form.elements[use].focus();
    } else if (use === "killed") {
      spans.count_killed = s;
      var n = firstNumber(s.text);
      form.elements.count_killed_min.value = n === null ? "" : n;
      form.elements.count_killed_max.value = n === null ? "" : n;
      form.elements.count_killed_min.focus();
    } else if (use === "date") {
      spans.date = s;
      form.elements.date_start.focus();
    } else if (use === "protect") {
      try {
        await HL.api("POST", "/api/documents/" + encodeURIComponent(inc.doc_id) + "/protect", { start: s.start, end: s.end, kind: "name" });
        HL.status("Marked protected: masked for viewers and in public exports.");
      } catch (e) { HL.status(e.message, true); }
    } else if (use === "add") {
      try {
        var res = await HL.api("POST", "/api/documents/" + encodeURIComponent(inc.doc_id) + "/incidents", { start: s.start, end: s.end, changes: { event_type: val("event_type") || null } });
        window.location = "/incidents/" + encodeURIComponent(res.incident_id);
      } catch (e) { HL.status(e.message, true); }
    }
    bar.classList.add("hidden");
  });
})();
