// The fused incident page: merge and split buttons call the API (Fuser).
"use strict";
(function () {
  var form = document.getElementById("merge-form");
  if (!form) return;
  var fused = form.getAttribute("data-fused");
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    try {
      var res = await HL.api("POST", "/api/fused/merge", { ids: [fused, form.elements.other.value.trim()], note: form.elements.note.value || null });
      window.location = "/fused/" + encodeURIComponent(res.fused[0]);
    } catch (e) { HL.status(e.message, true); }
  });
  async function split(ids) {
    try {
      var res = await HL.api("POST", "/api/fused/" + encodeURIComponent(fused) + "/split", { incident_ids: ids, note: form.elements.note.value || null });
      HL.status("Split into " + res.fused.length + " fused incidents.");
      window.location = "/fused/" + encodeURIComponent(res.fused[0]);
    } catch (e) { HL.status(e.message, true); }
  }
  Array.prototype.slice.call(document.querySelectorAll(".split-one")).forEach(function (b) {
    b.addEventListener("click", function () { split([b.getAttribute("data-incident")]); });
  });
  var all = document.querySelector(".split-all");
  if (all) all.addEventListener("click", function () { split([]); });
})();
