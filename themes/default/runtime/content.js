/* Content: enhancements of what Markdown produced, page by page as pages are first shown:
   tabs become a tablist (arrow keys, Home, End; mirrored right to left), callouts say their kind,
   dates read in the course language; reveals open while printing. */
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
    var panels = Array.prototype.filter.call(box.children, function (x) { return x.classList.contains("tab"); });
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
    var format;
    try {
      format = new Intl.DateTimeFormat(CW.language, { dateStyle: "long", timeZone: "UTC" });
    } catch (e) {
      return;
    }
    Array.prototype.forEach.call(section.querySelectorAll("time[datetime]"), function (time) {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(time.getAttribute("datetime"));
      if (m) time.textContent = format.format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
    });
  }

  /* A callout's kind shown by an icon and said in words (hidden when the callout has a title of
     its own), not by its colour alone. */
  function markCallouts(section) {
    var kinds = { note: ["info", t("callout_note")], tip: ["tip", t("callout_tip")],
      warning: ["warning", t("callout_warning")], important: ["important", t("callout_important")] };
    Array.prototype.forEach.call(section.querySelectorAll(".callout"), function (box) {
      var kind = /\bcallout-(note|tip|warning|important)\b/.exec(box.className);
      if (!kind || box.querySelector(".callout-kind")) return;
      var title = box.querySelector(".callout-title");
      var words = el("span", { class: title ? "visually-hidden" : "callout-kind-text" }, kinds[kind[1]][1] + (title ? ": " : ""));
      if (!title) title = box.insertBefore(el("p", { class: "callout-title" }), box.firstChild);
      title.insertBefore(el("span", { class: "callout-kind" }, CW.icon(kinds[kind[1]][0]), words), title.firstChild);
    });
  }

  function enhance(section) {
    Array.prototype.forEach.call(section.querySelectorAll(".tabs"), enhanceTabs);
    markCallouts(section);
    formatDates(section);
    CW.glossary.prepare(section);
  }

  /* A handout shows what reveals hide: open them for printing, close them again after. */
  var opened = [];
  if (root.addEventListener) root.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.reveal:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  if (root.addEventListener) root.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  CW.content = { enhance: enhance };
})(typeof window !== "undefined" ? window : globalThis);
