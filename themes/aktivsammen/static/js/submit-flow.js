/* The question flow (/indsend/), enhanced in place.

   Without JavaScript every press posts the page's form to the service, which answers with the
   next page. This script makes the same post with fetch and swaps in the answer's flow, so the
   page does not reload, the browser's Back goes back a page, and focus lands where the answer
   says (its autofocus: the error summary, the receipt, or the heading). The service checks and
   words everything; nothing here repeats a rule or a message.
*/
const FLOW = "[data-flow]";
const NETWORK = "Forbindelsen til guiden svigtede. Dine svar er ikke væk: tryk på knappen igen om lidt.";
const KIND = /^schedule\[\d+\]\.repeat$/;

function parse(html) {
  const answer = new DOMParser().parseFromString(html, "text/html");
  return { flow: answer.querySelector(FLOW), title: answer.title };
}

/** The control to focus after the swap: the answer's own choice, or the one a row press is about. */
function focusTarget(flow, pressed, changedId) {
  if (changedId) return flow.querySelector(`#${CSS.escape(changedId)}`);
  const rows = flow.querySelectorAll("[data-row]");
  if (pressed === "tilfoej" && rows.length) return rows[rows.length - 1].querySelector("input, select, textarea");
  if (pressed.startsWith("fjern-") && rows.length) return rows[0].querySelector("input, select, textarea");
  return flow.querySelector("[autofocus]") || flow.querySelector("[data-flow-heading]");
}

function show(flow, title, focus) {
  const current = document.querySelector(FLOW) || document.querySelector("[data-submit]")?.firstElementChild;
  if (!current || !flow) return false;
  current.replaceWith(flow);
  if (title) document.title = title;
  const target = focus(flow);
  if (target) {
    if (!target.hasAttribute("tabindex") && !target.matches("input, select, textarea, button, a")) target.tabIndex = -1;
    target.focus();
    target.scrollIntoView({ block: "start" });
  }
  return true;
}

function problem(form, text) {
  let box = form.querySelector("[data-flow-problem]");
  if (!box) {
    box = document.createElement("p");
    box.className = "as-notice as-notice--warning";
    box.setAttribute("role", "alert");
    box.dataset.flowProblem = "";
    form.querySelector(".as-form__actions")?.before(box);
  }
  box.textContent = text;
}

let busy = false;

async function press(form, button, changedId) {
  if (busy) return; // a double press, or Enter while the answer is on its way
  busy = true;
  form.setAttribute("aria-busy", "true");
  const body = new FormData(form);
  if (button?.name) body.append(button.name, button.value); // FormData(form, submitter) is too new for old tablets
  try {
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    const html = await response.text();
    const { flow, title } = parse(html);
    if (!flow) throw new Error(`no flow in the answer (${response.status})`);
    history.replaceState({ flow: document.querySelector(FLOW)?.outerHTML, title: document.title }, "");
    show(flow, title, (swapped) => focusTarget(swapped, button?.value || "", changedId));
    history.pushState({ flow: flow.outerHTML, title }, "");
  } catch (error) {
    problem(form, NETWORK);
    console.warn("as-submit-flow:", error);
  } finally {
    busy = false;
    form.removeAttribute("aria-busy");
  }
}

function start(root) {
  root.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-flow-form]");
    if (!form) return;
    event.preventDefault();
    press(form, event.submitter || form.querySelector("button[type=submit]"));
  });
  // A time's kind chosen: show its questions at once (the button for this is for pages without JavaScript).
  root.addEventListener("change", (event) => {
    const input = event.target;
    const form = input.closest("form[data-flow-form]");
    if (!form || !KIND.test(input.name)) return;
    press(form, form.querySelector('button[name="handling"][value="opdater"]'), input.id);
  });
  window.addEventListener("popstate", (event) => {
    if (!event.state?.flow) return;
    const { flow } = parse(event.state.flow);
    show(flow, event.state.title, (swapped) => swapped.querySelector("[data-flow-heading]"));
  });
  root.dataset.flowReady = "true";
}

const root = typeof document === "undefined" ? null : document.querySelector("[data-submit]");
// Older browsers without fetch keep the plain posts, which work the same.
if (root && window.fetch && window.DOMParser && window.CSS?.escape) start(root);
