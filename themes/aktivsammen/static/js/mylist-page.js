/* as-mylist: the /min-liste/ page. Shows the list kept by mylist.js, one block per activity
   (from aktivitet/<slug>/data.json), with remove buttons, printing and a link that opens the
   same list elsewhere (/min-liste/?a=slug,slug). A link opened where no list is kept becomes
   the list there; where another list is kept, it is shown and kept only when asked. */
(function () {
  "use strict";
  var root = document.querySelector('[data-module="as-mylist"]');
  var store = window.asMyList;
  if (!root || !store || !window.fetch || !window.Promise || !window.URLSearchParams) { return; }

  var status = root.querySelector("[data-mylist-status]");
  var items = root.querySelector("[data-mylist-items]");
  var heading = root.querySelector("[data-mylist-heading]");
  var empty = root.querySelector("[data-mylist-empty]");
  var tools = root.querySelector("[data-mylist-tools]");
  var sharedBox = root.querySelector("[data-mylist-shared]");
  var linkField = root.querySelector("[data-mylist-link]");
  var mail = root.querySelector("[data-mylist-mail]");
  var copied = root.querySelector("[data-mylist-copied]");
  var dataUrl = root.getAttribute("data-data-url");
  var records = {};  // slug -> record, or null when the activity no longer exists (a 404)

  // The list shown: the shared one while ?a= is in the address and differs from this device's.
  var params = new URLSearchParams(location.search);
  var shared = params.has("a") ? store.clean(params.get("a").split(",")) : null;
  var adopted = false;
  if (shared) {
    var own = store.read();
    if (!own.length || own.join(",") === shared.join(",")) {
      store.write(shared);
      shared = null;
      adopted = true;
      history.replaceState(null, "", location.pathname);
    }
  }

  function current() { return shared || store.read(); }

  function setCurrent(slugs) {
    if (shared) {
      shared = store.clean(slugs);
      history.replaceState(null, "", location.pathname + "?a=" + shared.join(","));
    } else {
      store.write(slugs);
    }
  }

  function shareLink(slugs) {
    return location.href.split(/[?#]/)[0] + "?a=" + slugs.join(",");
  }

  function load(slug) {
    if (slug in records) { return Promise.resolve(records[slug]); }
    // Only a 404 means the activity is gone; offline or a server error is not remembered, so
    // the next render tries again (undefined: could not be fetched now).
    return fetch(dataUrl.replace("{slug}", slug))
      .then(function (response) {
        if (response.status === 404) { return null; }
        return response.ok ? response.json() : undefined;
      })
      .catch(function () { return undefined; })
      .then(function (record) {
        if (record !== undefined) { records[slug] = record; }
        return record;
      });
  }

  function fill(element, lines) {
    element.textContent = "";
    lines.forEach(function (line, i) {
      if (i) { element.appendChild(document.createElement("br")); }
      element.appendChild(typeof line === "string" ? document.createTextNode(line) : line);
    });
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function contactLines(contact) {
    // As on the area overviews: "Name, tlf. 12 34 56 78", then the e-mail address.
    var lines = [];
    var first = document.createElement("span");
    if (contact.name) { first.appendChild(document.createTextNode(contact.name + (contact.phone ? ", " : ""))); }
    if (contact.phone) {
      first.appendChild(document.createTextNode("tlf. "));
      first.appendChild(link(contact.tel, contact.phone));
    }
    if (first.childNodes.length) { lines.push(first); }
    if (contact.email) { lines.push(link("mailto:" + contact.email, contact.email)); }
    return lines;
  }

  function dateLines(dates) {
    // As on the activity page: the pause, the next meeting (by today), the closures, "ring first".
    if (!dates) { return []; }
    var coming = window.asNextDates ? window.asNextDates.upcoming(dates.next) : dates.next;
    var lines = [dates.pause, coming.length ? "Næste gang: " + coming[0][1] + "." : null, dates.course, dates.closures];
    if (dates.call_first) {
      var strong = document.createElement("strong");
      strong.textContent = dates.call_first;
      lines.push(strong);
    }
    return lines.filter(Boolean);
  }

  function block(slug, record) {
    var name = record ? "item" : record === null ? "missing" : "unreachable";
    var item = root.querySelector('template[data-template="' + name + '"]').content.firstElementChild.cloneNode(true);
    item.setAttribute("data-slug", slug);
    var slot = function (key) { return item.querySelector('[data-slot="' + key + '"]'); };
    if (!record) {
      slot("slug").textContent = slug;
      return item;
    }
    var title = slot("link");
    title.href = root.getAttribute("data-activity-url").replace("{slug}", slug);
    title.textContent = record.title;
    if (record.notice) {
      slot("notice").textContent = record.notice + ".";
      slot("notice").hidden = false;
    }
    slot("summary").textContent = record.summary;
    fill(slot("when"), record.when.concat(dateLines(record.dates)));
    fill(slot("where"), [record.where.join(", ")]);
    fill(slot("contact"), contactLines(record.contact));
    slot("remove-name").textContent = ": " + record.title;
    slot("address").textContent = record.address.replace(/^https?:\/\//, "");
    if (window.asQr) { window.asQr.draw(slot("qr"), record.address); }
    return item;
  }

  function say(text) { status.textContent = text; }

  function render(message, focus) {
    var slugs = current();
    return Promise.all(slugs.map(load)).then(function (found) {
      var fragment = document.createDocumentFragment();
      slugs.forEach(function (slug, i) { fragment.appendChild(block(slug, found[i])); });
      items.textContent = "";
      items.appendChild(fragment);
      var count = slugs.length;
      empty.hidden = count > 0;
      tools.hidden = heading.hidden = count === 0;
      sharedBox.hidden = !shared;
      linkField.value = shareLink(slugs);
      mail.href = "mailto:?subject=" + encodeURIComponent("Aktiviteter fra " + root.getAttribute("data-site-name")) +
        "&body=" + encodeURIComponent("Her er min liste over aktiviteter:\n" + shareLink(slugs));
      heading.textContent = "Aktiviteterne på listen (" + count + ")";
      var summary = count === 0 ? "Din liste er tom." : "Der er " + store.countText(count) + " på listen.";
      say(message ? message + " " + summary : summary);
      if (focus) { focus(); }
    });
  }

  items.addEventListener("click", function (event) {
    var button = event.target.closest("[data-mylist-remove]");
    if (!button) { return; }
    var item = button.closest("[data-slug]");
    var slug = item.getAttribute("data-slug");
    var next = item.nextElementSibling || item.previousElementSibling;
    var nextSlug = next && next.getAttribute("data-slug");
    var title = records[slug] ? records[slug].title : "Aktiviteten";
    setCurrent(current().filter(function (s) { return s !== slug; }));
    render(title + " er fjernet fra listen.", function () {
      // Keep the keyboard where it was: on the next item's button, or on the empty message.
      var target = nextSlug && items.querySelector('[data-slug="' + nextSlug + '"] [data-mylist-remove]');
      (target || empty).focus();
    });
  });

  root.querySelector("[data-mylist-print]").addEventListener("click", function () { window.print(); });

  root.querySelector("[data-mylist-keep]").addEventListener("click", function () {
    var slugs = shared;
    shared = null;
    store.write(slugs);
    history.replaceState(null, "", location.pathname);
    render("Listen er gemt som din liste på denne enhed.", function () { status.focus(); });
  });

  root.querySelector("[data-mylist-copy]").addEventListener("click", function () {
    function done() { copied.textContent = "Linket er kopieret. Sæt det ind i en e-mail eller en besked."; }
    function fallback() {
      linkField.select();
      try { document.execCommand("copy"); done(); } catch (error) { copied.textContent = "Markér linket, og kopiér det."; }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(linkField.value).then(done, fallback);
    } else {
      fallback();
    }
  });

  window.addEventListener("storage", function () { if (!shared) { render(""); } });

  status.setAttribute("tabindex", "-1");
  render(adopted ? "Listen fra linket er gemt på denne enhed." : "");
})();
