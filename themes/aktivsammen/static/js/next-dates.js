/* as-next: next dates on a page built before today. The build writes each activity's next
   meetings as of its own day (components/next_dates.html); a page read days later drops those
   already past, by today's date in the reader's browser, so "Næste gang" stays true between
   nightly builds. Min liste and the search results use asNextDates.upcoming on their JSON. */
(function () {
  "use strict";
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());

  /* [[ISO day, text], ...] -> those from today on. */
  function upcoming(pairs) {
    return (pairs || []).filter(function (pair) { return pair[0] >= today; });
  }
  window.asNextDates = { today: today, upcoming: upcoming };

  Array.prototype.forEach.call(document.querySelectorAll("[data-next-dates]"), function (box) {
    var shown = Number(box.getAttribute("data-next-dates"));
    var days = Array.prototype.filter.call(box.querySelectorAll("[data-day]"), function (item) {
      if (item.getAttribute("data-day") >= today) { return true; }
      item.parentNode.removeChild(item);
      return false;
    });
    var pause = box.querySelector("[data-until]");
    if (pause && pause.getAttribute("data-until") <= today) { pause.hidden = true; }
    var toggle = function (selector, show) {
      Array.prototype.forEach.call(box.querySelectorAll(selector), function (part) { part.hidden = !show; });
    };
    toggle("[data-next-some]", days.length > 0);  // "Næste gang: …"
    toggle("[data-next-more]", days.length > 1);  // "Derefter:" and its list
    var none = box.querySelector("[data-next-none]");
    if (none) { none.hidden = days.length > 0; }
    if (!days.length) { return; }
    box.querySelector("[data-next-first]").textContent = days[0].textContent;
    days.forEach(function (item, i) { item.hidden = i === 0 || i >= shown; });
  });
})();
