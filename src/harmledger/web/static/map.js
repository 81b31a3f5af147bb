// Map (Leaflet, country outlines from Natural Earth shipped in the package; tiles only
// when a tile URL is configured) and a weekly timeline, both following the filters.
"use strict";
(function () {
  var el = document.getElementById("map");
  if (!el) return;
  var query = el.getAttribute("data-query");
  var status = document.getElementById("map-status");
  var map = L.map(el, { worldCopyJump: true }).setView([33.5, 43], 5);
  var tiles = el.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "", maxZoom: 18 }).addTo(map);
  }
  fetch("/static/vendor/world-atlas/countries-110m.json").then(function (r) { return r.json(); }).then(function (topo) {
    var countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, { style: { color: "#8a8f98", weight: 1, fillColor: "#eef0f3", fillOpacity: 1 }, interactive: false }).addTo(map).bringToBack();
  });
  HL.api("GET", "/api/map?" + query).then(function (fc) {
    var layer = L.geoJSON(fc, {
      pointToLayer: function (f, latlng) {
        var k = f.properties.killed || 0;
        return L.circleMarker(latlng, { radius: 4 + Math.min(14, Math.sqrt(k) * 2), color: "#9b1c1c", weight: 1, fillOpacity: 0.55, className: "incident-marker" });
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        var box = document.createElement("div");
        var a = document.createElement("a");
        a.href = "/incidents/" + encodeURIComponent(p.incident_id);
        a.textContent = (p.event_type || "incident") + (p.place ? " in " + p.place : "");
        box.appendChild(a);
        var line = document.createElement("div");
        line.textContent = (p.date || "undated") + " · killed " + p.killed;
        box.appendChild(line);
        layer.bindPopup(box);
      },
    }).addTo(map);
    status.textContent = fc.features.length + " incident(s) with coordinates on the map.";
    if (fc.features.length) map.fitBounds(layer.getBounds().pad(0.2), { maxZoom: 9 });
  }).catch(function (e) { status.textContent = e.message; });

  // timeline: an SVG of incidents (bars) and killed (line) per week
  var tl = document.getElementById("timeline");
  HL.api("GET", "/api/timeline?" + tl.getAttribute("data-query")).then(function (res) {
    var weeks = res.weeks;
    if (!weeks.length) { tl.textContent = "No dated incident."; return; }
    var ns = "http://www.w3.org/2000/svg", W = Math.max(600, tl.clientWidth || 900), H = 180, pad = 30;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("class", "timeline-svg");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "incidents and killed per week");
    var maxN = Math.max.apply(null, weeks.map(function (w) { return w.incidents; })) || 1;
    var maxK = Math.max.apply(null, weeks.map(function (w) { return w.killed; })) || 1;
    var bw = (W - 2 * pad) / weeks.length;
    var points = [];
    weeks.forEach(function (w, i) {
      var h = (H - 2 * pad) * w.incidents / maxN;
      var r = document.createElementNS(ns, "rect");
      r.setAttribute("x", pad + i * bw); r.setAttribute("y", H - pad - h);
      r.setAttribute("width", Math.max(1, bw - 1)); r.setAttribute("height", h);
      r.setAttribute("class", "bar");
      var t = document.createElementNS(ns, "title");
      t.textContent = "week of " + w.week + ": " + w.incidents + " incident(s), " + w.killed + " killed";
      r.appendChild(t);
      svg.appendChild(r);
      points.push((pad + i * bw + bw / 2) + "," + (H - pad - (H - 2 * pad) * w.killed / maxK));
    });
    var line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.join(" "));
    line.setAttribute("class", "killed-line");
    svg.appendChild(line);
    [[weeks[0].week, pad], [weeks[weeks.length - 1].week, W - pad - 70]].forEach(function (lab) {
      var tx = document.createElementNS(ns, "text");
      tx.setAttribute("x", lab[1]); tx.setAttribute("y", H - 8); tx.textContent = lab[0];
      svg.appendChild(tx);
    });
    var legend = document.createElementNS(ns, "text");
    legend.setAttribute("x", pad); legend.setAttribute("y", 16);
    legend.textContent = "bars: incidents (max " + maxN + ") · line: killed (max " + maxK + ")";
    svg.appendChild(legend);
    tl.appendChild(svg);
  }).catch(function (e) { tl.textContent = e.message; });
})();
