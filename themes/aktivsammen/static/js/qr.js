/* as-qr: QR codes for paper. Draws an SVG for every [data-qr="https://..."] element with
   qrcode-generator (npm, copied in by the handouts plugin). The address is always printed as
   text next to the code, so the code is hidden from screen readers. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var QUIET = 4;  // modules of white around the code, as the standard asks

  function draw(element, text) {
    if (!window.qrcode) { return; }
    var code = window.qrcode(0, "M");
    code.addData(text);
    code.make();
    var count = code.getModuleCount();
    var path = [];
    for (var row = 0; row < count; row++) {
      for (var col = 0; col < count; col++) {
        if (code.isDark(row, col)) { path.push("M" + (col + QUIET) + " " + (row + QUIET) + "h1v1h-1z"); }
      }
    }
    var size = count + 2 * QUIET;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("class", "as-qr__code");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("shape-rendering", "crispEdges");
    var background = document.createElementNS(SVG, "rect");
    background.setAttribute("width", String(size));
    background.setAttribute("height", String(size));
    background.setAttribute("fill", "#fff");
    var modules = document.createElementNS(SVG, "path");
    modules.setAttribute("d", path.join(""));
    modules.setAttribute("fill", "#000");
    svg.appendChild(background);
    svg.appendChild(modules);
    element.textContent = "";
    element.appendChild(svg);
    element.setAttribute("data-qr-drawn", "");
  }

  function drawAll(scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll("[data-qr]"), function (element) {
      draw(element, element.getAttribute("data-qr"));
    });
  }

  window.asQr = { draw: draw, drawAll: drawAll };
  drawAll();
})();
