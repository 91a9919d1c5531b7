/* as-print: a "Udskriv" button for professionals handing a citizen one activity on paper. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll('[data-module="as-print"]'), function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
