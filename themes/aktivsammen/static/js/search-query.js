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
  function expand(pipeline, terms, word, forms) {
    var found = {};
    var stem = (forms && forms[word]) || pipeline.runString(word)[0];
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
  function splitCompound(pipeline, terms, word, forms) {
    var has = function (w) { return w.length >= 2 && hasTerm(terms, w); };
    var stemOf = function (w) { return (forms && forms[w]) || pipeline.runString(w)[0] || ""; };
    for (var i = word.length - 3; i >= 2; i--) {
      var head = word.slice(0, i), tail = word.slice(i), bare = head.replace(/[es]$/, "");
      var heads = [head, bare, stemOf(head), stemOf(bare)].filter(has);
      var tailStem = stemOf(tail);
      if (heads.length && (has(tailStem) || has(tail))) { return [heads[0], has(tailStem) ? tailStem : tail]; }
    }
    return [];
  }

  /* The lunr query for what was typed, as clauses {term, boost[, editDistance]}; null when there
     is no text. Worked out on the index's sorted term list alone, which the head of the download
     holds: so a search knows which shards it needs before it fetches any. */
  function clauses(pipeline, terms, text, stopWords, forms) {
    var typed = words(text, stopWords);
    if (!typed.length) { return null; }
    var list = [];
    var add = function (term, boost) { list.push({ term: term, boost: boost }); };
    typed.forEach(function (word) {
      var known = 0;
      spellings(word).forEach(function (w) {
        var matches = expand(pipeline, terms, w, forms);
        Object.keys(matches).forEach(function (term) { add(term, matches[term]); known += 1; });
      });
      // A compound the index does not have: its parts ("korsang": kor and sang).
      if (!known) {
        splitCompound(pipeline, terms, word, forms).forEach(function (part) { add(part, 3); known += 1; });
      }
      // A word the index does not know is likely a typo: allow 1 edit from 4 letters, 2 from 8.
      if (!known && word.length >= 4) {
        spellings(word).forEach(function (w) {
          list.push({ term: w, boost: 2, editDistance: w.length >= 8 ? 2 : 1 });
        });
      }
    });
    return list;
  }

  /* Scores by document number (refs are base-36 numbers) for the clauses. A typo's clause goes
     to lunr as it is, and the whole index finds the terms near it; a sharded index gets those
     terms instead (open: nearTerms), found in the whole term list the same way. */
  function run(index, list) {
    var result = {};
    // No clause at all (a short word the index has nothing like): nothing found. lunr itself
    // would take a query without clauses as "all but nothing" and return every document.
    if (!list.length) { return result; }
    index.query(function (query) {
      list.forEach(function (clause) {
        query.term(clause.term, clause.editDistance
          ? { boost: clause.boost, editDistance: clause.editDistance }
          : { boost: clause.boost, usePipeline: false });
      });
    }).forEach(function (match) { result[parseInt(match.ref, 36)] = match.score; });
    return result;
  }

  /* Scores over a whole index (lunr.Index), or null when there is no text. */
  function scores(index, text, stopWords, terms, forms) {
    var list = clauses(index.pipeline, terms, text, stopWords, forms);
    return list ? run(index, list) : null;
  }

  /* Each field's average length over the documents (BM25's length normalisation). */
  function averages(c) {
    return c.lengths.map(function (lengths) {
      var total = 0;
      for (var d = 0; d < c.documents; d++) { total += lengths[d]; }
      return total / c.documents;
    });
  }

  /* One term's lunr posting ({_index, field: {ref: {}}}) from its compact row (aktivsammen/
     search.py compact_index: per field the documents as gaps, with the term frequency where it
     is above one), and its entries in the field vectors as [document * fields + field, score,
     ...]: lunr's builder's BM25, from the term's document count and the field lengths in the
     head, rounded to three decimals as lunr rounds them. */
  function termPosting(c, average, termIndex, row) {
    var fieldCount = c.fields.length, posting = { _index: termIndex }, found = [], withTerm = 0;
    c.fields.forEach(function (name) { posting[name] = {}; });
    for (var i = 0; i < row.length;) {
      var field = row[i], count = row[i + 1], doc = 0;
      i += 2;
      for (var n = 0; n < count; n++) {
        var gap = row[i++], tf = 1;
        if (gap < 0) { gap = -gap - 1; tf = row[i++]; }
        doc += gap;
        posting[c.fields[field]][doc.toString(36)] = {};
        found.push(doc, field, tf);
        withTerm += 1;
      }
    }
    var x = (c.documents - withTerm + 0.5) / (withTerm + 0.5), idf = Math.log(1 + Math.abs(x));
    var entries = [];
    for (var k = 0; k < found.length; k += 3) {
      var d = found[k], f = found[k + 1], frequency = found[k + 2];
      var score = idf * ((c.k1 + 1) * frequency) /
        (c.k1 * (1 - c.b + c.b * (c.lengths[f][d] / average[f])) + frequency);
      score *= c.boosts[f];
      entries.push(d * fieldCount + f, Math.round(score * 1000) / 1000);
    }
    return { term: c.terms[termIndex], posting: posting, entries: entries };
  }

  /* lunr's serialized index from term postings (termPosting), in ascending term order, with
     every document's field vectors, as lunr's builder writes them. */
  function serialized(c, postings) {
    var fieldCount = c.fields.length, vectors = {}, fieldVectors = [];
    postings.forEach(function (p) {
      for (var i = 0; i < p.entries.length; i += 2) {
        (vectors[p.entries[i]] = vectors[p.entries[i]] || []).push(p.posting._index, p.entries[i + 1]);
      }
    });
    for (var key = 0; key < c.documents * fieldCount; key++) {
      var doc = Math.floor(key / fieldCount);
      fieldVectors.push([c.fields[key % fieldCount] + "/" + doc.toString(36), vectors[key] || []]);
    }
    return { version: c.lunr, fields: c.fields, fieldVectors: fieldVectors, pipeline: c.pipeline,
      invertedIndex: postings.map(function (p) { return [p.term, p.posting]; }) };
  }

  /* The whole index, as lunr's builder would have serialized it, from the head with all its
     postings (`c.postings`: the download merged, aktivsammen/search.py merge_parts). */
  function expandIndex(c) {
    var average = averages(c);
    return serialized(c, c.postings.map(function (row, t) { return termPosting(c, average, t, row); }));
  }

  function load(compact) { return lunr.Index.load(expandIndex(compact)); }

  /* The meetings of a store row as sent ([days after "from", number of the time, ...]) as
     [[ISO day, "tirsdag 8. december kl. 10.00–12.00"], ...] again. */
  function meetings(calendar, value) {
    var start = calendar.from ? Date.parse(calendar.from + "T00:00:00Z") : 0, pairs = [];
    for (var i = 0; i < value.length; i += 2) {
      var day = new Date(start + value[i] * 86400000);
      pairs.push([day.toISOString().slice(0, 10), calendar.weekdays[(day.getUTCDay() + 6) % 7] + " " +
        day.getUTCDate() + ". " + calendar.months[day.getUTCMonth()] + " " + calendar.times[value[i + 1]]]);
    }
    return pairs;
  }

  /* Put store columns (one list per field, null for a field not there) into rows from `first`. */
  function fill(rows, columns, first, data) {
    var at = data.fields.indexOf("next");
    columns.forEach(function (column, f) {
      if (!column) { return; }
      column.forEach(function (value, k) {
        rows[first + k][f] = f === at && Array.isArray(value) ? meetings(data.nextDates, value) : value;
      });
    });
  }

  /* The document store's rows from the download (as aktivsammen/search.py read_store): it comes
     by column; in the head, the fields not there (STORE_FIELDS) are null until their chunk
     comes (open: ensure). */
  function readStore(data) {
    var count = data.docs.reduce(function (n, column) { return column ? column.length : n; }, 0);
    var rows = [];
    for (var r = 0; r < count; r++) { rows.push(data.fields.map(function () { return null; })); }
    fill(rows, data.docs, 0, data);
    return rows;
  }

  /* Search over the download in parts (aktivsammen/search.py split_download), given its head
     and fetchPart(name) -> Promise of a part's JSON. `rows` are the store's rows; `scores(text)`
     fetches the shards the query's terms are in (and, for a typo, those of its near terms)
     and resolves to scores by document, as over the whole index; `ensure(numbers)` fetches the
     store chunks of those documents. Parts are fetched once, and in parallel. */
  function open(head, fetchPart) {
    var c = head.index, pipeline = lunr.Pipeline.load(c.pipeline);
    var starts = c.shards.map(function (shard) { return shard[0]; });
    var shards = {}, loadedShards = {}, chunks = {}, allTerms = null;
    var rows = readStore(head);

    function once(cache, name, use) {
      if (!cache[name]) {
        cache[name] = fetchPart(name).then(use, function (error) { delete cache[name]; throw error; });
      }
      return cache[name];
    }

    function shardNumber(at) {  // the last shard that starts at or before term number `at`
      var low = 0, high = starts.length;
      while (low < high) { var mid = (low + high) >> 1; if (starts[mid] <= at) { low = mid + 1; } else { high = mid; } }
      return low - 1;
    }

    function shardOf(term) {
      var at = lowerBound(c.terms, term);
      return c.terms[at] === term ? shardNumber(at) : -1;
    }

    /* A typo's clause as the terms lunr would find near it in the whole index, each a clause. */
    function nearTerms(list) {
      var out = [];
      list.forEach(function (clause) {
        if (!clause.editDistance) { out.push(clause); return; }
        allTerms = allTerms || lunr.TokenSet.fromArray(c.terms);
        pipeline.runString(clause.term).forEach(function (term) {
          allTerms.intersect(lunr.TokenSet.fromFuzzyString(term, clause.editDistance)).toArray()
            .forEach(function (near) { out.push({ term: near, boost: clause.boost }); });
        });
      });
      return out;
    }

    /* The index for one query: its terms' postings only. lunr scores a document by the query's
       terms alone (the dot product of its field vectors with the query vector, over the query
       vector's length), so that index gives every document the score the whole index gives it;
       and it builds in well under a millisecond. Each term's posting is made once. */
    var average = averages(c), made = {};
    function indexFor(list, loaded) {
      var wanted = {};
      list.forEach(function (clause) {
        var at = lowerBound(c.terms, clause.term);
        if (c.terms[at] === clause.term) { wanted[at] = true; }
      });
      var postings = Object.keys(wanted).map(Number).sort(function (a, b) { return a - b; }).map(function (t) {
        if (!made[t]) {
          var shard = loaded[shardNumber(t)];
          made[t] = termPosting(c, average, t, shard.postings[t - shard.first]);
        }
        return made[t];
      });
      // lunr.Index.load's work without the round trip through the serialized form.
      var invertedIndex = Object.create(null), vectors = {}, fieldVectors = {};
      postings.forEach(function (p) {
        invertedIndex[p.term] = p.posting;
        for (var i = 0; i < p.entries.length; i += 2) {
          (vectors[p.entries[i]] = vectors[p.entries[i]] || []).push(p.posting._index, p.entries[i + 1]);
        }
      });
      Object.keys(vectors).forEach(function (key) {
        var doc = Math.floor(key / c.fields.length);
        fieldVectors[c.fields[key % c.fields.length] + "/" + doc.toString(36)] = new lunr.Vector(vectors[key]);
      });
      return new lunr.Index({ invertedIndex: invertedIndex, fieldVectors: fieldVectors, pipeline: pipeline,
        tokenSet: lunr.TokenSet.fromArray(postings.map(function (p) { return p.term; })), fields: c.fields });
    }

    function scoresFor(text) {
      var list = clauses(pipeline, c.terms, text, head.stopWords, head.forms);
      if (!list) { return Promise.resolve(null); }
      list = nearTerms(list);
      var needed = {};
      list.forEach(function (clause) { var n = shardOf(clause.term); if (n >= 0) { needed[n] = true; } });
      return Promise.all(Object.keys(needed).map(function (n) {
        return once(shards, c.shards[n][1], function (shard) { loadedShards[n] = shard; });
      })).then(function () { return run(indexFor(list, loadedShards), list); });
    }

    function ensure(numbers) {
      var needed = {};
      numbers.forEach(function (i) { needed[Math.floor(i / head.store.size)] = true; });
      return Promise.all(Object.keys(needed).map(function (n) {
        return once(chunks, head.store.chunks[n], function (chunk) { fill(rows, chunk.docs, chunk.first, head); });
      }));
    }

    return { rows: rows, scores: scoresFor, ensure: ensure };
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

  window.asSearchQuery = { words: words, expand: expand, clauses: clauses, scores: scores, expandIndex: expandIndex,
    load: load, open: open, suggest: suggest, nearest: nearest, readStore: readStore };
})();
