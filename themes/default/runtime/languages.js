/* Languages: the picker's links follow the learner's page, the language they chose is kept with
   their progress and restored when they come back, and the course's cover text shows on its first
   page. Switching language keeps the progress: page ids, answers and results are the same in every
   language of a course, so one saved state serves them all. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  function links() {
    return Array.from(document.querySelectorAll(".language-picker a.language-link[hreflang]"));
  }

  /* Go to another language's course at `pageId`, keeping an open LMS session for it. */
  function open(href, pageId) {
    if (CW.scorm) CW.scorm.keepSession = true;
    root.location.href = href.split("#")[0].split("?")[0] + root.location.search + (pageId ? "#/" + pageId : "");
  }

  /* The learner chose another language last time and opened the course without naming a page:
     take them there. Returns true when the page is being left. */
  function restore(app) {
    var chosen = app.state.lang, here = app.course.language;
    if (!chosen || chosen === here || /^#\//.test(root.location.hash)) return false;
    var link = links().filter(function (a) { return a.getAttribute("hreflang") === chosen; })[0];
    if (!link) return false;
    open(link.getAttribute("href"), app.state.location);
    return true;
  }

  /* Record the language on show; keep the picker's links on the current page; close the picker
     with Escape or a click elsewhere. */
  function init(app) {
    var here = app.course.language;
    if (app.state.lang !== here && links().length) {
      app.state.lang = here;
      app.save({ quiet: true });
    }
    var picker = document.querySelector(".language-picker");
    links().forEach(function (a) { a.setAttribute("data-base", a.getAttribute("href").split("#")[0]); });
    CW.on("page", function (id) {
      // The address's parameters (an LMS's launch parameters) go along to the other language's page.
      links().forEach(function (a) {
        a.setAttribute("href", a.getAttribute("data-base") + root.location.search + "#/" + id);
      });
    });
    if (!picker) return;
    picker.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && picker.open) {
        picker.open = false;
        picker.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (picker.open && !picker.contains(event.target)) picker.open = false;
    });
  }

  CW.languages = { init: init, restore: restore, open: open };
})(globalThis);
