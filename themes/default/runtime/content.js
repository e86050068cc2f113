/* Content: enhancements of what Markdown produced, page by page as pages are first shown:
   tabs become a tablist (arrow keys, Home, End; mirrored right to left), callouts say their kind,
   flip cards turn with a button, figures enlarge in a dialog, dates read in the course language;
   reveals and accordions open while printing. Without JavaScript every block reads in full. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var el = CW.el;
  var t = CW.t;
  var tabsCount = 0;

  function selectTab(tabs, panels, index, focus) {
    tabs.forEach(function (tab, i) {
      var selected = i === index;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      panels[i].hidden = !selected;
    });
    if (focus) tabs[index].focus();
  }

  function enhanceTabs(box) {
    var panels = Array.from(box.children).filter(function (x) { return x.classList.contains("tab"); });
    if (!panels.length) return;
    tabsCount += 1;
    var base = "tabs-" + tabsCount;
    var list = el("div", { class: "tablist", role: "tablist" });
    var tabs = panels.map(function (panel, i) {
      var title = panel.querySelector(".tab-title");
      var tab = el("button", { type: "button", role: "tab", class: "tab-button", id: base + "-tab-" + i, "aria-controls": base + "-panel-" + i });
      tab.textContent = title ? title.textContent : String(i + 1);
      if (title) title.classList.add("visually-hidden");
      panel.id = base + "-panel-" + i;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      list.appendChild(tab);
      return tab;
    });
    box.insertBefore(list, box.firstChild);
    box.classList.add("is-enhanced");
    list.addEventListener("click", function (event) {
      var tab = event.target.closest('[role="tab"]');
      if (tab) selectTab(tabs, panels, tabs.indexOf(tab), false);
    });
    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) return;
      var rtl = getComputedStyle(box).direction === "rtl";
      var step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
      var next = null;
      if (step) next = (current + step + tabs.length) % tabs.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = tabs.length - 1;
      if (next === null) return;
      event.preventDefault();
      selectTab(tabs, panels, next, true);
    });
    selectTab(tabs, panels, 0, false);
  }

  function formatDates(section) {
    section.querySelectorAll("time[datetime]").forEach(function (time) {
      var day = CW.isoDay(time.getAttribute("datetime"));
      if (day) time.textContent = CW.localFormat(CW.longDate, day);
    });
  }

  /* A callout's kind shown by an icon and said in words (hidden when the callout has a title of
     its own), not by its colour alone. */
  function markCallouts(section) {
    section.querySelectorAll(".callout").forEach(function (box) {
      var kind = /\bcallout-(note|tip|warning|important)\b/.exec(box.className);
      if (!kind || box.querySelector(".callout-kind")) return;
      var title = box.querySelector(".callout-title");
      var words = el("span", { class: title ? "visually-hidden" : "callout-kind-text" }, t("callout_" + kind[1]) + (title ? ": " : ""));
      if (!title) title = box.insertBefore(el("p", { class: "callout-title" }), box.firstChild);
      // Each kind's icon has its name, but a note's, which is "info".
      title.insertBefore(el("span", { class: "callout-kind" }, CW.icon(kind[1] === "note" ? "info" : kind[1]), words), title.firstChild);
    });
  }

  /* A flip card: its front and a button that turns it; the face turned away is inert, so only the
     shown face is read and reached. A click anywhere on the card but a link turns it too. */
  var flipCount = 0;
  function enhanceFlipcard(card) {
    var front = card.querySelector(":scope > .flipcard-front");
    var back = card.querySelector(":scope > .flipcard-back");
    if (!front || !back || card.classList.contains("is-enhanced")) return;
    flipCount += 1;
    back.id = "flipcard-" + flipCount + "-back";
    var turn = el("button", { type: "button", class: "btn btn-small flipcard-turn", "aria-expanded": "false", "aria-controls": back.id });
    card.insertBefore(turn, back);
    function show(flipped) {
      card.classList.toggle("is-flipped", flipped);
      turn.setAttribute("aria-expanded", flipped ? "true" : "false");
      turn.textContent = t(flipped ? "flipcard_front" : "flipcard_back");
      [[front, !flipped], [back, flipped]].forEach(function (face) {
        face[0].inert = !face[1];
        if (face[1]) face[0].removeAttribute("aria-hidden");
        else face[0].setAttribute("aria-hidden", "true");
      });
    }
    turn.addEventListener("click", function () { show(!card.classList.contains("is-flipped")); });
    card.addEventListener("click", function (event) {
      if (!event.target.closest("a, button, summary, input")) show(!card.classList.contains("is-flipped"));
    });
    card.classList.add("is-enhanced");
    show(false);
  }

  /* A figure's image is a button that opens it in a modal dialog (focus kept inside, Escape
     closes), fitted to the screen, with a button to see it at twice the size and scroll. */
  var zoom = null;
  function zoomDialog() {
    if (zoom) return zoom;
    var image = el("img", { class: "zoom-image", alt: "" });
    var size = el("button", { type: "button", class: "btn btn-small", "aria-pressed": "false" }, t("figure_zoom_in"));
    var close = el("button", { type: "button", class: "btn btn-small" }, t("figure_close"));
    var dialog = el("dialog", { class: "zoom-dialog", "aria-label": t("figure_enlarged") },
      el("div", { class: "zoom-bar" }, size, close), el("div", { class: "zoom-view" }, image));
    size.addEventListener("click", function () {
      var big = !dialog.classList.contains("is-zoomed");
      dialog.classList.toggle("is-zoomed", big);
      size.setAttribute("aria-pressed", big ? "true" : "false");
    });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    document.body.appendChild(dialog);
    zoom = { dialog: dialog, image: image, size: size, opener: null };
    dialog.addEventListener("close", function () { if (zoom.opener) zoom.opener.focus(); });
    return zoom;
  }

  function enhanceFigure(figure) {
    var img = figure.querySelector(":scope > img");
    if (!img || typeof document.createElement("dialog").showModal !== "function") return;
    var button = el("button", { type: "button", class: "figure-zoom", "aria-haspopup": "dialog" });
    button.setAttribute("aria-label", t("figure_enlarge", { alt: img.alt }));
    figure.insertBefore(button, img);
    button.appendChild(img);
    button.addEventListener("click", function () {
      var z = zoomDialog();
      z.image.src = img.currentSrc || img.src;
      z.image.alt = img.alt;
      z.dialog.classList.remove("is-zoomed");
      z.size.setAttribute("aria-pressed", "false");
      z.opener = button;
      z.dialog.showModal();
      z.size.focus();
    });
  }

  function enhance(section) {
    section.querySelectorAll(".tabs").forEach(enhanceTabs);
    section.querySelectorAll(".flipcard").forEach(enhanceFlipcard);
    section.querySelectorAll("figure.figure").forEach(enhanceFigure);
    markCallouts(section);
    formatDates(section);
    CW.glossary.prepare(section);
  }

  /* A handout shows what reveals and accordions hide: open them for printing, close them again after. */
  var opened = [];
  if (root.addEventListener) root.addEventListener("beforeprint", function () {
    opened = Array.from(document.querySelectorAll("details.reveal:not([open]), details.accordion-item:not([open])")).filter(function (d) {
      d.open = true;
      return true;
    });
  });
  if (root.addEventListener) root.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  CW.content = { enhance: enhance };
})(globalThis);
