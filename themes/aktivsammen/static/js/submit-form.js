/* as-submit-form: the submission form at /indsend/ (an ES module, loaded only there).

   Progressive enhancement: without JavaScript the form posts to the service (/indsend/send) and
   gets whole pages back. With it, this module
   - adds and removes time rows in place and shows only the fields the chosen "Hvor ofte" uses;
   - turns the form into an activity record exactly like activity_from_form in
     aktivsammen/submit/form.py (the same field kinds, from the page's data-kinds);
   - checks the record against the activity's JSON Schema (@cfworker/json-schema: no eval, so the
     strict Content-Security-Policy holds) and shows the errors next to the fields and in the
     error summary at the top;
   - asks the service for a preview, then sends, and shows the receipt. The user's input is never
     thrown away: on any error the form stays as it was;
   - with no service (data-service=""), writes the activity's YAML file in the browser and offers
     a download and a GitHub "new file" link.
   The pure functions (activityFromForm, toYaml, slugFor, fieldErrors) are exported for the tests.
   What it shares with companion-form.js comes from form-kit.js, loaded just before it. */

const { TOKEN_MAX_AGE_MS, uuid, fetchJson, element, clearErrorsIn, followSummaryLink } = globalThis.asFormKit || {};

const MAX_ROWS = 24; // as form.within_slots (MAX_SLOTS, MAX_SPECIAL_DATES in model.py): rows beyond it are ignored
const MAX_TIMES = 12; // as MAX_SLOTS in model.py
const CHOICE_KINDS = new Set(["choice", "boolean", "price"]);
// Names of errors that belong to no field of the form.
const OTHER_LABELS = { edit: "Aktiviteten", activity: "Oplysningerne", "(hele filen)": "Oplysningerne" };
const CONSENT_MISSING = "sæt kryds for at bekræfte, at oplysningerne må offentliggøres";
const TEXT = {
  network: "Vi kunne ikke få forbindelse. Dine oplysninger er ikke sendt, og intet er tabt. Tjek forbindelsen, og prøv igen.",
  server: "Der skete en fejl hos os. Dine oplysninger er ikke sendt, og intet er tabt. Prøv igen om lidt.",
  checking: "Tjekker oplysningerne …",
  sending: "Sender …",
  fix: "Der er noget, du skal rette.",
  changed: "Du har ændret noget. Se forhåndsvisningen igen, før du sender.",
  changedFile: "Du har ændret noget. Lav aktivitetsfilen igen.",
};

// --- Names, ids and kinds (as in form.py) ---------------------------------------------------------

