/* End screen: the course's outcome (completed or not, score, passed or not), each assessment's
   result, and what is still to do. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;
  var el = CW.el;
  var MAX_TODO = 12;

  function percent(points, max) {
    return max > 0 ? Math.round((points * 100) / max) : 0;
  }

  function pageLink(app, id) {
    var page = app.pages[id];
    return el("a", { href: "#/" + id }, page ? page.title : id);
  }

  function render(app, box) {
    var s = app.summary;
    box.textContent = "";
    var verdict = el("div", { class: "end-verdict" });
    verdict.appendChild(el("p", { class: "verdict " + (s.completed ? "verdict--pass" : "verdict--open") },
      CW.icon(s.completed ? "correct" : "info"),
      el("strong", { class: "end-status" }, s.completed ? t("end_completed") : t("end_not_completed"))));
    if (s.passed !== null) {
      verdict.appendChild(el("p", { class: "verdict " + (s.passed ? "verdict--pass" : "verdict--fail") },
        CW.icon(s.passed ? "correct" : "incorrect"),
        el("strong", { class: "end-passed" }, s.passed ? t("end_passed") : t("end_failed"))));
    }
    box.appendChild(verdict);

    var facts = el("dl", { class: "end-facts" });
    function fact(label, value, className) {
      facts.appendChild(el("div", { class: className || null }, el("dt", {}, label), el("dd", {}, value)));
    }
    fact(t("end_pages"), t("progress_pages", { done: s.pagesDone, total: s.pagesTotal }));
    if (s.score) {
      fact(t("end_score"), t("end_score_value", { percent: Math.round(s.score.scaled * 100), points: s.score.raw, max: s.score.max }), "end-score");
    }
    if (s.passMark !== null && s.assessments.length) fact(t("end_pass_mark"), t("percent", { n: s.passMark }));
    box.appendChild(facts);

    if (s.assessments.length) {
      box.appendChild(el("h2", { class: "end-heading" }, t("end_assessments")));
      var list = el("ul", { class: "end-list" });
      s.assessments.forEach(function (a) {
        list.appendChild(el("li", { class: a.done ? "is-done" : "is-open" },
          CW.icon(a.done ? "correct" : "info"), " ", pageLink(app, a.id), " ",
          el("span", { class: "end-item-status" }, a.done
            ? t("end_assessment_done", { percent: percent(a.points, a.max), points: a.points, max: a.max })
            : t("end_assessment_open"))));
      });
      box.appendChild(list);
    }

    if (!s.completed) {
      var todo = app.course.pages.filter(function (p) { return !s.donePages[p.id]; });
      if (todo.length) {
        box.appendChild(el("h2", { class: "end-heading" }, t("end_todo")));
        var open = el("ul", { class: "end-list end-todo" });
        todo.slice(0, MAX_TODO).forEach(function (p) { open.appendChild(el("li", {}, pageLink(app, p.id))); });
        if (todo.length > MAX_TODO) open.appendChild(el("li", {}, t("end_todo_more", { n: todo.length - MAX_TODO })));
        box.appendChild(open);
      }
    }
  }

  function init(app) {
    var section = document.getElementById("end");
    var box = section && section.querySelector(".end-outcome");
    if (!box) return;
    function update() {
      if (section.classList.contains("is-current")) render(app, box);
    }
    CW.on("page", update);
    CW.on("progress", update);
    if (CW.certificate) CW.certificate.init(app, section);
  }

  CW.endscreen = { init: init, render: render };
})(typeof window !== "undefined" ? window : globalThis);
