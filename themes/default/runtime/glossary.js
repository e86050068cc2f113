/* Glossary and legal references: [[term]] and [[@instrument:article]] links open their definition
   or summary in place (a disclosure card, cloned from the glossary or frameworks page, with a
   link there; Escape closes it and returns focus), and the glossary page's filter box. In the paged
   course those pages come as scripts of their own (runtime/pages.js): the first card waits for its
   page to load, then opens. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;
  var el = CW.el;

  /* Whether a glossary entry's text (term and aliases) matches what the learner typed. */
  function matches(query, text) {
    var q = CW.normalizeAnswer(query);
    return !q || CW.normalizeAnswer(text).indexOf(q) >= 0;
  }

  var open = null; // {card, trigger}
  var counter = 0;

  function close(returnFocus) {
    if (!open) return;
    var current = open;
    open = null;
    current.card.remove();
    current.trigger.setAttribute("aria-expanded", "false");
    current.trigger.removeAttribute("aria-controls");
    if (returnFocus) current.trigger.focus();
  }

  /* A copy of an element's content in a plain div (ids dropped: they must stay unique). */
  function cloneContent(source) {
    var copy = el("div", { class: "ref-card-body" });
    source.childNodes.forEach(function (child) { copy.appendChild(child.cloneNode(true)); });
    copy.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
    return copy;
  }

  /* Where the card goes: after the paragraph (or at the end of the list item, cell...) holding
     the reference, so it reads in place and reflows at any width. */
  function place(card, trigger) {
    var block = trigger.closest("p, li, dd, dt, td, th, h1, h2, h3, h4, h5, h6, blockquote, figcaption, label, summary") || trigger.parentNode;
    if (block.matches("li, dd, td, th, blockquote")) block.appendChild(card);
    else block.after(card);
  }

  function termCard(trigger) {
    var entry = document.getElementById("g-" + trigger.getAttribute("data-term"));
    if (!entry) return null;
    var name = entry.querySelector(".glossary-term").textContent;
    return {
      kind: "term",
      title: name,
      body: cloneContent(entry.querySelector(".glossary-definition")),
      href: "#g-" + trigger.getAttribute("data-term"),
      link: t("glossary_open")
    };
  }

  function legalCard(trigger) {
    var instrument = trigger.getAttribute("data-instrument");
    var article = trigger.getAttribute("data-article");
    var target = article ? document.getElementById("fw-" + instrument + "--art-" + article) : null;
    var whole = document.getElementById("fw-" + instrument);
    if (!target && !whole) return null;
    var title = target ? target.querySelector(".fw-article-title") : whole.querySelector(".fw-title");
    var body = target ? target.querySelector(".fw-article-summary") : whole.querySelector(".fw-summary");
    return {
      kind: "legal",
      title: trigger.textContent.trim(),
      subtitle: title ? title.textContent.trim() : "",
      body: cloneContent(body),
      href: "#" + (target || whole).id,
      link: t("frameworks_open")
    };
  }

  function show(trigger) {
    var info = trigger.classList.contains("term-ref") ? termCard(trigger) : legalCard(trigger);
    if (!info) return false;
    // A reference inside an open card replaces that card, in its place, for its trigger.
    if (open && open.card.contains(trigger)) trigger = open.trigger;
    close(false);
    counter += 1;
    var id = "ref-card-" + counter;
    var card = el("div", { class: "ref-card ref-card--" + info.kind, id: id, role: "group", tabindex: "-1", "aria-labelledby": id + "-title" },
      el("p", { class: "ref-card-title", id: id + "-title" },
        el("span", { class: "visually-hidden" }, info.kind === "term" ? t("glossary_definition_of") + " " : ""),
        el("strong", {}, info.title),
        info.subtitle ? el("span", { class: "ref-card-subtitle" }, info.subtitle) : null),
      info.body,
      el("p", { class: "ref-card-actions" },
        el("a", { href: info.href, class: "ref-card-link" }, info.link),
        el("button", { type: "button", class: "btn btn-small ref-card-close", "data-action": "close-card" },
          CW.icon("close"), el("span", {}, t("close")))));
    place(card, trigger);
    trigger.setAttribute("aria-expanded", "true");
    trigger.setAttribute("aria-controls", id);
    open = { card: card, trigger: trigger };
    card.focus();
    return true;
  }

  /* The element a reference points to: its glossary entry, its article or its instrument. */
  function anchorOf(trigger) {
    if (trigger.classList.contains("term-ref")) return "g-" + trigger.getAttribute("data-term");
    var article = trigger.getAttribute("data-article");
    return "fw-" + trigger.getAttribute("data-instrument") + (article ? "--art-" + article : "");
  }

  /* A reference whose page has not loaded yet: load it, then open the card (unless the learner
     clicked elsewhere meanwhile); follow the link when the card still cannot open. */
  var waiting = null;
  function later(trigger) {
    var anchor = anchorOf(trigger);
    if (document.getElementById(anchor) || !CW.pages || !CW.pages.holding(anchor)) return false;
    waiting = trigger;
    CW.pages.find(anchor, function () {
      if (waiting !== trigger) return;
      waiting = null;
      if (!document.contains(trigger) || show(trigger)) return;
      location.hash = trigger.getAttribute("href");
    });
    return true;
  }

  function initFilter(section) {
    var input = section.querySelector(".filter-input");
    if (!input || input.dataset.ready) return;
    input.dataset.ready = "1";
    var count = section.querySelector(".filter-count");
    var empty = section.querySelector(".filter-empty");
    var entries = Array.from(section.querySelectorAll(".glossary-entry")).map(function (entry) {
      var aliases = entry.querySelector(".glossary-alias-list");
      return { node: entry, text: entry.querySelector(".glossary-term").textContent + " " + (aliases ? aliases.textContent : "") };
    });
    var groups = section.querySelectorAll(".glossary-letter");
    var timer = null;
    input.addEventListener("input", function () {
      var query = input.value;
      var shown = 0;
      entries.forEach(function (entry) {
        var hit = matches(query, entry.text);
        entry.node.hidden = !hit;
        if (hit) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".glossary-entry:not([hidden])");
      });
      empty.hidden = shown > 0;
      clearTimeout(timer);
      // Announce once typing pauses, not on every key.
      timer = setTimeout(function () {
        count.textContent = query.trim() ? t("glossary_count", { n: shown, total: entries.length }) : "";
      }, 400);
    });
  }

  function init() {
    document.addEventListener("click", function (event) {
      var ref = event.target.closest("a.term-ref, a.legal-ref");
      if (ref) {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        waiting = null;
        if (open && open.trigger === ref) {
          event.preventDefault();
          close(true);
        } else if (show(ref) || later(ref)) {
          event.preventDefault();
        }
        return;
      }
      waiting = null;
      if (event.target.closest('[data-action="close-card"]')) close(true);
      else if (open && event.target.closest(".ref-card-link")) close(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !open) return;
      var inside = open.card.contains(document.activeElement) || document.activeElement === open.trigger;
      if (inside) {
        event.preventDefault();
        close(true);
      }
    });
  }

  /* References in a page about to be shown say that they expand. */
  function prepare(section) {
    section.querySelectorAll("a.term-ref, a.legal-ref").forEach(function (ref) {
      if (!ref.hasAttribute("aria-expanded")) ref.setAttribute("aria-expanded", "false");
    });
  }

  CW.glossary = { init: init, prepare: prepare, close: close, matches: matches, initFilter: initFilter, show: show };
})(globalThis);
