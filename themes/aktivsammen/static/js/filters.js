/* as-filters: narrows a list of [data-filter-item] cards by the form's facet groups.
   Each card lists its values per group in data-f-<group> ("tirsdag torsdag"). Within a group
   any checked value matches; for "vis" (gratis, nye, ledsager) and "tilg" (step-free …) every
   checked value must, as on the search page. The choices are kept in the address (?dag=tirsdag),
   so reload, back and a shared link show the same list, and carried over to the links to the
   areas nearby (data-keep-filters).
   Progressive enhancement: the full list is there without JavaScript. */
(function () {
  "use strict";
  var ALL_REQUIRED = { vis: true, tilg: true };

  function fromAddress(form) {
    if (!window.URLSearchParams) { return; }
    var params = new URLSearchParams(location.search);
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || !params.has(input.name)) { return; }
      var wanted = params.getAll(input.name);
      if (input.type === "checkbox") { input.checked = wanted.indexOf(input.value) !== -1; }
      else if (input.tagName === "SELECT") { input.value = wanted[0]; }
      var more = input.closest && input.closest("details");
      if (more && (input.checked || input.tagName === "SELECT")) { more.open = true; }  // show what is chosen
    });
  }

  function toAddress(chosen) {
    if (!window.URLSearchParams || !window.history || !history.replaceState) { return; }
    var params = new URLSearchParams();
    Object.keys(chosen).forEach(function (name) {
      chosen[name].forEach(function (value) { params.append(name, value); });
    });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    // "Områder tæt på": the same choices in the next area.
    Array.prototype.forEach.call(document.querySelectorAll("a[data-keep-filters]"), function (link) {
      link.href = link.href.split("?")[0] + (query ? "?" + query : "");
    });
  }

  function choices(form) {
    var chosen = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || !input.value) { return; }
      if (input.type === "checkbox" && !input.checked) { return; }
      (chosen[input.name] = chosen[input.name] || []).push(input.value);
    });
    return chosen;
  }

  function matches(item, chosen) {
    return Object.keys(chosen).every(function (group) {
      var values = (item.getAttribute("data-f-" + group) || "").split(" ");
      var has = function (value) { return values.indexOf(value) !== -1; };
      return ALL_REQUIRED[group] ? chosen[group].every(has) : chosen[group].some(has);
    });
  }

  function init(form) {
    if (form.hasAttribute("action")) { return; } // the search page's form: search.js runs it
    var scope = form.parentNode;
    var items = scope.querySelectorAll("[data-filter-item]");
    var groups = scope.querySelectorAll("[data-filter-group]");
    var status = form.querySelector("[data-filter-status]");

    function apply() {
      var chosen = choices(form);
      toAddress(chosen);
      var shown = 0;
      Array.prototype.forEach.call(items, function (item) {
        item.hidden = !matches(item, chosen);
        if (!item.hidden) { shown += 1; }
      });
      Array.prototype.forEach.call(groups, function (group) {
        group.hidden = !group.querySelector("[data-filter-item]:not([hidden])");
      });
      status.textContent = shown === items.length
        ? "Viser alle " + items.length + " aktiviteter"
        : "Viser " + shown + " af " + items.length + " aktiviteter";
    }

    fromAddress(form);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-module="as-filters"]'), init);
})();
