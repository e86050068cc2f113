/* The contents' modules as disclosures: each module's title becomes a button (aria-expanded) that shows
   or hides its pages. The module of the page on show opens, its entry is marked and scrolled into view
   in the contents; what the learner opened or closed stays so in this browser. A course whose pages load
   on demand lists a module's pages the first time it opens (index.html names the modules only, so that
   it stays small at a thousand lessons). Without JavaScript every module's pages are plain links (or,
   with pages on demand, a link to the module's own page). */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var el = CW.el;

  var nav = null;
  var items = {}; // module id → {item, button, list}
  var chosen = {}; // module id → true (opened) or false (closed) by the learner
  var storeKey = null;

  function remembered() {
    return CW.stored(storeKey) || {};
  }

  function remember() {
    CW.stored(storeKey, chosen); // no storage: the choice lasts as long as the page
  }

  /* A module's pages as links, made from the outline (the markup the template makes without paging). */
  function fill(list, module) {
    var pages = nav.app.pages;
    var kinds = { quiz: CW.t("kind_quiz"), scenario: CW.t("kind_scenario") };
    list.textContent = "";
    module.pages.forEach(function (id) {
      var kind = kinds[pages[id].kind];
      var link = el("a", { class: "toc-link", href: "#/" + id },
        el("span", { class: "toc-label" }, pages[id].title, kind ? " " : null, kind ? el("span", { class: "toc-kind" }, kind) : null));
      list.appendChild(el("li", {}, link));
      nav.links[id] = link;
    });
    nav.progress(nav.app.summary); // the new entries get their done marks
    var current = nav.current && nav.links[nav.current];
    if (current && list.contains(current)) {
      current.setAttribute("aria-current", "page");
      requestAnimationFrame(function () { nav.reveal(current); });
    }
  }

  /* A module whose pages or titles are still to come with pages/outline.js (runtime/pages.js). */
  function untitled(module) {
    return !!module.size || module.pages.some(function (id) { return !nav.app.pages[id] || !nav.app.pages[id].title; });
  }

  /* Show or hide a module's pages (listed the first time, once their titles are there). */
  function open(id, show) {
    var entry = items[id];
    if (!entry) return;
    if (show && !entry.list.firstElementChild) {
      var module = nav.app.course.modules.filter(function (m) { return m.id === id; })[0];
      if (module && untitled(module)) {
        entry.list.appendChild(el("li", { class: "toc-loading" }, CW.t("toc_loading")));
        CW.pages.titles(function () {
          module.pages.forEach(function (page) {
            var p = nav.app.pages[page];
            if (p && !p.title) p.title = page.split("/").pop(); // its script could not load: its address
          });
          fill(entry.list, module);
        });
      } else if (module) {
        fill(entry.list, module);
      }
    }
    entry.list.hidden = !show;
    entry.button.setAttribute("aria-expanded", show ? "true" : "false");
    entry.item.classList.toggle("is-open", show);
  }

  /* The module's title as a disclosure button, its progress bar, and its list of pages. */
  function enhance(item, index) {
    var id = item.getAttribute("data-module");
    var title = item.querySelector(".toc-module-title");
    if (!id || !title) return;
    var listId = "toc-pages-" + (index + 1);
    var button = el("button", { type: "button", class: "toc-module-toggle", "aria-expanded": "false", "aria-controls": listId });
    var label = button.appendChild(el("span", { class: "toc-module-label" }));
    while (title.firstChild) label.appendChild(title.firstChild);
    button.appendChild(CW.icon("next", "toc-chevron"));
    title.appendChild(button);
    var bar = el("span", { class: "bar", "aria-hidden": "true" }, el("span", { class: "bar-fill" }));
    title.parentNode.insertBefore(el("p", { class: "toc-module-progress" }, bar, el("span", { class: "toc-module-count" })),
      title.nextSibling);
    var list = item.querySelector("ol.toc-pages") || item.appendChild(el("ol", { class: "toc-pages" }));
    list.id = listId;
    list.hidden = true;
    items[id] = { item: item, button: button, list: list };
    button.addEventListener("click", function () {
      var show = button.getAttribute("aria-expanded") !== "true";
      chosen[id] = show;
      remember();
      open(id, show);
    });
  }

  /* The page on show: its module opens (it did not, if the learner closed it while there), its entry
     is marked and brought into view in the contents. */
  var shownModule = null;
  function follow(pageId) {
    var page = nav.app.pages[pageId];
    if (!page) return;
    if (page.module !== shownModule) {
      shownModule = page.module;
      if (chosen[page.module] === false) {
        delete chosen[page.module];
        remember();
      }
      open(page.module, true);
    }
    var link = nav.links[pageId];
    if (!link) return;
    link.setAttribute("aria-current", "page");
    requestAnimationFrame(function () { nav.reveal(link); });
  }

  /* Titles that came after the first screen (runtime/pages.js): the pager, and the resume offer. */
  function retitle() {
    nav.app.course.pages.forEach(function (p) {
      if (p.title && !nav.titles[p.id]) nav.titles[p.id] = p.title;
    });
    if (nav.current) nav.pager(nav.current);
    var saved = nav.app.state.location;
    var resume = document.querySelector("#resume .resume-text");
    if (nav.resumeShown && resume && saved && nav.titles[saved]) resume.textContent = CW.t("resume_text", { title: nav.titles[saved] });
  }

  /* Start: every module a disclosure, opened as the learner left it. */
  function init(theNav) {
    nav = theNav;
    storeKey = CW.storageKey(nav.app.course) + ":contents";
    chosen = remembered();
    document.querySelectorAll("#toc .toc-module[data-module]").forEach(enhance);
    Object.keys(chosen).forEach(function (id) {
      if (chosen[id] === true) open(id, true);
    });
    CW.on("page", follow);
    CW.on("titles", retitle);
    var saved = nav.app.state.location;
    if (saved && nav.app.pages[saved] && !nav.app.pages[saved].title) CW.pages.titles(); // for the resume offer
  }

  CW.toc = { init: init, open: open };
})(globalThis);
