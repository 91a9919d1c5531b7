/* asSearchQuery: turns what people type into a lunr query and returns scores by document.
   Shared by the search page (search.js) and the benchmark, so both measure the same thing.
   Danish stemming (lunr.da, via the index's pipeline), partly typed words (prefix), typos
   (1 edit from 4 letters, 2 from 8, for words the index does not know), "aa/ae/oe" for
   "å/æ/ø", and compounds by their last part ("kor" finds "seniorkor"). Words are combined
   with OR: more matching words rank higher. A word the index knows as it is expands only to
   compounds that begin with it ("mand" to "mandeværksted", not "kor" to "korte"), and `forms`
   (search_words.yaml, one_word) joins forms the stemmer keeps apart ("mænd" is "mand"). */
(function () {
  "use strict";

  function words(text, stopWords) {
    return text.toLowerCase().split(/[^0-9a-zæøåäöüé]+/).filter(function (word) {
      return word && stopWords.indexOf(word) === -1;
    });
  }

  function spellings(word) {
    var danish = word.replace(/aa/g, "å").replace(/ae/g, "æ").replace(/oe/g, "ø");
    return danish === word ? [word] : [word, danish];
  }

  /* First position in the sorted term list that is >= text (binary search). */
  function lowerBound(terms, text) {
    var low = 0, high = terms.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (terms[middle] < text) { low = middle + 1; } else { high = middle; }
    }
    return low;
  }

  /* Whether the sorted term list holds `text`. */
  function hasTerm(terms, text) {
    return Boolean(text) && terms[lowerBound(terms, text)] === text;
  }

  var MAX_EXPANSIONS = 40;
  /* Whether `term` is `prefix` joined to another word of the index, maybe with a linking e or s
     ("mand|e|værksted"; not "kor|tspil" or "kor|te"). */
  function isCompound(terms, term, prefix) {
    var rest = term.slice(prefix.length);
    return [rest, rest.replace(/^[es]/, "")].some(function (part) {
      return part.length >= 3 && hasTerm(terms, part);
    });
  }

  /* The index terms one typed word stands for, each with its boost: the word's stem (10), terms
     it begins (4: a partly typed word) and terms it ends (2: "kor" in "seniorkor"). Done on the
     sorted term list, so every index term is scored once, however many ways it matched. */
  function expand(index, terms, word, forms) {
    var found = {};
    var stem = (forms && forms[word]) || index.pipeline.runString(word)[0];
    var known = hasTerm(terms, stem);
    if (known) { found[stem] = 10; }
    var prefixes = [word, stem].filter(function (p, i, all) { return p && all.indexOf(p) === i; });
    prefixes.forEach(function (prefix) {
      for (var i = lowerBound(terms, prefix), n = 0; i < terms.length && n < MAX_EXPANSIONS; i++, n++) {
        if (terms[i].lastIndexOf(prefix, 0) !== 0) { break; }
        // A known word is whole: only compounds that begin with it, not longer words ("korte").
        if (known && !isCompound(terms, terms[i], prefix)) { continue; }
        if (!found[terms[i]]) { found[terms[i]] = 4; }
      }
    });
    if (word.length >= 3) {
      var tail = stem || word, count = 0;
      for (var j = 0; j < terms.length && count < MAX_EXPANSIONS; j++) {
        var term = terms[j];
        if (term.length > tail.length && !found[term] &&
            term.indexOf(tail, term.length - tail.length) !== -1) {
          found[term] = 2;
          count += 1;
        }
      }
    }
    return found;
  }

  /* The two parts of a word the index does not have, when both are words it has, maybe with a
     linking e or s between them; [] when there is no such split. Longest first part first. */
  function splitCompound(index, terms, word, forms) {
    var has = function (w) { return w.length >= 2 && hasTerm(terms, w); };
    var stemOf = function (w) { return (forms && forms[w]) || index.pipeline.runString(w)[0] || ""; };
    for (var i = word.length - 3; i >= 2; i--) {
      var head = word.slice(0, i), tail = word.slice(i), bare = head.replace(/[es]$/, "");
      var heads = [head, bare, stemOf(head), stemOf(bare)].filter(has);
      var tailStem = stemOf(tail);
      if (heads.length && (has(tailStem) || has(tail))) { return [heads[0], has(tailStem) ? tailStem : tail]; }
    }
    return [];
  }

  /* Scores by document number (refs are base-36 numbers), or null when there is no text. */
  function scores(index, text, stopWords, terms, forms) {
    var typed = words(text, stopWords);
    if (!typed.length) { return null; }
    var result = {};
    index.query(function (query) {
      typed.forEach(function (word) {
        var known = 0;
        spellings(word).forEach(function (w) {
          var matches = expand(index, terms, w, forms);
          Object.keys(matches).forEach(function (term) {
            query.term(term, { boost: matches[term], usePipeline: false });
            known += 1;
          });
        });
        // A compound the index does not have: its parts ("korsang": kor and sang).
        if (!known) {
          splitCompound(index, terms, word, forms).forEach(function (part) {
            query.term(part, { boost: 3, usePipeline: false });
            known += 1;
          });
        }
        // A word the index does not know is likely a typo: allow 1 edit from 4 letters, 2 from 8.
        if (!known && word.length >= 4) {
          spellings(word).forEach(function (w) {
            query.term(w, { boost: 2, editDistance: w.length >= 8 ? 2 : 1 });
          });
        }
      });
    }).forEach(function (match) { result[parseInt(match.ref, 36)] = match.score; });
    return result;
  }

  /* Rebuild lunr's serialized index from the compact form made by aktivsammen/search.py
     (compact_index): postings as gaps with term frequencies; field lengths and vector scores
     follow, computed exactly as lunr's builder computes them (BM25, three decimals). */
  function expandIndex(c) {
    var fieldCount = c.fields.length;
    var frequencies = []; // per document and field: [term, tf, term, tf ...], terms ascending
    var idf = [];
    var invertedIndex = c.terms.map(function (term, termIndex) {
      var posting = { _index: termIndex };
      c.fields.forEach(function (name) { posting[name] = {}; });
      var row = c.postings[termIndex];
      var withTerm = 0;
      for (var i = 0; i < row.length;) {
        var field = row[i], count = row[i + 1], doc = 0;
        i += 2;
        for (var k = 0; k < count; k++) {
          var gap = row[i++], tf = 1;
          if (gap < 0) { gap = -gap - 1; tf = row[i++]; }
          doc += gap;
          posting[c.fields[field]][doc.toString(36)] = {};
          var key = doc * fieldCount + field;
          (frequencies[key] = frequencies[key] || []).push(termIndex, tf);
          withTerm += 1;
        }
      }
      var x = (c.documents - withTerm + 0.5) / (withTerm + 0.5);
      idf[termIndex] = Math.log(1 + Math.abs(x));
      return [term, posting];
    });

    var lengths = [], totals = c.fields.map(function () { return 0; });
    for (var key = 0; key < c.documents * fieldCount; key++) {
      var list = frequencies[key] || [], length = 0;
      for (var j = 1; j < list.length; j += 2) { length += list[j]; }
      lengths[key] = length;
      totals[key % fieldCount] += length;
    }
    var average = totals.map(function (total) { return total / c.documents; });

    var fieldVectors = [];
    for (var doc = 0; doc < c.documents; doc++) {
      for (var f = 0; f < fieldCount; f++) {
        var at = doc * fieldCount + f, terms = frequencies[at] || [], vector = [];
        for (var t = 0; t < terms.length; t += 2) {
          var tf = terms[t + 1];
          var score = idf[terms[t]] * ((c.k1 + 1) * tf) /
            (c.k1 * (1 - c.b + c.b * (lengths[at] / average[f])) + tf);
          score *= c.boosts[f];
          vector.push(terms[t], Math.round(score * 1000) / 1000);
        }
        fieldVectors.push([c.fields[f] + "/" + doc.toString(36), vector]);
      }
    }
    return { version: c.lunr, fields: c.fields, fieldVectors: fieldVectors, invertedIndex: invertedIndex,
      pipeline: c.pipeline };
  }

  function load(compact) { return lunr.Index.load(expandIndex(compact)); }

  /* The document store's rows from the download (as aktivsammen/search.py read_store): it comes
     by column, and each row's next meetings as [days after "from", number of the time, ...],
     which become [[ISO day, "tirsdag 8. december kl. 10.00–12.00"], ...] again. */
  function readStore(data) {
    var columns = data.docs, at = data.fields.indexOf("next"), calendar = data.nextDates;
    var start = calendar.from ? Date.parse(calendar.from + "T00:00:00Z") : 0;
    var meetings = function (value) {
      var pairs = [];
      for (var i = 0; i < value.length; i += 2) {
        var day = new Date(start + value[i] * 86400000);
        pairs.push([day.toISOString().slice(0, 10), calendar.weekdays[(day.getUTCDay() + 6) % 7] + " " +
          day.getUTCDate() + ". " + calendar.months[day.getUTCMonth()] + " " + calendar.times[value[i + 1]]]);
      }
      return pairs;
    };
    return columns[0].map(function (_, row) {
      return columns.map(function (column, f) {
        var value = column[row];
        return f === at && Array.isArray(value) ? meetings(value) : value;
      });
    });
  }

  /* Edit distance of two words, or limit + 1 as soon as it must be more than limit. */
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) { return limit + 1; }
    var previous = [], i, j;
    for (j = 0; j <= b.length; j++) { previous[j] = j; }
    for (i = 1; i <= a.length; i++) {
      var current = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1,
          previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        best = Math.min(best, current[j]);
      }
      if (best > limit) { return limit + 1; }
      previous = current;
    }
    return previous[b.length];
  }

  /* The one of `known` nearest to a misspelt word (1 letter off up to 5 letters, 2 from 6), or null;
     the first of equally near ones. */
  function nearest(word, known) {
    var limit = word.length <= 5 ? 1 : 2, best = null, bestDistance = limit + 1;
    known.forEach(function (candidate) {
      var d = distance(word, candidate, limit);
      if (d < bestDistance) { best = candidate; bestDistance = d; }
    });
    return best;
  }

  /* For a search that finds nothing: the query with each word that is not one of `known` (the site's own words)
     replaced by the nearest that is; null if none is. */
  function suggest(text, stopWords, known) {
    var changed = false;
    var fixed = words(text, stopWords).map(function (word) {
      if (known.indexOf(word) !== -1) { return word; }
      var best = nearest(word, known);
      if (best) { changed = true; return best; }
      return word;
    });
    return changed ? fixed.join(" ") : null;
  }

  window.asSearchQuery = { words: words, expand: expand, scores: scores, expandIndex: expandIndex, load: load,
    suggest: suggest, nearest: nearest, readStore: readStore };
})();
