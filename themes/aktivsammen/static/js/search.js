/* as-search: the search page.
   Loads the head of the prebuilt lunr index and document store (built in Python at build time;
   a query then fetches the shards of the index and the chunks of the store it needs), searches as
   people type (debounced) and on submit, narrows by facets with counts, and keeps the state in
   the address (/soeg/?q=svømning&omraade=jelling&dag=tirsdag) so back, reload and sharing work.
   What people type becomes a lunr query in search-query.js.
   "Tæt på" (?naer=Jelling&km=5) sorts by distance from a place the reader names, or from the
   device's position when they press "Brug min placering"; that position stays in this page (not
   in the address, not sent anywhere). Places are the areas' centres and names from the build;
   an activity is at its place's coordinates, else at its area's centre. */
(function () {
  "use strict";

  var root = document.querySelector('[data-module="as-search"]');
  if (!root || !window.lunr || !window.asSearchQuery || !window.fetch || !window.URLSearchParams) { return; }

  var PAGE_SIZE = 30;
  var DEBOUNCE_MS = 300;
  // Facet name in the address -> field of the document store; "bits" fields are bit masks.
  var FACETS = {
    omraade: { field: "area" }, dag: { field: "days", bits: true }, tid: { field: "times", bits: true },
    vis: { field: "flags", bits: true, all: true }, kategori: { field: "categories" },
    niveau: { field: "level" }, tilg: { field: "accessibility", all: true }, maal: { field: "targets" }
  };

  var textForm = root.querySelector("form.as-search");
  var input = textForm.elements.q;
  var facetForm = root.querySelector('form[data-module="as-filters"]');
  var section = root.querySelector("[data-search-results-section]");
  var filtersBox = root.querySelector("[data-search-filters]");
  var filterCount = root.querySelector("[data-search-filter-count]");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var empty = root.querySelector("[data-search-empty]");
  var removeList = root.querySelector("[data-search-remove]");
  var activityUrl = root.getAttribute("data-activity-url");
  var nearInput = facetForm.elements.naer;
  var kmSelect = facetForm.elements.km;
  var locateButton = root.querySelector("[data-search-locate]");
  var nearStatus = root.querySelector("[data-search-near-status]");
  var nearbyBox = root.querySelector("[data-search-nearby]");
  var nearbyList = root.querySelector("[data-search-nearby-list]");
  var MY_POSITION = "Min placering";  // what the place field says while the device's position is used
  var FEW = Number(root.getAttribute("data-few"));  // fewer in one area: offer the nearby (geo.py)

  var data, searcher, stopWords, field = {}, state, results = [], shown = PAGE_SIZE, timer;
  var corrected = null;  // the site's own word searched for instead of what was typed
  var located = null;  // [latitude, longitude] of the device, once the reader asked for it
  var origin = null;  // {point, label, typed}: where distances are measured from, if anywhere
  var distances = [];  // km from origin, by document

  // --- Tæt på ---------------------------------------------------------------------

  function distanceKm(a, b) {  // as aktivsammen/geo.py: haversine
    var rad = Math.PI / 180, dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371 * Math.asin(Math.sqrt(h));
  }

  function distanceText(km) { return km < 1 ? "under 1 km" : "ca. " + Math.round(km) + " km"; }

  function pointOf(doc) { return doc[field.point] || data.centres[doc[field.area]]; }

  /* What the reader typed as a place -> {point, label, typed}, else null: a name or postcode the
     guide knows ("7300 Jelling" too), or the nearest name to a misspelt one. */
  function placeFor(text) {
    var key = text.trim().toLowerCase().replace(/\s+/g, " ");
    if (!key) { return null; }
    var code = key.match(/^\d{4}\b/);
    var name = data.places[key] ? key : code && data.places[code[0]] ? code[0]
      : asSearchQuery.nearest(key, Object.keys(data.places));
    if (!name) { return null; }
    return { point: data.places[name], label: placeLabels[name] || name, typed: name === key || name === (code && code[0]) ? null : text.trim() };
  }

  var placeLabels = {};  // lower case -> as written, from the choices the page offers
  Array.prototype.forEach.call(root.querySelectorAll("#facet-steder option"), function (option) {
    placeLabels[option.value.toLowerCase()] = option.value;
  });

  function findOrigin() {
    origin = null;
    nearStatus.textContent = "";
    if (state.near === MY_POSITION && located) {
      origin = { point: located, label: "din placering", typed: null };
    } else if (state.near.trim()) {
      origin = placeFor(state.near);
      if (!origin) {
        nearStatus.textContent = "Vi kender ikke stedet \u201d" + state.near.trim() + "\u201d. Skriv en by, en bydel eller et postnummer i kommunen, fx Jelling eller 7300.";
      }
    }
    if (origin) {
      nearStatus.textContent = "Afstande i fugleflugt fra " + origin.label +
        (origin.typed ? " (du skrev \u201d" + origin.typed + "\u201d)" : "") + ".";
    }
    distances = origin ? data.docs.map(function (doc) { return distanceKm(origin.point, pointOf(doc)); }) : [];
  }

  function withinReach(i) { return !origin || !state.km || distances[i] < state.km; }

  function locate() {
    nearStatus.textContent = "Finder din placering \u2026";
    navigator.geolocation.getCurrentPosition(function (position) {
      located = [position.coords.latitude, position.coords.longitude];
      nearInput.value = MY_POSITION;
      state = stateFromForms();
      remember(true);
      run();
    }, function (error) {
      nearStatus.textContent = error.code === 1
        ? "Du har ikke givet lov til at bruge din placering. Skriv en by eller et postnummer i stedet."
        : "Vi kunne ikke finde din placering. Skriv en by eller et postnummer i stedet.";
    }, { timeout: 15000, maximumAge: 600000 });
  }

  /* One area chosen and few found: the nearest other areas, with what the same search finds there. */
  function showNearbyAreas(candidates) {
    nearbyList.innerHTML = "";
    var chosen = state.facets.omraade;
    nearbyBox.hidden = !(chosen.length === 1 && results.length < FEW);
    if (nearbyBox.hidden) { return; }
    var here = data.centres[chosen[0]];
    var others = data.centres.map(function (centre, i) { return { area: i, km: distanceKm(here, centre) }; })
      .filter(function (o) { return o.area !== chosen[0]; })
      .sort(function (a, b) { return a.km - b.km; }).slice(0, 3);
    others.forEach(function (other) {
      var facetsThere = Object.assign({}, state.facets, { omraade: [other.area] });
      var count = candidates.filter(function (i) { return matches(data.docs[i], facetsThere); }).length;
      var item = document.createElement("li");
      item.className = "as-nearby__item";
      var link = document.createElement("a");
      link.href = address(Object.assign({}, state, { facets: facetsThere }));
      link.textContent = data.facets.omraade[other.area][1];
      var facts = document.createElement("span");
      facts.className = "as-nearby__facts";
      facts.textContent = distanceText(other.km) + " væk \u00b7 " + count + (count === 1 ? " aktivitet" : " aktiviteter");
      item.appendChild(link);
      item.appendChild(facts);
      nearbyList.appendChild(item);
    });
  }

  // --- Facets ---------------------------------------------------------------------

  function valuesOf(doc, name) {
    var value = doc[field[FACETS[name].field]];
    if (FACETS[name].bits) {
      var set = [];
      for (var bit = 0; value >> bit; bit++) { if ((value >> bit) & 1) { set.push(bit); } }
      return set;
    }
    return Array.isArray(value) ? value : [value];
  }

  function matches(doc, chosen, except) {
    return Object.keys(chosen).every(function (name) {
      if (name === except || !chosen[name].length) { return true; }
      var values = valuesOf(doc, name);
      var has = function (option) { return values.indexOf(option) !== -1; };
      return FACETS[name].all ? chosen[name].every(has) : chosen[name].some(has);
    });
  }

  function optionIndex(name, value) {
    for (var i = 0; i < data.facets[name].length; i++) {
      if (data.facets[name][i][0] === value) { return i; }
    }
    return -1;
  }

  // --- State in the address -------------------------------------------------------

  function stateFromAddress() {
    var params = new URLSearchParams(location.search);
    var chosen = {};
    Object.keys(FACETS).forEach(function (name) {
      chosen[name] = params.getAll(name).map(function (v) { return optionIndex(name, v); })
        .filter(function (i) { return i >= 0; });
    });
    var km = Number(params.get("km")) || 0;
    return { q: params.get("q") || "", facets: chosen, near: params.get("naer") || "", km: km };
  }

  function stateFromForms() {
    var chosen = {};
    Object.keys(FACETS).forEach(function (name) { chosen[name] = []; });
    Array.prototype.forEach.call(facetForm.elements, function (control) {
      if (!FACETS[control.name] || !control.value) { return; }
      if (control.type === "checkbox" && !control.checked) { return; }
      chosen[control.name].push(optionIndex(control.name, control.value));
    });
    return { q: input.value, facets: chosen, near: nearInput.value, km: Number(kmSelect.value) || 0 };
  }

  function address(s) {
    var params = new URLSearchParams();
    if (s.q.trim()) { params.append("q", s.q.trim()); }
    Object.keys(FACETS).forEach(function (name) {
      s.facets[name].forEach(function (i) { params.append(name, data.facets[name][i][0]); });
    });
    // The device's position is never put in the address: it stays on this page.
    if (s.near.trim() && s.near !== MY_POSITION) { params.append("naer", s.near.trim()); }
    if (s.km) { params.append("km", String(s.km)); }
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function remember(push) {
    var target = address(state);
    if (target !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"](null, "", target);
    }
  }

  function showInForms() {
    input.value = state.q;
    nearInput.value = state.near === MY_POSITION && !located ? "" : state.near;
    kmSelect.value = state.km ? String(state.km) : "";
    Array.prototype.forEach.call(facetForm.elements, function (control) {
      if (!FACETS[control.name]) { return; }
      var chosen = state.facets[control.name];
      if (control.type === "checkbox") {
        control.checked = chosen.indexOf(optionIndex(control.name, control.value)) !== -1;
      } else if (control.tagName === "SELECT") {
        control.value = chosen.length ? data.facets[control.name][chosen[0]][0] : "";
      }
    });
  }

  // --- Searching and showing ------------------------------------------------------

  /* The activities a query and the chosen facets find, best first, and all the query finds
     (for the facet counts); a promise, since the query's shards of the index may have to come. */
  function find(query) {
    return searcher.scores(query).then(function (scores) {
      var candidates = (scores
        ? Object.keys(scores).map(Number)
        : data.docs.map(function (doc, i) { return i; })).filter(withinReach);
      var found = candidates.filter(function (i) { return matches(data.docs[i], state.facets); });
      var score = function (i) { return scores ? scores[i] : 0; };
      if (origin) {  // nearest first (by whole km, as shown), then the best match, then A–Å
        found.sort(function (a, b) {
          return Math.round(distances[a]) - Math.round(distances[b]) || score(b) - score(a) || a - b;
        });
      } else if (scores) {
        found.sort(function (a, b) { return score(b) - score(a) || a - b; });
      }
      return { candidates: candidates, results: found };
    });
  }

  var runs = 0;  // the latest search wins: an earlier one that finishes later is dropped
  function run() {
    var mine = ++runs, now = state;
    section.setAttribute("aria-busy", "true");  // until the results are shown (render)
    showFilterCount();
    findOrigin();
    return find(now.q).then(function (found) {
      // Nothing for what was typed: search for the nearest of the site's own words instead, and say so.
      var better = !found.results.length && now.q.trim() && asSearchQuery.suggest(now.q, stopWords, data.suggestions || []);
      if (!better) { return [found, null]; }
      return find(better).then(function (instead) {
        return instead.results.length ? [instead, better] : [found, null];
      });
    }).then(function (outcome) {
      if (mine !== runs) { return; }
      results = outcome[0].results;
      corrected = outcome[1];
      showCounts(outcome[0].candidates);
      shown = PAGE_SIZE;
      showNearbyAreas(outcome[0].candidates);
      return render();
    }).catch(failed);
  }

  function failed() {
    section.removeAttribute("aria-busy");
    status.textContent = "Søgningen kunne ikke hentes lige nu. Find aktiviteter under Områder eller Emner.";
  }

  function showCounts(candidates) {
    Object.keys(FACETS).forEach(function (name) {
      var counts = data.facets[name].map(function () { return 0; });
      candidates.forEach(function (i) {
        var doc = data.docs[i];
        if (matches(doc, state.facets, name)) {
          valuesOf(doc, name).forEach(function (option) { counts[option] += 1; });
        }
      });
      data.facets[name].forEach(function (option, i) {
        var span = facetForm.querySelector('[data-count="' + name + "=" + option[0] + '"]');
        if (span) { span.textContent = String(counts[i]); }
      });
    });
  }

  function card(i) {
    var doc = data.docs[i];
    var item = root.querySelector('template[data-template="card"]').content.firstElementChild.cloneNode(true);
    var link = item.querySelector('[data-slot="link"]');
    item.setAttribute("data-slug", doc[field.slug]);  // mylist.js adds its button to the card
    link.href = activityUrl.replace("{slug}", doc[field.slug]);
    link.textContent = doc[field.title];
    item.querySelector('[data-slot="when"]').textContent = doc[field.when];
    item.querySelector('[data-slot="where"]').textContent = doc[field.where] +
      (origin ? " \u2013 " + distanceText(distances[i]) + " fra " + origin.label : "");
    item.querySelector('[data-slot="summary"]').textContent = doc[field.summary];
    // A pause sentence, or the next meetings as [ISO day, text] (those past dropped: next-dates.js).
    var next = doc[field.next];
    var coming = typeof next === "string" ? [] : window.asNextDates ? window.asNextDates.upcoming(next) : next;
    var nextText = typeof next === "string" ? next : coming.length ? "Næste gang: " + coming[0][1] : "";
    if (nextText) {
      item.querySelector('[data-slot="next"]').textContent = nextText;
    } else {
      item.querySelector('[data-slot="next-fact"]').remove();
    }
    var badges = item.querySelector('[data-slot="badges"]');
    var flags = doc[field.flags];
    var stepFree = optionIndex("tilg", "trinfri-adgang");
    // The bits of `flags`, in the order aktivsammen/search.py sets them.
    ["gratis", "nye", "ledsager"].forEach(function (name, bit) {
      if (flags & (1 << bit)) { badges.appendChild(badge(name)); }
    });
    if (doc[field.accessibility].indexOf(stepFree) !== -1) { badges.appendChild(badge("trinfri")); }
    if (!badges.children.length) { badges.parentNode.removeChild(badges); }
    return item;
  }

  function badge(name) {
    return root.querySelector('template[data-template="badge-' + name + '"]').content.firstElementChild.cloneNode(true);
  }

  /* The results shown, as their part of the store comes (each result's title, times and place
     come in chunks: search-query.js open): the first few as soon as theirs are here, then the rest
     of the page below them. "Vis flere" (more: true) keeps the cards already shown. */
  var FIRST = 5, renders = 0;  // about a phone's first screen and a half
  function render(more) {
    var mine = ++renders, page = results.slice(0, shown);
    var keep = more ? list.children.length : 0, soon = page.slice(0, keep + FIRST);
    var add = function (numbers) {
      var fragment = document.createDocumentFragment();
      numbers.forEach(function (i) { fragment.appendChild(card(i)); });
      list.appendChild(fragment);
    };
    return searcher.ensure(soon).then(function () {
      if (mine !== renders) { return; }
      section.removeAttribute("aria-busy");
      if (!more) { list.innerHTML = ""; }
      add(soon.slice(keep));
      showStatus();
      // The rest of the page follows; the promise is the first cards' (the count is in view).
      searcher.ensure(page).then(function () { if (mine === renders) { add(page.slice(soon.length)); } })
        .catch(failed);
    });
  }

  function showStatus() {
    var count = results.length;
    status.textContent = count === 0 ? "Ingen aktiviteter fundet" : count === 1 ? "1 aktivitet" : count + " aktiviteter";
    if (corrected) { status.textContent += " for \u201d" + corrected + "\u201d (du skrev \u201d" + state.q.trim() + "\u201d)"; }
    if (origin && count > 1) {
      status.textContent += ", nærmest " + origin.label + " først" +
        (origin.typed ? " (du skrev \u201d" + origin.typed + "\u201d)" : "");
    }
    more.hidden = count <= shown;
    more.textContent = "Vis flere (" + Math.min(PAGE_SIZE, count - shown) + " mere)";
    empty.hidden = count > 0;
    if (count === 0) { showRemovals(); }
  }

  function showRemovals() {
    removeList.innerHTML = "";
    var add = function (label, change) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "as-button as-button--secondary";
      button.textContent = label;
      button.addEventListener("click", function () { change(); showInForms(); remember(true); run(); });
      var item = document.createElement("li");
      item.appendChild(button);
      removeList.appendChild(item);
    };
    if (state.q.trim()) {
      add("Fjern søgeordene", function () { state.q = ""; });
    }
    if (origin && state.km) {
      add("Fjern: under " + state.km + " km", function () { state.km = 0; });
    }
    Object.keys(FACETS).forEach(function (name) {
      state.facets[name].forEach(function (option) {
        add("Fjern: " + data.facets[name][option][1], function () {
          state.facets[name] = state.facets[name].filter(function (o) { return o !== option; });
        });
      });
    });
  }

  function chosenCount() {
    return Object.keys(FACETS).reduce(function (sum, name) { return sum + state.facets[name].length; },
      (state.near.trim() ? 1 : 0) + (state.km ? 1 : 0));
  }

  function showResults() {
    var heading = section.querySelector("h2");
    heading.scrollIntoView(true);  // the heading at the top: the count and first result below it
    heading.focus({ preventScroll: true });
  }

  function showFilterCount() {
    var count = chosenCount();
    filterCount.textContent = count ? " (" + count + " valgt)" : "";
  }

  // --- Wiring ---------------------------------------------------------------------

  function start(head, headUrl) {
    data = head;
    searcher = asSearchQuery.open(head, function (name) { return fetchJson(new URL(name, headUrl).href); });
    data.docs = searcher.rows;  // rows again: it comes by column, the shown fields in chunks
    stopWords = data.stopWords;
    data.fields.forEach(function (name, i) { field[name] = i; });
    state = stateFromAddress();
    showInForms();
    // Open beside the results where there is room; behind "Filtrér" on a phone.
    if (window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) { filtersBox.open = true; }
    // Arrived with a search (from the front page, a link, a reload): go to the results, so the
    // count and the first result are on the screen and a screen reader hears them.
    var arrived = state.q.trim() || chosenCount();
    run().then(function () { if (arrived) { showResults(); } });
    root.setAttribute("data-search-ready", "");  // the head is here: a search needs only its parts

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state = stateFromForms(); remember(false); run(); }, DEBOUNCE_MS);
    });
    textForm.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      state = stateFromForms();
      remember(true);
      run().then(showResults);
    });
    facetForm.addEventListener("change", function () { state = stateFromForms(); remember(true); run(); });
    facetForm.addEventListener("submit", function (event) {
      event.preventDefault();
      state = stateFromForms();
      remember(true);
      run().then(showResults);
    });
    if (navigator.geolocation) {
      locateButton.hidden = false;
      locateButton.addEventListener("click", locate);
    }
    more.addEventListener("click", function () {
      var first = list.children.length;
      shown += PAGE_SIZE;
      render(true).then(function () {
        var next = list.children[first] && list.children[first].querySelector("a");
        if (next) { next.focus(); }
      }).catch(failed);
    });
    window.addEventListener("popstate", function () { state = stateFromAddress(); showInForms(); run(); });
  }

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  var headUrl = new URL(root.getAttribute("data-search-data"), location.href).href;
  fetchJson(headUrl).then(function (head) { start(head, headUrl); }).catch(failed);
})();