/** "schedule[0].first_date" -> "felt-schedule-0-first-date" (FormField.id_in). */
export function fieldId(name) {
  return "felt-" + name.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/** "schedule[0].start" -> "schedule[].start": the key of the field kinds. */
function pattern(name) {
  return name.replace(/\[\d+\]/g, "[]");
}

/** "schedule[0].start" -> ["schedule", 0, "start"]. */
function parts(name) {
  return Array.from(name.matchAll(/([^.[\]]+)|\[(\d+)\]/g), (m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

// Object.hasOwn is missing before Safari 15.4 and Chrome 98, which older iPads still run.
function hasOwn(object, key) {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// --- Form fields -> activity record (activity_from_form) ------------------------------------------

const DANISH_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const DIGITS = "\\d(?:_?\\d)*";
// What Python's float() accepts as a finite decimal number (underscores between digits too).
const PY_FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);

/** "3.12.2026" -> "2026-12-03"; anything else unchanged (the schema says what is wrong). */
function dateText(text) {
  const match = DANISH_DATE.exec(text);
  if (!match) return text;
  const [day, month, year] = match.slice(1).map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const last = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || !last || day < 1 || day > last) return text; // as Python's date() refuses it
  const pad = (n, width) => String(n).padStart(width, "0");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** One field's posted values as its value in the record (form.py's _value). */
function fieldValue(kind, raw) {
  const values = raw.map((value) => value.trim()).filter(Boolean);
  if (kind === "choices") return values;
  if (!values.length) return null;
  const text = values[values.length - 1];
  switch (kind) {
    case "boolean":
      return text === "ja" ? true : text === "nej" ? false : text;
    case "integer":
      return /^-?\d{1,9}$/.test(text) ? parseInt(text, 10) : text;
    case "number": {
      const number = text.replaceAll(",", ".");
      return PY_FLOAT.test(number) ? Number(number.replaceAll("_", "")) : text;
    }
    case "dates":
      return text.split(/[\s,;]+/).filter(Boolean).map(dateText);
    case "date":
      return dateText(text);
    default:
      return text.replaceAll("\r\n", "\n");
  }
}

/** The posted form as an activity record, before validation (unknown names are ignored). */
export function activityFromForm(pairs, kinds) {
  const grouped = new Map();
  for (const [name, value] of pairs) {
    if (!hasOwn(kinds, pattern(name))) continue;
    if (!grouped.has(name)) grouped.set(name, []);
    grouped.get(name).push(value);
  }
  const priceValues = grouped.get("price") || [""];
  grouped.delete("price");
  const priceChoice = priceValues[priceValues.length - 1];
  const record = {};
  for (const [name, values] of grouped) {
    const value = fieldValue(kinds[pattern(name)], values);
    if (value === null || (Array.isArray(value) && !value.length)) continue;
    const path = parts(name);
    if (path.some((part) => typeof part === "number" && part >= MAX_ROWS)) continue;
    let node = record;
    for (let i = 0; i < path.length - 1; i += 1) {
      const part = path[i];
      const empty = typeof path[i + 1] === "number" ? [] : {};
      if (typeof part === "number") {
        while (node.length <= part) node.push(null);
        if (node[part] === null) node[part] = empty;
      } else if (!hasOwn(node, part)) {
        node[part] = empty;
      }
      node = node[part];
    }
    node[path[path.length - 1]] = value;
  }
  if (priceChoice === "gratis") record.price = "gratis";
  // Drop the blank rows: the form offers more rows (special dates, closed periods) than are used.
  for (const [name, kind] of Object.entries(kinds)) {
    if (kind !== "records") continue;
    const keys = name.split(".");
    const last = keys.pop();
    const parent = keys.reduce((node, key) => (isObject(node) ? node[key] : undefined), record);
    if (!isObject(parent) || !Array.isArray(parent[last])) continue;
    parent[last] = parent[last].filter((row) => row && Object.keys(row).length);
    if (!parent[last].length) delete parent[last];
  }
  if (Array.isArray(record.schedule)) {
    const rows = record.schedule.map((row) => row || {});
    while (rows.length && Object.keys(rows[rows.length - 1]).every((key) => key === "repeat")) rows.pop();
    if (rows.length) record.schedule = rows;
    else delete record.schedule;
  }
  return record;
}

/** The form's successful controls as [name, value] pairs, leaving out hidden fields. */
function formPairs(form) {
  const pairs = [];
  for (const element of form.elements) {
    const name = element.getAttribute("name");
    if (!name || element.disabled || element.closest("[hidden]")) continue;
    if (["submit", "button", "reset", "file", "image"].includes(element.type)) continue;
    if ((element.type === "checkbox" || element.type === "radio") && !element.checked) continue;
    if (element.tagName === "SELECT") {
      for (const option of element.selectedOptions) pairs.push([name, option.value]);
    } else {
      pairs.push([name, element.value]);
    }
  }
  return pairs;
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// --- JSON Schema helpers --------------------------------------------------------------------------

function decodePointer(pointer) {
  return pointer
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~"));
}

function deref(root, node) {
  let current = node;
  for (let guard = 0; current && current.$ref && guard < 20; guard += 1) {
    let target = root;
    for (const segment of decodePointer(current.$ref.slice(current.$ref.indexOf("#")))) target = target[segment];
    current = target;
  }
  return current || {};
}

function jsonType(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value; // string, boolean, object
}

function typeFits(node, value) {
  const type = node.type ?? (node.const !== undefined ? jsonType(node.const) : undefined);
  if (type === undefined) return true;
  const actual = jsonType(value);
  return [].concat(type).some((t) => t === actual || (t === "number" && actual === "integer"));
}

/**
 * Which branch of an anyOf/oneOf applies to a value: the discriminator's, or the one branch that
 * is not the `null` of an optional field and fits the value's type. -1: none (report the whole);
 * "tag": a discriminated union whose tag is missing (report the tag).
 */
function branchFor(root, node, value) {
  const branches = node.oneOf || node.anyOf || [];
  const discriminator = node.discriminator;
  if (discriminator && isObject(value)) {
    const target = discriminator.mapping?.[value[discriminator.propertyName]];
    if (target === undefined) return "tag";
    return branches.findIndex((branch) => branch.$ref === target);
  }
  return branches.findIndex((branch) => {
    const resolved = deref(root, branch);
    return resolved.type !== "null" && typeFits(resolved, value);
  });
}

/**
 * Follow an error's keywordLocation through the schema alongside the instance. Returns null
 * when the error belongs to a branch that does not apply, else the schema node the keyword is in,
 * the nearest example on the way, and (for a missing discriminator tag) the tag's name.
 */
function followError(root, error, instance) {
  const keywords = decodePointer(error.keywordLocation);
  const steps = decodePointer(error.instanceLocation);
  let node = root;
  let value = instance;
  let step = 0;
  let example = root.examples?.[0];
  for (let i = 0; i < keywords.length - 1; ) {
    const keyword = keywords[i];
    if (keyword === "$ref") {
      node = deref(root, node);
      i += 1;
    } else if (keyword === "properties") {
      node = node.properties[keywords[i + 1]];
      value = value?.[keywords[i + 1]];
      step += 1;
      i += 2;
    } else if (keyword === "items") {
      node = node.items;
      value = value?.[steps[step]];
      step += 1;
      i += 1;
    } else if (keyword === "anyOf" || keyword === "oneOf" || keyword === "allOf") {
      const index = Number(keywords[i + 1]);
      if (keyword !== "allOf") {
        const chosen = branchFor(root, node, value);
        if (chosen === "tag") return { node, example, tag: node.discriminator.propertyName, depth: step };
        if (chosen !== -1 && chosen !== index) return null;
      }
      node = node[keyword][index];
      i += 2;
    } else {
      break; // a keyword we do not descend through
    }
    if (node?.examples?.length) example = node.examples[0];
  }
  const last = keywords[keywords.length - 1];
  if (last === "anyOf" || last === "oneOf") {
    const chosen = branchFor(root, node, value);
    if (chosen === "tag") return { node, example, tag: node.discriminator.propertyName, depth: step };
    if (chosen !== -1) return null; // the chosen branch reports its own, more precise errors
  }
  return { node, example };
}

// Keywords that only say "something inside had errors": the inner errors say what. ("false"
// repeats an additionalProperties error.)
const AGGREGATES = new Set([
  "false", "properties", "items", "$ref", "allOf", "prefixItems", "contains", "if", "then", "else", "dependentSchemas",
]);

function danishNumber(number) {
  return String(number).replace(".", ",");
}

function errorMessage(keyword, node, kind, example) {
  const like = example !== undefined && example !== "" ? `, fx ${example}` : "";
  switch (keyword) {
    case "required":
    case "minLength":
      if (kind === "choices") return "vælg mindst én";
      if (kind === "rows") return "skal udfyldes";
      return CHOICE_KINDS.has(kind) ? "vælg en af mulighederne" : "skal udfyldes";
    case "maxLength":
      return `er for lang (højst ${node.maxLength} tegn)`;
    case "pattern":
    case "format":
      return `har ikke den rigtige form${like}`;
    case "enum":
    case "const":
      return "vælg en af mulighederne";
    case "minItems":
      if (kind === "dates") return node.minItems === 1 ? "skriv mindst én dato" : `skriv mindst ${node.minItems} datoer`;
      return node.minItems === 1 ? "vælg mindst én" : `vælg mindst ${node.minItems}`;
    case "maxItems":
      return kind === "dates" ? `højst ${node.maxItems} datoer` : `vælg højst ${node.maxItems}`;
    case "minimum":
    case "exclusiveMinimum":
      return `er for lille (mindst ${danishNumber(node[keyword])})`;
    case "maximum":
    case "exclusiveMaximum":
      return `er for stor (højst ${danishNumber(node[keyword])})`;
    case "type":
      if (kind === "integer") return `skal være et helt tal${like || ", fx 25"}`;
      if (kind === "number") return `skal være et tal${like ? like.replace(".", ",") : ""}`;
      if (kind === "boolean") return "vælg ja eller nej";
      return "har ikke den rigtige form";
    case "additionalProperties":
      return "hører ikke til her";
    default:
      return "er ikke udfyldt rigtigt";
  }
}

/** ["schedule", "0", "start"] -> "schedule[0].start". */
function fieldName(steps) {
  let name = "";
  for (const step of steps) name += /^\d+$/.test(step) ? `[${step}]` : name ? `.${step}` : step;
  return name;
}

/**
 * The validator's errors as {field name: Danish message}, one per field, only from the branches
 * of oneOf/anyOf that apply. Items of a list field (a date in "Datoer") count as the field.
 */
export function fieldErrors(errors, schema, instance, kinds) {
  const found = {};
  for (const error of errors) {
    if (AGGREGATES.has(error.keyword)) continue;
    const followed = followError(schema, error, instance);
    if (!followed) continue;
    let steps = decodePointer(error.instanceLocation);
    let keyword = error.keyword;
    if (followed.tag) {
      // A time row without "Hvor ofte": that is the one thing to say about it.
      steps = [...steps.slice(0, followed.depth), followed.tag];
      keyword = "required";
    } else if (keyword === "required" || keyword === "additionalProperties") {
      const property = /[Pp]roperty "([^"]+)"/.exec(error.error);
      if (property) steps.push(property[1]);
    }
    let name = fieldName(steps);
    // A list's item (schedule[0].dates[2]) is reported on the list's own field.
    while (/\[\d+\]$/.test(name) && !hasOwn(kinds, pattern(name))) {
      const parent = name.replace(/\[\d+\]$/, "");
      if (kinds[pattern(parent)] === "rows") break;
      name = parent;
    }
    if (hasOwn(found, name)) continue;
    found[name] = errorMessage(keyword, followed.node, kinds[pattern(name)], followed.example);
  }
  return found;
}

/**
 * The schema without `format: "uri"`: @cfworker's check refuses addresses with æ, ø or å, which
 * the service accepts (it still checks every address). Changes the schema in place.
 */
function withoutUriFormat(node) {
  if (Array.isArray(node)) {
    node.forEach(withoutUriFormat);
  } else if (isObject(node)) {
    if (node.format === "uri") delete node.format;
    Object.values(node).forEach(withoutUriFormat);
  }
  return node;
}

/** The record with its keys in the schema's order (the order of an activity file). */
function inSchemaOrder(value, node, root) {
  let current = deref(root, node || {});
  for (let guard = 0; (current.oneOf || current.anyOf) && guard < 5; guard += 1) {
    const chosen = branchFor(root, current, value);
    if (typeof chosen !== "number" || chosen < 0) break;
    current = deref(root, (current.oneOf || current.anyOf)[chosen]);
  }
  if (Array.isArray(value)) return value.map((item) => inSchemaOrder(item, current.items, root));
  if (!isObject(value)) return value;
  const properties = current.properties || {};
  const ordered = {};
  for (const key of Object.keys(properties)) {
    if (hasOwn(value, key)) ordered[key] = inSchemaOrder(value[key], properties[key], root);
  }
  for (const key of Object.keys(value)) if (!hasOwn(ordered, key)) ordered[key] = value[key];
  return ordered;
}

// --- YAML for the no-service fallback -------------------------------------------------------------

// YAML 1.1 words a plain scalar must not be (PyYAML would read them as booleans or null).
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\r]/;

function quoted(text) {
  const escaped = text
    .replace(/[\\"]/g, "\\$&")
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  return `"${escaped}"`;
}

function plainIsSafe(text, inFlow) {
  return (
    /^(?:\p{L}|\d+ \p{L})/u.test(text) && // a letter first, or a count of something ("12 gange")
    !/\s$/u.test(text) &&
    !/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]/.test(text) &&
    !text.includes(": ") &&
    !text.includes(" #") &&
    !text.endsWith(":") &&
    !RESERVED.test(text) &&
    !(inFlow && /[,[\]{}:#]/.test(text))
  );
}

function scalar(value, isDate, inFlow) {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : quoted(String(value));
  const text = String(value).toWellFormed ? String(value).toWellFormed() : String(value);
  if (isDate && /^\d{4}-\d{2}-\d{2}$/.test(text)) return text; // a date, as in the activity files
  return plainIsSafe(text, inFlow) ? text : quoted(text);
}

// As dump_activity in aktivsammen/loading.py: a paragraph-long text (a field of these kinds) that does
// not fit a line of LINE characters is folded (>-) into lines broken at the first space after FOLD_WIDTH.
const FOLDED_KINDS = new Set(["textarea", "email", "url"]);
const LINE = 100;
const FOLD_WIDTH = 76;

function foldable(kind, name, text) {
  return (
    FOLDED_KINDS.has(kind) &&
    name.length + text.length > LINE &&
    /^\S(?:.*\S)?$/su.test(text) && // no leading or trailing space, which folding would lose
    !/ {2}|[\n\t]/.test(text) &&
    !UNPRINTABLE.test(text)
  );
}

function folded(text, indent) {
  const pad = " ".repeat(indent);
  const lines = [];
  let line = pad;
  for (const [index, word] of text.split(" ").entries()) {
    if (index > 0 && line.length > FOLD_WIDTH) {
      lines.push(line);
      line = pad;
    } else if (index > 0) {
      line += " ";
    }
    line += word;
  }
  return [...lines, line];
}

/**
 * The activity as YAML, in the shape of the activity files: mappings, lists of plain values in
 * flow style ([tirsdag, torsdag]), lists of mappings as blocks, multi-line text as | blocks.
 * `kinds` tells which fields hold dates (written unquoted, so they load as dates).
 */
export function toYaml(record, kinds = {}) {
  const isDate = (path) => path === "verified" || kinds[path] === "date" || kinds[path] === "dates";

  function mapping(object, path, indent) {
    const lines = [];
    const pad = " ".repeat(indent);
    for (const [name, value] of Object.entries(object)) {
      const here = path ? `${path}.${name}` : name;
      const key = plainIsSafe(name, false) ? name : quoted(name);
      if (Array.isArray(value) && value.length && value.every(isObject)) {
        lines.push(`${pad}${key}:`);
        for (const item of value) {
          // "  - first: ..." then the item's other keys under the first one
          const itemLines = mapping(item, here + "[]", indent + 4);
          itemLines[0] = `${pad}  - ${itemLines[0].slice(indent + 4)}`;
          lines.push(...itemLines);
        }
      } else if (Array.isArray(value)) {
        lines.push(`${pad}${key}: [${value.map((item) => scalar(item, isDate(here), true)).join(", ")}]`);
      } else if (isObject(value)) {
        const inner = mapping(value, here, indent + 2);
        lines.push(inner.length ? `${pad}${key}:` : `${pad}${key}: {}`, ...inner);
      } else if (typeof value === "string" && foldable(kinds[pattern(here)], name, value)) {
        lines.push(`${pad}${key}: >-`, ...folded(value, indent + 2));
      } else if (typeof value === "string" && value.includes("\n") && !UNPRINTABLE.test(value)) {
        const body = value.replace(/\n+$/, "").split("\n");
        const first = body.find((line) => line.trim() !== "") ?? "";
        // An explicit indentation when the text starts with spaces or blank lines.
        const indicator = first.startsWith(" ") || body[0].trim() === "" ? "2" : "";
        lines.push(`${pad}${key}: |${indicator}`);
        for (const line of body) lines.push(line === "" ? "" : `${pad}  ${line}`);
      } else {
        lines.push(`${pad}${key}: ${scalar(value, isDate(here), false)}`);
      }
    }
    return lines;
  }

  return mapping(record, "", 0).join("\n") + "\n";
}

/** The file name a new activity gets, as slug_for in aktivsammen/submit/submission.py. */
export function slugFor(title) {
  const danish = { æ: "ae", ø: "oe", å: "aa", ä: "ae", ö: "oe", ü: "ue" };
  let text = title.toLowerCase().replace(/ß/g, "ss").replace(/[æøåäöü]/g, (c) => danish[c]);
  text = text.normalize("NFKD").replace(/\p{Mn}/gu, "");
  const slug = text.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return slug.slice(0, 60).replace(/-+$/, "") || "aktivitet";
}

// --- The page ---------------------------------------------------------------------------------------

/** A label's or legend's text without "(valgfri)". */
function labelText(node) {
  if (!node) return "";
  const copy = node.cloneNode(true);
  copy.querySelectorAll(".as-form__optional, .as-visually-hidden").forEach((part) => part.remove());
  return copy.textContent.replace(/\s+/g, " ").trim();
}

class SubmitForm {
  constructor(root, form) {
    this.root = root;
    this.form = form;
    this.service = root.dataset.service || "";
    this.kinds = JSON.parse(root.dataset.kinds || "{}");
    this.summary = form.querySelector("[data-error-summary]");
    this.rows = form.querySelector("[data-rows]");
    this.state = "edit";
    this.busy = false;
    this.locked = []; // the controls lock() disabled
    this.key = "";
    this.keyFor = "";
    this.token = null;
    this.originalTitle = document.title;
    this.schema = null;
    this.loadedSchema(); // loaded while the form is filled in
    if (this.service) this.fetchToken().catch(() => {}); // fetched again at sending if this fails
  }

  url(path) {
    return new URL(this.service.replace(/\/$/, "") + path, document.baseURI).href;
  }

  // --- Set-up ---

  start() {
    const { form } = this;
    this.live = element("div", { class: "as-visually-hidden", "aria-live": "polite", "data-live": true });
    this.root.insertBefore(this.live, form);
    this.summary.removeAttribute("role"); // it gets focus, which reads it out: no second announcement
    this.summary.addEventListener("click", (event) => followSummaryLink(this.form, event));
    this.noteGroup = form.querySelector("#felt-note")?.closest("fieldset");
    this.buildActions();
    form.querySelectorAll(".as-preview, .as-notice").forEach((node) => node.remove()); // from a no-JS answer
    if (this.rows) this.setUpRows();
    this.updatePrice();
    form.addEventListener("change", (event) => {
      if (event.target.name === "price") this.updatePrice();
      const row = event.target.closest("[data-row]");
      if (row && /\.repeat$/.test(event.target.name)) this.updateRow(row);
    });
    const changed = (event) => {
      if (!this.noteGroup?.contains(event.target)) this.outdated();
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      // Enter presses the form's first submit button even when it is hidden ("Se forhåndsvisning" in
      // the preview): then the state decides.
      const s = event.submitter && !event.submitter.hidden ? event.submitter : null;
      const action = s?.dataset.action || (this.state === "preview" ? "send" : "preview");
      if (action === "send") this.run(() => this.send());
      else this.run(() => this.check());
    });
    if (!this.service) {
      // Nothing to send to: the note and the consent are for the service's editors.
      if (this.noteGroup) this.noteGroup.hidden = true;
    }
    // Last: if anything above failed, this button keeps Enter previewing through the service.
    form.querySelector("[data-default-step]")?.remove(); // Enter is handled above, without it
  }

  buildActions() {
    const actions = this.form.querySelector(".as-form__actions");
    actions.replaceChildren();
    const checkLabel = this.service ? "Se forhåndsvisning" : "Lav aktivitetsfilen";
    this.checkButton = element("button", { type: "submit", class: "as-button", "data-action": "check" }, checkLabel);
    this.sendButton = element(
      "button", { type: "submit", class: "as-button", "data-action": "send", hidden: true }, "Send til redaktionen",
    );
    this.backButton = element("button", { type: "button", class: "as-button as-button--secondary", hidden: true }, "Ret");
    this.backButton.addEventListener("click", () => {
      this.leavePreview();
      this.form.querySelector("input:not([type=hidden]):not([tabindex='-1']), select, textarea")?.focus();
    });
    this.problem = element("div", { class: "as-form__problem", role: "alert", tabindex: "-1", hidden: true });
    actions.append(this.problem, this.checkButton, this.sendButton, this.backButton);
  }

  /**
   * The activity changed after its preview (or file) was made: that no longer matches it. True if
   * there was one; `quiet`: the caller says so in its own announcement (one message, not two).
   */
  outdated(quiet = false) {
    if (this.state === "edit") return false;
    this.leavePreview();
    if (!quiet) this.announce(this.changedText());
    return true;
  }

  changedText() {
    return this.service ? TEXT.changed : TEXT.changedFile;
  }

  announce(text) {
    this.live.textContent = "";
    window.clearTimeout(this.announcing); // only the latest message: two in a row cut each other off
    this.announcing = window.setTimeout(() => {
      this.live.textContent = text;
    }, 50);
  }

  // --- Time rows ---

  setUpRows() {
    const add = this.rows.querySelector("[data-add-row]");
    add.type = "button"; // no longer a submit button: Enter in a field must not add a row
    add.removeAttribute("name");
    add.addEventListener("click", () => this.addRow());
    this.rows.addEventListener("click", (event) => {
      const remove = event.target.closest("[data-remove-row]");
      if (remove) this.removeRow(remove.closest("[data-row]"));
    });
    this.rowList().forEach((row) => this.updateRow(row));
    this.renumber();
  }

  rowList() {
    return Array.from(this.rows.querySelectorAll("[data-row]"));
  }

  addRow() {
    const rows = this.rowList();
    const max = Number(this.rows.dataset.maxRows) || MAX_TIMES;
    if (rows.length >= max) return;
    const row = rows[rows.length - 1].cloneNode(true);
    for (const control of row.querySelectorAll("input, select, textarea")) {
      if (control.type === "checkbox" || control.type === "radio") {
        control.checked = false;
        control.removeAttribute("checked");
      } else if (control.tagName === "SELECT") {
        control.querySelectorAll("option").forEach((option) => option.removeAttribute("selected"));
        control.selectedIndex = 0;
      } else {
        control.value = "";
        control.removeAttribute("value");
      }
    }
    clearErrorsIn(row);
    const changed = this.outdated(true);
    rows[rows.length - 1].after(row);
    this.renumber();
    this.updateRow(row);
    row.querySelector("input, select, textarea")?.focus();
    this.announce(`Tid ${rows.length + 1} er tilføjet.` + (changed ? " " + this.changedText() : ""));
  }

  removeRow(row) {
    const rows = this.rowList();
    if (rows.length < 2) return;
    const index = rows.indexOf(row);
    const changed = this.outdated(true);
    row.remove();
    this.renumber();
    const next = this.rowList()[Math.min(index, rows.length - 2)];
    next.querySelector("input, select, textarea")?.focus();
    const left = `Der er nu ${rows.length - 1} ${rows.length - 1 === 1 ? "tid" : "tider"}.`;
    this.announce(`Tid ${index + 1} er fjernet. ${left}` + (changed ? " " + this.changedText() : ""));
  }

  /** Names, ids and legends follow the rows' order: schedule[N].x, felt-schedule-N-x, "Tid N+1". */
  renumber() {
    const base = this.rows.dataset.rows;
    const idBase = fieldId(base);
    const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const nameRe = new RegExp(`^${escape(base)}\\[\\d+\\]`);
    const idRe = new RegExp(`^${escape(idBase)}-\\d+(?=-|$)`);
    const rows = this.rowList();
    rows.forEach((row, index) => {
      for (const node of [row, ...row.querySelectorAll("*")]) {
        const name = node.getAttribute("name");
        if (name) node.setAttribute("name", name.replace(nameRe, `${base}[${index}]`));
        for (const attribute of ["id", "for", "aria-describedby"]) {
          const value = node.getAttribute(attribute);
          if (value) {
            node.setAttribute(attribute, value.split(" ").map((id) => id.replace(idRe, `${idBase}-${index}`)).join(" "));
          }
        }
      }
      row.querySelector(".as-form__row-legend").textContent = `Tid ${index + 1}`;
      const remove = row.querySelector("[data-remove-row]");
      remove.textContent = `Fjern tid ${index + 1}`;
      remove.hidden = rows.length < 2;
    });
    const count = this.rows.querySelector('input[name="rows"]');
    if (count) count.value = String(rows.length);
    const add = this.rows.querySelector("[data-add-row]");
    add.hidden = rows.length >= (Number(this.rows.dataset.maxRows) || MAX_TIMES);
  }

  /** Show the fields the row's kind ("Hvor ofte") uses; before a choice, those all kinds use. */
  updateRow(row) {
    const choices = Array.from(row.querySelectorAll('input[name$=".repeat"]'));
    const chosen = choices.find((choice) => choice.checked)?.value;
    const all = choices.map((choice) => choice.value);
    for (const field of row.querySelectorAll("[data-for-repeat]")) {
      const kinds = field.dataset.forRepeat.split(" ");
      field.hidden = chosen ? !kinds.includes(chosen) : !all.every((kind) => kinds.includes(kind));
    }
  }

  updatePrice() {
    const amount = this.form.querySelector("[data-price-amount]");
    if (!amount) return;
    const chosen = this.form.querySelector('input[name="price"]:checked')?.value;
    amount.hidden = chosen !== "beløb";
  }

  // --- Errors ---

  slotFor(name) {
    for (let current = name; current; ) {
      const slot = document.getElementById(fieldId(current) + "-fejl");
      if (slot && this.form.contains(slot)) return slot;
      const shorter = current.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      if (shorter === current) break;
      current = shorter;
    }
    return null;
  }

  /** The name of a field in the summary: its label (a check box's own text), or its group's legend. */
  labelFor(slot) {
    const field = slot.closest(".as-form__field");
    let label;
    if (field) label = labelText(field.querySelector(".as-form__label") || field.querySelector("label")).replace(/\.$/, "");
    else label = labelText(slot.parentElement.querySelector(":scope > legend"));
    const row = slot.closest("[data-row]");
    if (row && field) label = `${labelText(row.querySelector(".as-form__row-legend"))}: ${label}`;
    return label;
  }

  /** The control a summary link goes to: the field's own, a group's first option, a row's first. */
  controlFor(name, slot) {
    const id = fieldId(name);
    const own = [id, id + "-1"].map((candidate) => document.getElementById(candidate));
    const control = own.find((node) => node && node.matches("input, select, textarea"));
    if (control) return control;
    const container = slot ? slot.closest(".as-form__field") || slot.parentElement : this.form;
    return container.querySelector("input:not([type=hidden]):not([tabindex='-1']), select, textarea");
  }

  clearErrors() {
    clearErrorsIn(this.form);
    this.summary.hidden = true;
    this.summary.querySelector("[data-error-list]").replaceChildren();
    this.summary.querySelector("[data-error-message]")?.remove();
    this.problem.hidden = true;
    this.problem.replaceChildren();
    document.title = this.originalTitle;
  }

  /** Errors next to their fields and in the summary at the top, which gets focus. */
  showErrors(errors, message = "") {
    this.clearErrors();
    const items = [];
    for (const [name, text] of Object.entries(errors)) {
      const slot = this.slotFor(name);
      const control = this.controlFor(name, slot);
      if (!slot) {
        items.push({ slot: null, control, text: `${OTHER_LABELS[name] || name}: ${text}` });
        continue;
      }
      // Two errors for one slot (a group's and its field's without a slot of its own): both shown.
      if (!slot.hidden) slot.append(" ");
      else slot.append(element("span", { class: "as-visually-hidden" }, "Fejl:"), " ");
      slot.append(text);
      slot.hidden = false;
      const container = slot.closest(".as-form__field") || slot.parentElement;
      container.classList.add("as-form__field--error");
      if (container.matches(".as-form__field")) {
        container.querySelectorAll("input, select, textarea").forEach((node) => node.setAttribute("aria-invalid", "true"));
      }
      items.push({ slot, control, text: `${this.labelFor(slot)}: ${text}` });
    }
    // In the form's order, so the summary reads top to bottom like the form.
    items.sort((a, b) => {
      if (!a.slot || !b.slot) return a.slot ? -1 : b.slot ? 1 : 0;
      return a.slot.compareDocumentPosition(b.slot) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    const list = this.summary.querySelector("[data-error-list]");
    for (const item of items) {
      const link = item.control?.id ? element("a", { href: "#" + item.control.id }, item.text) : item.text;
      list.append(element("li", {}, link));
    }
    if (message) {
      list.before(element("p", { "data-error-message": true }, message));
    }
    this.summary.hidden = false;
    document.title = "Fejl – " + this.originalTitle;
    this.focusOn(this.summary);
    if (!items.length) this.announce(message); // the focused summary reads out its list itself
  }

  showProblem(text, retry) {
    this.problem.replaceChildren(element("p", {}, text));
    if (retry) {
      const again = element("button", { type: "button", class: "as-button as-button--secondary" }, "Prøv igen");
      again.addEventListener("click", () => this.run(retry));
      this.problem.append(again);
    }
    this.problem.hidden = false;
    this.focusOn(this.problem.querySelector("button") || this.problem);
  }

  /** Focus moves to what an action shows: the form is not busy any more (aria-busy keeps it quiet). */
  focusOn(node) {
    this.form.removeAttribute("aria-busy");
    node.focus();
  }

  // --- Checking ---

  /** The schema and its validator; loaded again after a failed load (the connection may be back). */
  loadedSchema() {
    if (!this.schema) {
      this.schema = this.loadSchema();
      this.schema.catch(() => {}); // reported when it is needed, not as an unhandled rejection
    }
    return this.schema;
  }

  async loadSchema() {
    const schemaUrl = new URL(this.root.dataset.schema, document.baseURI).href;
    const validatorUrl = new URL(this.root.dataset.validator, document.baseURI).href;
    const [schema, library] = await Promise.all([
      fetchJson(schemaUrl).then(({ response, body }) => {
        if (!response.ok || !body) throw new Error(`schema: ${response.status}`);
        return body;
      }),
      import(validatorUrl),
    ]);
    return { schema, validator: new library.Validator(withoutUriFormat(schema), "2020-12", false) };
  }

  /** The record as the user filled it in, confirmed today (the service sets the same date). */
  record() {
    return { ...activityFromForm(formPairs(this.form), this.kinds), verified: today() };
  }

  /** Schema errors of the record. Missing groups are checked as empty, so their fields are named. */
  async validate(record) {
    const { schema, validator } = await this.loadedSchema();
    const checked = JSON.parse(JSON.stringify(record)); // plain JSON; no structuredClone before Safari 15.4
    for (const key of schema.required || []) {
      if (hasOwn(checked, key)) continue;
      const node = deref(schema, schema.properties[key]);
      if (node.type === "object") checked[key] = {};
      if (node.type === "array" && this.kinds[key] === "rows") checked[key] = [{}];
    }
    const priceChoice = this.form.querySelector('input[name="price"]:checked')?.value;
    if (priceChoice === "beløb" && !hasOwn(checked, "price")) checked.price = {};
    const result = validator.validate(checked);
    return result.valid ? {} : fieldErrors(result.errors, schema, checked, this.kinds);
  }

  async check() {
    this.clearErrors();
    const record = this.record();
    this.lock();
    let errors;
    try {
      errors = await this.validate(record);
    } catch {
      this.schema = null; // load it again at the next try: a failed load must not stay failed for good
      if (!this.service) return this.showProblem(TEXT.network, () => this.check());
      errors = {}; // the service checks everything again
    }
    if (Object.keys(errors).length) return this.showErrors(errors);
    if (!this.service) return this.showFile(record);
    this.announce(TEXT.checking);
    const answer = await this.post("/forhaandsvisning", { activity: record, edit: this.edit() }, () => this.check());
    if (!answer) return;
    if (answer.status === 422) return this.showErrors(answer.body.errors || {}, answer.body.message || TEXT.fix);
    this.showPreview(answer.body.preview);
  }

  edit() {
    return this.form.querySelector('input[name="edit"]')?.value || null;
  }

  /** POST JSON to the service; null (after showing the problem) unless it answered 2xx or 422. */
  async post(path, body, retry) {
    let response;
    let answer;
    try {
      ({ response, body: answer } = await fetchJson(this.url(path), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      }));
    } catch {
      this.showProblem(TEXT.network, retry);
      return null;
    }
    answer = answer || {};
    if (response.ok || response.status === 422) return { status: response.status, body: answer };
    this.showProblem(answer.message || TEXT.server, response.status === 413 ? null : retry);
    return null;
  }

  // --- Preview and sending ---

  showPreview(html) {
    this.removePreview();
    const box = element("div", { class: "as-form__preview", tabindex: "-1", "data-preview": true });
    box.innerHTML = html; // the service's own rendering of the validated activity (escaped there)
    this.form.insertBefore(box, this.noteGroup || this.form.querySelector(".as-form__actions"));
    this.state = "preview";
    this.checkButton.hidden = true;
    this.sendButton.hidden = false;
    this.backButton.hidden = false;
    document.title = "Tjek og send – " + this.originalTitle;
    this.focusOn(box);
    this.announce("Forhåndsvisningen er klar. Tjek den, og send.");
  }

  removePreview() {
    this.form.querySelector("[data-preview]")?.remove();
    if (this.download) URL.revokeObjectURL(this.download);
    this.download = null;
  }

  leavePreview() {
    this.removePreview();
    this.state = "edit";
    this.checkButton.hidden = false;
    this.sendButton.hidden = true;
    this.backButton.hidden = true;
    // A "Prøv igen" left from a failed send would send the changed form without a preview.
    this.problem.hidden = true;
    this.problem.replaceChildren();
    document.title = this.originalTitle;
  }

  async fetchToken() {
    const { response, body } = await fetchJson(this.url("/formular"), { headers: { Accept: "application/json" } });
    if (!response.ok || typeof body?.token !== "string") throw new Error(`form token: ${response.status}`);
    const { token, min_seconds: minSeconds } = body;
    // `fetched` on the wall clock: the service counts a token's 24 hours so, also while the device slept.
    this.token = { value: token, ready: performance.now() + minSeconds * 1000, fetched: Date.now() };
    const field = this.form.querySelector('input[name="token"]');
    if (field) field.value = token;
  }

  async send() {
    if (this.state !== "preview") return this.check(); // only what the user has seen in the preview is sent
    this.clearErrors();
    const consent = this.form.querySelector("#felt-consent");
    if (consent && !consent.checked) return this.showErrors({ consent: CONSENT_MISSING });
    const record = this.record();
    this.lock();
    const note = this.form.querySelector("#felt-note")?.value.trim() || "";
    const edit = this.edit();
    // One key per filled-in form: a double click or a retry gets the same receipt; changed
    // details get a new key, so they are never answered with the receipt of the old ones. Not the
    // date: a retry after midnight is the same submission.
    const fingerprint = JSON.stringify([{ ...record, verified: null }, edit, note]);
    if (fingerprint !== this.keyFor) {
      this.key = uuid();
      this.keyFor = fingerprint;
      const field = this.form.querySelector('input[name="idempotency_key"]');
      if (field) field.value = this.key;
    }
    this.announce(TEXT.sending);
    if (!this.token || Date.now() - this.token.fetched > TOKEN_MAX_AGE_MS) {
      try {
        await this.fetchToken();
      } catch {
        return this.showProblem(TEXT.network, () => this.send());
      }
    }
    const token = this.token; // this one throughout, even if a newer one arrives meanwhile
    const wait = token.ready - performance.now(); // the service wants a moment between opening and sending
    if (wait > 0) await new Promise((resolve) => window.setTimeout(resolve, wait));
    const body = {
      activity: record,
      edit,
      note,
      consent: Boolean(consent?.checked),
      token: token.value,
      idempotency_key: this.key,
      website: this.form.querySelector('input[name="website"]')?.value || "",
    };
    const answer = await this.post("/indsendelser", body, () => this.send());
    if (!answer) return;
    if (answer.status === 422) {
      const names = Object.keys(answer.body.errors || {});
      if (!names.length) {
        // Only the token was refused (too young, too old, not the service's): the next press gets a new one.
        this.token = null;
        this.fetchToken().catch(() => {}); // if this fails, the next send() fetches it
      }
      if (names.some((name) => name !== "consent" && name !== "note")) this.leavePreview();
      return this.showErrors(answer.body.errors || {}, answer.body.message || TEXT.fix);
    }
    this.showReceipt(answer.body);
  }

  showReceipt({ reference, message }) {
    const receipt = element(
      "div",
      { class: "as-receipt", role: "status", tabindex: "-1", "data-receipt": true },
      element("h2", {}, "Tak for din indsendelse"),
      element("p", {}, message || ""),
      element(
        "p", { class: "as-receipt__reference" }, "Referencenummer: ", element("strong", { "data-reference": true }, reference),
      ),
      element("p", {}, "Skriv nummeret ned, hvis du vil spørge til indsendelsen."),
    );
    this.form.replaceWith(receipt);
    document.title = "Tak – " + this.originalTitle;
    receipt.focus();
  }

  // --- No service: the file in the browser ---

  async showFile(record) {
    const { schema } = await this.loadedSchema();
    const activity = inSchemaOrder(record, schema, schema);
    const yaml = toYaml(activity, this.kinds);
    const slug = slugFor(activity.title || "");
    const file = `${slug}.yaml`;
    this.removePreview();
    this.download = URL.createObjectURL(new Blob([yaml], { type: "application/x-yaml" }));
    const box = element(
      "div",
      { class: "as-form__preview as-form__file", tabindex: "-1", "data-preview": true },
      element("h2", {}, "Aktivitetsfilen er klar"),
      element("p", {}, `Filen hedder ${file}. Hent den, og send den til redaktionen.`),
      element("pre", { class: "as-form__yaml", "data-yaml": true }, yaml),
      element(
        "p",
        { class: "as-form__file-actions" },
        element("a", { class: "as-button", href: this.download, download: file, "data-download": true }, `Hent filen (${file})`),
      ),
    );
    const repository = this.root.dataset.githubRepository;
    if (repository) {
      const folder = (this.root.dataset.contentPath || "content/activities").split("/").map(encodeURIComponent).join("/");
      const query = `filename=${encodeURIComponent(file)}&value=${encodeURIComponent(yaml)}`;
      const href = `https://github.com/${repository}/new/main/${folder}?${query}`;
      box.append(
        element(
          "p",
          {},
          element("a", { href, "data-github": true }, "Foreslå filen på GitHub"),
          " (kræver en GitHub-konto; en redaktør ser forslaget igennem).",
        ),
      );
    }
    this.form.insertBefore(box, this.form.querySelector(".as-form__actions"));
    this.state = "file";
    this.focusOn(box);
    this.announce(`Aktivitetsfilen ${file} er klar.`);
  }

  // --- One action at a time ---

  /**
   * While a request is out the fields cannot change, so what is previewed or sent is what the form
   * shows (run() unlocks). Call it after reading the form: disabled fields are left out of it.
   */
  lock() {
    const open = Array.from(this.form.querySelectorAll("input, select, textarea, button")).filter((c) => !c.disabled);
    open.forEach((control) => {
      control.disabled = true;
    });
    this.locked.push(...open);
  }

  unlock() {
    this.locked.forEach((control) => {
      control.disabled = false;
    });
    this.locked = [];
  }

  async run(action) {
    if (this.busy) return; // a double click, or Enter while sending
    this.busy = true;
    const buttons = [this.checkButton, this.sendButton, this.backButton];
    buttons.forEach((button) => {
      button.disabled = true;
    });
    this.form.setAttribute("aria-busy", "true");
    try {
      await action();
    } catch (error) {
      this.showProblem(TEXT.server, action);
      console.warn("as-submit-form:", error);
    } finally {
      this.busy = false;
      this.unlock();
      buttons.forEach((button) => {
        button.disabled = false;
      });
      this.form.removeAttribute("aria-busy");
    }
  }
}

const root = typeof document === "undefined" ? null : document.querySelector("[data-submit]");
const form = root?.querySelector('form[data-module="as-submit-form"]');
// Older browsers (no fetch or replaceChildren: Safari before 14) keep the plain form, which posts to the service.
if (root && form && window.fetch && "replaceChildren" in Element.prototype && window.asFormKit) {
  new SubmitForm(root, form).start();
}
