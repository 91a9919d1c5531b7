/* The submission page when the guide has no submission service: every question on one page, and
   the answers saved as a file to e-mail to the editors. The editors run `aktivsammen import <file>`,
   which checks the answers with the model (the same rules and Danish messages as the service) and
   writes the activity file. Nothing is checked or converted here.
*/
const FORMAT = "aktivsammen-indsendelse";

/** A time row shows the questions of its chosen kind; the others are left out of the file. */
function showKind(row) {
  const kind = row.querySelector('input[name$=".repeat"]:checked')?.value;
  row.querySelectorAll("[data-for-repeat]").forEach((field) => {
    const used = field.dataset.forRepeat.split(" ").includes(kind);
    field.hidden = !used;
    field.querySelectorAll("input, select, textarea").forEach((control) => {
      control.disabled = !used;
    });
  });
}

function answers(form) {
  const pairs = [];
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim()) pairs.push([name, value]);
  }
  return pairs;
}

function start(form) {
  const rows = Array.from(form.querySelectorAll("[data-row]"));
  rows.forEach(showKind);
  form.addEventListener("change", (event) => {
    const row = event.target.closest("[data-row]");
    if (row && event.target.name.endsWith(".repeat")) showKind(row);
  });
  const ready = form.querySelector("[data-file-ready]");
  const link = document.createElement("a"); // made here: a download link needs its file's address
  link.className = "as-button";
  link.dataset.fileLink = "";
  link.textContent = "Hent filen";
  form.querySelector("[data-file-actions]").append(link);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = JSON.stringify({ formular: FORMAT, version: 1, felter: answers(form) }, null, 1);
    if (link.href) URL.revokeObjectURL(link.href); // the answers as they were at the last press only
    link.href = URL.createObjectURL(new Blob([file], { type: "application/json" }));
    link.download = `indsendelse-${new Date().toISOString().slice(0, 10)}.json`;
    ready.hidden = false;
    ready.focus();
  });
  form.dataset.fileStarted = "true";
}

const form = typeof document === "undefined" ? null : document.querySelector("form[data-flow-file]");
if (form && window.Blob && window.URL?.createObjectURL) start(form);
