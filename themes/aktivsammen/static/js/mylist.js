/* as-mylist: "Min liste", activities a professional or a relative collects to print or pass on.
   The list is slugs in localStorage (no account, nothing leaves the browser). This file keeps
   the list, the "Føj til min liste" buttons (on activity pages, and added to every card with
   data-slug, also cards the search draws later) and the count in the menu; it says what
   happened in a status line. The list page itself is mylist-page.js. */
(function () {
  "use strict";
  var KEY = "aktivsammen.minListe";
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var MAX = 60;
  var memory = [];  // used when the browser refuses storage (private mode, full disk)
  var stored = true;  // false once saving failed: from then on the list in memory is the list

  function clean(slugs) {
    var seen = {};
    return slugs.filter(function (slug) {
      if (typeof slug !== "string" || !SLUG.test(slug) || seen[slug]) { return false; }
      seen[slug] = true;
      return true;
    }).slice(0, MAX);
  }

  function read() {
    if (!stored) { return memory.slice(); }
    try {
      var value = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return clean(Array.isArray(value) ? value : []);
    } catch (error) {
      return memory.slice();
    }
  }

  function write(slugs) {
    memory = clean(slugs);
    try { window.localStorage.setItem(KEY, JSON.stringify(memory)); } catch (error) { stored = false; }
    refresh();
    return memory;
  }

  function countText(count) {
    return count === 1 ? "1 aktivitet" : count + " aktiviteter";
  }

  // --- Buttons ---------------------------------------------------------------------

  function label(button, on, title) {
    button.textContent = on ? "Fjern fra min liste" : "Føj til min liste";
    if (title) {
      var hidden = document.createElement("span");
      hidden.className = "as-visually-hidden";
      hidden.textContent = ": " + title;
      button.appendChild(hidden);
    }
    button.classList.toggle("as-mylist-toggle--on", on);
  }

  function owner(button) { return button.closest("[data-slug]"); }

  function titleOf(item) {
    var link = item.querySelector(".as-card__link");
    return item.getAttribute("data-title") || (link ? link.textContent.trim() : "");
  }

  function enhanceCards() {
    var added = 0;
    Array.prototype.forEach.call(document.querySelectorAll(".as-card[data-slug]"), function (card) {
      if (card.querySelector("[data-mylist-toggle]")) { return; }
      added += 1;
      var wrap = document.createElement("div");
      wrap.className = "as-card__actions as-no-print";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "as-button as-button--secondary as-mylist-toggle";
      button.setAttribute("data-mylist-toggle", "");
      button.setAttribute("data-mylist-named", "");  // several on a page: the title in its name
      wrap.appendChild(button);
      card.appendChild(wrap);
    });
    if (added) { refresh(); }
  }

  function refresh() {
    var slugs = read();
    Array.prototype.forEach.call(document.querySelectorAll("[data-mylist-toggle]"), function (button) {
      var item = owner(button);
      if (!item) { return; }
      var on = slugs.indexOf(item.getAttribute("data-slug")) !== -1;
      if (button.getAttribute("data-state") === String(on)) { return; }
      button.setAttribute("data-state", String(on));
      label(button, on, button.hasAttribute("data-mylist-named") ? titleOf(item) : "");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-mylist-count]"), function (count) {
      count.textContent = slugs.length ? " (" + slugs.length + ")" : "";
    });
  }

  // --- Messages --------------------------------------------------------------------

  var announcer;
  function announce(text, item) {
    var local = item && item.querySelector("[data-mylist-message]");
    if (local) {
      local.textContent = text + " ";
      var link = document.createElement("a");
      link.href = item.getAttribute("data-list-url");
      link.textContent = "Se min liste";
      local.appendChild(link);
      return;
    }
    announcer.textContent = text;
  }

  function toggle(button) {
    var item = owner(button);
    var slug = item.getAttribute("data-slug");
    var slugs = read();
    var title = titleOf(item);
    var at = slugs.indexOf(slug);
    if (at === -1) {
      slugs = write(slugs.concat([slug]));
      if (slugs.indexOf(slug) === -1) {
        announce("Listen er fuld (" + MAX + " aktiviteter). Fjern nogle, før du tilføjer flere.", item);
        return;
      }
      announce(title + " er føjet til din liste. Du har " + countText(slugs.length) + " på listen.", item);
    } else {
      slugs.splice(at, 1);
      slugs = write(slugs);
      announce(title + " er fjernet fra din liste. Du har " + countText(slugs.length) + " på listen.", item);
    }
  }

  function init() {
    announcer = document.createElement("p");
    announcer.className = "as-visually-hidden";
    announcer.setAttribute("role", "status");
    announcer.setAttribute("data-mylist-announcer", "");
    (document.querySelector("main") || document.body).appendChild(announcer);
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-mylist-toggle]");
      if (button && owner(button)) { toggle(button); }
    });
    window.addEventListener("storage", function (event) { if (event.key === KEY) { refresh(); } });
    enhanceCards();
    refresh();
    var main = document.querySelector("main");
    if (main && window.MutationObserver) {
      new MutationObserver(function (changes) {
        if (changes.some(function (change) { return change.addedNodes.length; })) { enhanceCards(); }
      }).observe(main, { childList: true, subtree: true });
    }
  }

  window.asMyList = { read: read, write: write, clean: clean, countText: countText, refresh: refresh, MAX: MAX };
  init();
})();
