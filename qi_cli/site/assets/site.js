/* qi site: search, filters and sorting, on top of pages that work without them. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.querySelector("table[data-sortable]");
  var items = Array.prototype.slice.call(
    document.querySelectorAll("#projects tbody tr, [data-item]"));
  var count = document.getElementById("count");
  var search = document.getElementById("q");
  var index = {};
  (window.QI_INDEX || []).forEach(function (e) { index[e.slug] = e.text; });

  function words(text) {
    return (text || "").toLowerCase().split(/\s+/).filter(Boolean);
  }
  function textOf(item) {
    var slug = item.getAttribute("data-slug");
    if (slug && index[slug] !== undefined) { return index[slug]; }
    if (item._text === undefined) { item._text = item.textContent.toLowerCase(); }
    return item._text;
  }
  function matches(item, select) {
    var want = select.value;
    if (!want) { return true; }
    var have = item.getAttribute("data-" + select.getAttribute("data-filter")) || "";
    var how = select.getAttribute("data-match");
    if (how === "word") { return (" " + have + " ").indexOf(" " + want + " ") >= 0; }
    if (how === "stale") {
      if (want === "none") { return have === ""; }
      if (have === "") { return false; }
      if (want === "recent") { return Number(have) < 90; }
      return Number(have) >= Number(want);
    }
    return have === want;
  }
  function apply() {
    var query = search ? words(search.value) : [];
    var selects = form ? Array.prototype.slice.call(form.querySelectorAll("select")) : [];
    var shown = 0;
    items.forEach(function (item) {
      var text = query.length ? textOf(item) : "";
      var ok = query.every(function (w) { return text.indexOf(w) >= 0; }) &&
        selects.every(function (s) { return matches(item, s); });
      item.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll("[data-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-item]:not([hidden])");
    });
    remember(query.length ? search.value : "", selects);
    if (count) {
      count.textContent = shown + " of " + items.length + " shown.";
    }
  }
  function remember(query, selects) {
    // the address keeps the filters, so a filtered list can be bookmarked or sent
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    selects.forEach(function (s) { if (s.value) { params.set(s.name, s.value); } });
    var text = params.toString();
    try {
      window.history.replaceState(null, "", text ? "?" + text : window.location.pathname);
    } catch (e) { /* some browsers refuse this on file:// pages; the filters still work */ }
  }
  function setUp() {
    if (!form) { return; }
    form.hidden = false;
    var params = new URLSearchParams(window.location.search);
    form.querySelectorAll("select").forEach(function (s) {
      var want = params.get(s.name);
      if (want !== null) { s.value = want; }
      s.addEventListener("change", apply);
    });
    if (search) {
      if (params.get("q")) { search.value = params.get("q"); }
      search.addEventListener("input", apply);
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    if (params.toString()) { apply(); }
  }
  function sortBy(th) {
    var key = th.getAttribute("data-sort");
    var number = th.getAttribute("data-type") === "number";
    var up = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.getAttribute("data-" + key) || "", y = b.getAttribute("data-" + key) || "";
      var c;
      if (number) {
        c = (x === "" ? -Infinity : Number(x)) - (y === "" ? -Infinity : Number(y));
      } else {
        c = x.localeCompare(y);
      }
      return up ? c : -c;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }
  function sortable() {
    if (!table) { return; }
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      button.setAttribute("aria-label", "Sort by " + th.textContent);
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(th); });
    });
  }
  setUp();
  sortable();
})();
