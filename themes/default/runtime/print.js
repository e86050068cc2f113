/* Print: the browser's own print command prints the whole course as a handout (in a course whose
   pages load on demand, the page on show); the two buttons under a page's title print just that page,
   or every page of its module (brought first when they load on demand). The pages left out are
   marked on the document for print.css while the print lasts. */
(function (root) {
  "use strict";
  var printed = [];

  function chosen(button) {
    var section = button.closest("section.page");
    if (button.getAttribute("data-print") === "page") return [section];
    var module = section.getAttribute("data-page").split("/")[0] + "/";
    return Array.from(document.querySelectorAll("section.page[data-page]")).filter(function (page) {
      return page.getAttribute("data-page").indexOf(module) === 0;
    });
  }

  function clear() {
    document.documentElement.removeAttribute("data-print");
    printed.forEach(function (page) { page.classList.remove("is-printed"); });
    printed = [];
  }

  if (root.document) document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-print]");
    if (!button) return;
    clear();
    var print = function () {
      printed = chosen(button);
      printed.forEach(function (page) { page.classList.add("is-printed"); });
      document.documentElement.setAttribute("data-print", button.getAttribute("data-print"));
      root.print();
    };
    var CW = root.Coursewright;
    if (button.getAttribute("data-print") !== "module" || !CW || !CW.pages || !CW.app) return print();
    // Pages loaded on demand: the module's other pages come first.
    var module = button.closest("section.page").getAttribute("data-page").split("/")[0];
    var ids = (CW.app.course.modules.filter(function (m) { return m.id === module; })[0] || { pages: [] }).pages;
    CW.pages.loadAll(ids, print);
  });
  if (root.addEventListener) root.addEventListener("afterprint", clear);
})(globalThis);
