// A document's admin page: the "Cite for …" links open a citation's add form with the
// document, the passage selected in its text and the passage's paragraph ("para N",
// the N-th non-empty line, as sources.quotes numbers them). Served from this origin,
// as the Content-Security-Policy requires.
"use strict";

(function () {
  function paragraph(text, offset) {
    // The number of non-empty lines up to and including the one holding `offset`.
    const lines = text.slice(0, offset).split("\n");
    const current = text.slice(offset).split("\n")[0];
    lines[lines.length - 1] += current;
    return lines.filter((line) => line.trim() !== "").length;
  }

  function locator(text, start, end) {
    const first = paragraph(text, start);
    const last = paragraph(text, Math.max(start, end - 1));
    return first === last ? `para ${first}` : `paras ${first}–${last}`;
  }

  function start() {
    const area = document.getElementById("id_text");
    const links = document.querySelectorAll("a.cite-passage");
    if (!area || links.length === 0) {
      return;
    }
    function update() {
      let start = area.selectionStart;
      let end = area.selectionEnd;
      const selected = area.value.slice(start, end);
      start += selected.length - selected.trimStart().length;
      end -= selected.length - selected.trimEnd().length;
      const quote = area.value.slice(start, end);
      links.forEach((link) => {
        if (!quote) {
          link.removeAttribute("href");
          link.setAttribute("aria-disabled", "true");
          link.title = "Select a passage of the text first.";
          return;
        }
        const url = new URL(link.dataset.base, window.location.href);
        url.searchParams.set("quote", quote);
        url.searchParams.set("locator", locator(area.value, start, end));
        link.href = url.toString();
        link.removeAttribute("aria-disabled");
        link.title = "";
      });
    }
    ["select", "keyup", "mouseup", "input"].forEach((name) => area.addEventListener(name, update));
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
