/* as-companion-form: "Jeg vil gerne følges" on an activity's page (an ES module).

   Without JavaScript the form posts to the service (/foelgeskab/send), which answers with the
   same page: the errors next to the fields, or the receipt. With it, this module sends the form
   to /api/foelgeskab in the background and shows the same things in place, so the page (and the
   reader's place on it) stays. What the user typed is never thrown away: on any failure the form
   stays filled in, and sending again is safe (one idempotency key per filled-in form). */

const TEXT = {
  sending: "Sender …",
  network: "Vi kunne ikke få forbindelse, og din besked er ikke sendt. Tjek forbindelsen, og prøv igen – eller ring til os.",
  server: "Der skete en fejl hos os, og din besked er ikke sendt. Prøv igen om lidt – eller ring til os.",
};

// What it shares with submit-form.js comes from form-kit.js, loaded just before it.
const { TOKEN_MAX_AGE_MS, uuid, fetchJson, element, clearErrorsIn, followSummaryLink } = globalThis.asFormKit || {};

class CompanionForm {
  constructor(form) {
    this.form = form;
    this.api = form.dataset.api.replace(/\/$/, "");
    this.details = form.closest("details");
    this.summary = form.querySelector("[data-error-summary]");
    this.summary.removeAttribute("role"); // it gets focus, which reads it out: no second announcement
    this.button = form.querySelector("button[type=submit]");
    this.key = form.querySelector('input[name="idempotency_key"]');
    this.token = form.querySelector('input[name="token"]');
    this.live = element("p", { class: "as-visually-hidden", "aria-live": "polite" });
    form.append(this.live);
    this.problem = element("div", { class: "as-form__problem", role: "alert", tabindex: "-1", hidden: "" });
    this.button.before(this.problem);
    this.sending = false;
    if (!this.key.value) this.key.value = uuid();
    // The token starts the fill-time clock: fetch it when the form is opened, not at every page view.
    if (!this.details || this.details.open) this.fetchToken();
    this.details?.addEventListener("toggle", () => this.details.open && !this.token.value && this.fetchToken());
    form.addEventListener("input", () => {
      this.key.value = uuid(); // changed details are a new request
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!this.sending) this.send();
    });
    this.summary.addEventListener("click", (event) => followSummaryLink(form, event));
  }

  async fetchToken() {
    try {
      const { response, body } = await fetchJson(`${this.api}/formular`, { credentials: "omit" });
      if (response.ok && body) {
        this.token.value = body.token;
        this.tokenAt = Date.now();
      }
    } catch {
      // Sending will say so if the service cannot be reached.
    }
  }

  /** The service accepts a token for a day: a page left open overnight gets a new one. */
  tokenIsOld() {
    return !this.token.value || Date.now() - (this.tokenAt || 0) > TOKEN_MAX_AGE_MS;
  }

  values() {
    return Object.fromEntries(new FormData(this.form));
  }

  async send() {
    this.sending = true;
    this.button.disabled = true;
    this.problem.hidden = true;
    this.live.textContent = TEXT.sending;
    try {
      if (this.tokenIsOld()) await this.fetchToken();
      const sent = await fetchJson(`${this.api}/foelgeskab`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(this.values()),
        credentials: "omit",
      });
      const answer = sent.response;
      const body = sent.body || {};
      if (answer.status === 202) return this.showReceipt(body);
      // No field errors: the token was too young or no longer valid (the service restarted). A new
      // one now; the clock runs while the message is read, so pressing again works.
      if (answer.status === 422 && !Object.keys(body.errors || {}).length) this.fetchToken();
      if (answer.status === 422 || answer.status === 429) return this.showErrors(body.errors || {}, body.message || "");
      this.showProblem(TEXT.server);
    } catch {
      this.showProblem(TEXT.network);
    } finally {
      this.sending = false;
      this.button.disabled = false;
      this.live.textContent = "";
    }
  }

  showReceipt(body) {
    const receipt = element(
      "div", { class: "as-receipt", role: "status", tabindex: "-1", "data-companion-receipt": "" },
      element("h3", {}, "Tak for din besked"),
      element("p", {}, body.message),
      element("p", { class: "as-receipt__reference" }, "Dit nummer: ", element("strong", { "data-reference": "" }, body.reference)),
    );
    this.form.replaceWith(receipt);
    receipt.focus();
  }

  /** Errors next to their fields and in the summary, which gets focus (the GOV.UK pattern). */
  showErrors(errors, message) {
    clearErrorsIn(this.form);
    const list = this.summary.querySelector("[data-error-list]");
    list.replaceChildren();
    this.summary.querySelector("[data-error-message]")?.remove();
    for (const [name, text] of Object.entries(errors)) {
      const field = this.form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      const control = document.getElementById(`foelg-${name}`) || document.getElementById(`foelg-${name}-1`);
      const label = field?.querySelector(".as-form__label")?.firstChild?.textContent.trim() || name;
      if (field) {
        field.classList.add("as-form__field--error");
        const slot = field.querySelector(".as-form__error");
        slot.append(element("span", { class: "as-visually-hidden" }, "Fejl:"), ` ${text}`);
        slot.hidden = false;
        if (control && !control.matches("[type=radio]")) control.setAttribute("aria-invalid", "true");
      }
      const item = control ? element("a", { href: `#${control.id}` }, `${label}: ${text}`) : `${label}: ${text}`;
      list.append(element("li", {}, item));
    }
    if (message && !Object.keys(errors).length) list.before(element("p", { "data-error-message": "" }, message));
    this.summary.hidden = false;
    this.summary.focus();
  }

  showProblem(text) {
    this.problem.replaceChildren(element("p", {}, text));
    this.problem.hidden = false;
    this.problem.focus();
  }
}

// Older browsers keep the plain form, which the service answers with pages of its own; so does the
// form on such a page (its error summary stands above the heading, outside the form).
if (window.fetch && "replaceChildren" in Element.prototype && window.asFormKit) {
  for (const form of document.querySelectorAll("[data-module='as-companion-form']")) {
    if (form.querySelector("[data-error-summary]")) new CompanionForm(form);
  }
}
