/* Finished activities on a page built earlier: hide their cards in lists and mark their own
   page, by today's date in the reader's browser. The next build removes them for good; this
   covers the days between. Runs before filters.js, which then counts only what is shown. */
(function () {
  "use strict";
  if (!window.asNextDates) { return; }
  var today = window.asNextDates.today;  // the reader's day, as next-dates.js (loaded before) has it

  Array.prototype.forEach.call(document.querySelectorAll("[data-ends]"), function (element) {
    if (element.getAttribute("data-ends") >= today) { return; }
    if (element.matches("[data-filter-item]")) {
      element.hidden = true;
      element.removeAttribute("data-filter-item");
    } else {
      var notice = element.querySelector("[data-expired-notice]");
      if (notice) { notice.hidden = false; }
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-group]"), function (group) {
    group.hidden = !group.querySelector("[data-filter-item]");
  });
})();
