/* as-form-kit: what the two forms' scripts share (the submission form, submit-form.js, and
   "Jeg vil gerne følges", companion-form.js), as window.asFormKit.

   Loaded as a module just before them: module scripts run in the page's order, browsers too old
   for modules skip all three (their forms work without JavaScript), and the published site's
   fingerprinted file names need no rewriting inside scripts. */

const TIMEOUT_MS = 30 * 1000; // an unanswered request counts as a lost connection after this
const TOKEN_MAX_AGE_MS = 20 * 3600 * 1000; // the service refuses tokens older than 24 hours

/** A random UUID (version 4), also where crypto.randomUUID is missing (Safari before 15.4). */
function uuid() {
  if (window.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * fetch() and its JSON answer (null if it is not JSON). Throws, like a lost connection, when the
 * answer, body included, has not come within TIMEOUT_MS (AbortController: AbortSignal.timeout is
 * too new for older iPads).
 */
async function fetchJson(url, options = {}) {
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, { ...options, signal: controller.signal });
    const body = await response.json().catch(() => null);
    if (controller.signal.aborted) throw new Error("no answer in time");
    return { response, body };
  } finally {
    window.clearTimeout(timer);
  }
}

/** An element with attributes (true: present, false/null: left out) and children. */
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/** Remove every field's error (its text, its marking, aria-invalid) inside `scope`. */
function clearErrorsIn(scope) {
  scope.querySelectorAll(".as-form__field--error").forEach((node) => node.classList.remove("as-form__field--error"));
  scope.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
  scope.querySelectorAll(".as-form__error").forEach((slot) => {
    slot.hidden = true;
    slot.replaceChildren();
  });
}

/** A click in an error summary: show the field's label (or its group's legend), focus the field. */
function followSummaryLink(form, event) {
  const link = event.target.closest("a[href^='#']");
  if (!link) return;
  const control = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  if (!control) return;
  event.preventDefault();
  const legend = control.closest("fieldset.as-form__choices")?.querySelector("legend");
  const label = legend || (control.id && form.querySelector(`label[for="${CSS.escape(control.id)}"]`));
  (label || control).scrollIntoView({ block: "start" });
  control.focus({ preventScroll: true });
}

window.asFormKit = { TIMEOUT_MS, TOKEN_MAX_AGE_MS, uuid, fetchJson, element, clearErrorsIn, followSummaryLink };
