/* End screen: the verdict of results.js in words: what was required, what the learner achieved,
   why the result is what it is, and the next step (continue, retry, review, contact). */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;
  var el = CW.el;
  var MAX_TODO = 12;

  function pageLink(app, id) {
    return el("a", { href: "#/" + id }, title(app, id));
  }

  /* A page's title; its address until pages/outline.js has brought it (runtime/pages.js). */
  function title(app, id) {
    return (app.pages[id] && app.pages[id].title) || id;
  }

  /* The headline: passed, failed for good, not passed yet, incomplete, or completed (no pass rule). */
  function headline(s) {
    if (s.success === "passed") return { tone: "pass", icon: "correct", key: "end_result_passed" };
    if (s.success === "failed") return { tone: "fail", icon: "incorrect", key: "end_result_failed" };
    if (s.next === "retry") return { tone: "warn", icon: "info", key: "end_result_retry" };
    if (s.completed && !s.hasPassRule) return { tone: "pass", icon: "correct", key: "end_result_completed" };
    return { tone: "open", icon: "info", key: "end_result_incomplete" };
  }

  function left(a) {
    return a.left === Infinity ? t("end_attempts_unlimited") : String(a.left);
  }

  function assessmentText(a) {
    if (!a.done) return t("end_assessment_open");
    var p = { percent: a.percent, mark: a.passMark, left: left(a) };
    if (a.passMark === null) return t("end_a_finished", p);
    return t("end_a_" + a.status, p);
  }

  function reasonText(app, r) {
    var p = Object.assign({}, r.params);
    if (p.id) p.title = title(app, p.id);
    if (p.left === Infinity) p.left = t("end_attempts_unlimited");
    return t(r.key, p);
  }

  function nextStep(app, s) {
    var box = el("div", { class: "end-next" }, el("h2", { class: "end-heading" }, t("end_next")));
    var othersLeft = s.next === "contact" && s.assessments.some(function (a) { return a.counts && a.left > 0 && a.status !== "passed"; });
    var text = el("p", {}, t(othersLeft ? "end_next_contact_left" : "end_next_" + s.next));
    box.appendChild(text);
    if (s.next === "retry") {
      var list = el("ul", { class: "end-list end-todo" });
      s.assessments.forEach(function (a) {
        if (a.counts && a.status === "retry") list.appendChild(el("li", {}, pageLink(app, a.id)));
      });
      box.appendChild(list);
    }
    return box;
  }

  function render(app, box) {
    var s = app.summary;
    box.textContent = "";
    var head = headline(s);
    var verdict = el("div", { class: "end-verdict" });
    verdict.appendChild(el("p", { class: "verdict verdict--" + head.tone },
      CW.icon(head.icon), el("strong", { class: "end-status", "data-result": s.success + "/" + s.completion }, t(head.key))));
    box.appendChild(verdict);
    var lms = app.lms || {};
    var mode = lms.mode === "browse" ? "end_mode_browse" : lms.mode === "review" ? "end_mode_review"
      : lms.credit === "no-credit" ? "end_no_credit" : null;
    if (mode) box.appendChild(el("p", { class: "end-mode" }, t(mode)));

    var facts = el("dl", { class: "end-facts" });
    function fact(label, value, className) {
      facts.appendChild(el("div", { class: className || null }, el("dt", {}, label), el("dd", {}, value)));
    }
    fact(t("end_required"), !s.hasPassRule ? t("end_rule_complete")
      : s.rule === "score" && s.passMark ? t("end_rule_score", { mark: s.passMark.percent }) : t("end_rule_each"), "end-rule");
    fact(t("end_pages"), t("progress_pages", { done: s.pagesDone, total: s.pagesTotal }));
    if (s.score) fact(t("end_score"), t("percent", { n: CW.results.percent(s.score) }), "end-score");
    if (s.passMark && s.rule === "score") {
      fact(t("end_pass_mark"), s.passMark.source === "lms"
        ? t("end_mark_lms", { mark: s.passMark.percent }) : t("percent", { n: s.passMark.percent }), "end-pass-mark");
    }
    box.appendChild(facts);

    if (s.reasons.length) {
      box.appendChild(el("h2", { class: "end-heading" }, t("end_why")));
      var why = el("ul", { class: "end-reasons" });
      s.reasons.forEach(function (r) { why.appendChild(el("li", {}, reasonText(app, r))); });
      box.appendChild(why);
    }

    if (s.assessments.length) {
      box.appendChild(el("h2", { class: "end-heading" }, t("end_assessments")));
      var list = el("ul", { class: "end-list" });
      s.assessments.forEach(function (a) {
        var tone = !a.done ? "open" : a.status === "passed" ? "done" : a.status; // else "retry" or "failed"
        list.appendChild(el("li", { class: "is-" + tone, "data-assessment": a.id, "data-status": a.status },
          CW.icon(tone === "done" ? "correct" : tone === "failed" ? "incorrect" : "info"),
          el("span", { class: "end-item" }, pageLink(app, a.id), " ", el("span", { class: "end-item-status" }, assessmentText(a)))));
      });
      box.appendChild(list);
    }

    box.appendChild(nextStep(app, s));

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
    var certificate = false;
    function update() {
      if (!section.classList.contains("is-current")) return;
      render(app, box);
      CW.pages.titles(); // the pages it names: "titles" comes when they are there
      if (certificate) return;
      certificate = true; // its script comes the first time the end screen shows (runtime/parts.js)
      CW.parts.need(["certificate"], function (ok) {
        if (ok && CW.certificate) CW.certificate.init(app, section);
      });
    }
    CW.on("page", update);
    CW.on("progress", update);
    CW.on("titles", update);
  }

  CW.endscreen = { init: init, render: render };
})(globalThis);
