/* as-filters: narrows a list of [data-filter-item] cards by weekday, area and flags.
   Progressive enhancement: the full list is there without JavaScript. */
(function () {
  "use strict";

  function checkedValues(form, name) {
    return Array.prototype.filter.call(form.elements[name] || [], function (input) {
      return input.checked;
    }).map(function (input) { return input.value; });
  }

  function words(element, name) {
    return (element.getAttribute("data-" + name) || "").split(" ").filter(Boolean);
  }

  function anyIn(wanted, present) {
    return wanted.length === 0 || wanted.some(function (value) { return present.indexOf(value) !== -1; });
  }

  function allIn(wanted, present) {
    return wanted.every(function (value) { return present.indexOf(value) !== -1; });
  }

  function init(form) {
    if (form.hasAttribute("action")) { return; } // a search form: the search client handles it
    var scope = form.parentNode;
    var items = scope.querySelectorAll("[data-filter-item]");
    var status = form.querySelector("[data-filter-status]");

    function apply() {
      var days = checkedValues(form, "dag");
      var flags = checkedValues(form, "vis");
      var area = form.elements.omraade ? form.elements.omraade.value : "";
      var shown = 0;
      Array.prototype.forEach.call(items, function (item) {
        var match = anyIn(days, words(item, "days")) && allIn(flags, words(item, "flags")) &&
          (!area || item.getAttribute("data-area") === area);
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = shown === items.length
        ? "Viser alle " + items.length + " aktiviteter"
        : "Viser " + shown + " af " + items.length + " aktiviteter";
    }

    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-module="as-filters"]'), init);
})();
