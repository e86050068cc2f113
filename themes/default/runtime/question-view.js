/* Question view: one server-rendered question (templates/question.html) brought to life: its
   layout (option orders), reading and restoring answers, move buttons for ordering, marks and
   feedback after checking. Used by quizzes and inline checks alike. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var t = CW.t;
  var el = CW.el;

  function QuestionView(node, question, onChange) {
    this.node = node;
    this.q = question;
    this.onChange = onChange || function () {};
    this.feedback = node.querySelector(".question-feedback");
    this.actions = node.querySelector(".question-actions");
    this.status = node.querySelector(".question-status");
    this.message = el("p", { class: "question-message", role: "status" });
    if (this.actions) this.actions.after(this.message);
    if (question.type === "ordering") this.enhanceOrdering();
    var self = this;
    node.addEventListener("click", function (event) {
      // A checked option cannot be changed (by a click on it or its label, or an arrow key).
      if (event.target.matches("input[aria-disabled='true']")) event.preventDefault();
    });
    node.addEventListener("change", function (event) {
      if (event.target.matches("input, select")) self.onChange(self);
    });
    node.addEventListener("input", function (event) {
      if (event.target.matches(".fill-in-input")) self.onChange(self, true);
    });
  }

  QuestionView.prototype.inputs = function () {
    return Array.from(this.node.querySelectorAll("input, select, .order-item button"));
  };

  /* Put options, right-hand sides and items in the attempt's order. */
  QuestionView.prototype.applyLayout = function (layout) {
    var node = this.node;
    if (layout.options) {
      var box = node.querySelector(".options");
      layout.options.forEach(function (index) {
        var option = box.querySelector('.option[data-index="' + index + '"]');
        if (option) box.appendChild(option);
      });
    }
    if (layout.rights) {
      node.querySelectorAll(".match-select").forEach(function (select) {
        layout.rights.forEach(function (index) {
          var option = select.querySelector('option[value="' + index + '"]');
          if (option) select.appendChild(option);
        });
      });
    }
    if (layout.items) this.setOrder(layout.items);
  };

  QuestionView.prototype.setOrder = function (order) {
    var list = this.node.querySelector(".order");
    order.forEach(function (index) {
      var item = list.querySelector('.order-item[data-item="' + index + '"]');
      if (item) list.appendChild(item);
    });
    this.updateOrderButtons();
  };

  QuestionView.prototype.enhanceOrdering = function () {
    var self = this;
    var items = this.node.querySelectorAll(".order-item");
    items.forEach(function (item) {
      var text = item.querySelector(".order-text").textContent.trim();
      var up = el("button", { type: "button", class: "btn btn-icon order-up", "data-move": "-1", "aria-label": t("order_move_up", { item: text }) }, CW.icon("up"));
      var down = el("button", { type: "button", class: "btn btn-icon order-down", "data-move": "1", "aria-label": t("order_move_down", { item: text }) }, CW.icon("down"));
      item.insertBefore(el("span", { class: "order-position", "aria-hidden": "true" }), item.firstChild);
      item.appendChild(el("span", { class: "order-buttons" }, up, down));
    });
    this.node.querySelector(".order").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (button && !button.disabled) self.move(button.closest(".order-item"), Number(button.getAttribute("data-move")), button);
    });
  };

  QuestionView.prototype.move = function (item, step, button) {
    var list = item.parentNode;
    var sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) return;
    list.insertBefore(item, step < 0 ? sibling : sibling.nextElementSibling);
    this.updateOrderButtons();
    var items = Array.from(list.children);
    var position = items.indexOf(item) + 1;
    if (button.disabled) button = item.querySelector(step < 0 ? ".order-down" : ".order-up");
    button.focus();
    this.announce(t("order_moved", { item: item.querySelector(".order-text").textContent.trim(), n: position, total: items.length }));
    this.onChange(this);
  };

  QuestionView.prototype.updateOrderButtons = function () {
    var items = this.node.querySelectorAll(".order-item");
    var locked = this.node.classList.contains("is-locked");
    items.forEach(function (item, i) {
      var position = item.querySelector(".order-position");
      if (position) position.textContent = CW.formatNumber(i + 1);
      var up = item.querySelector(".order-up");
      var down = item.querySelector(".order-down");
      if (up) up.disabled = locked || i === 0;
      if (down) down.disabled = locked || i === items.length - 1;
    });
  };

  QuestionView.prototype.announce = function (text) {
    if (this.status) CW.announce(text, this.status);
  };

  /* The learner's answer in the neutral form, or null when there is none. */
  QuestionView.prototype.read = function () {
    var node = this.node;
    var type = this.q.type;
    if (type === "single" || type === "multiple" || type === "hotspot") {
      var chosen = [];
      node.querySelectorAll(".options input:checked").forEach(function (input) {
        chosen.push(Number(input.value));
      });
      chosen.sort(function (a, b) { return a - b; });
      return chosen.length ? chosen : null;
    }
    if (type === "true-false") {
      var checked = node.querySelector(".options input:checked");
      return checked ? checked.value === "true" : null;
    }
    if (type === "fill-in") {
      var value = node.querySelector(".fill-in-input").value;
      return value.trim() ? value : null;
    }
    if (type === "matching") {
      var pairs = [];
      node.querySelectorAll(".match-select").forEach(function (select) {
        if (select.value !== "") pairs.push([Number(select.getAttribute("data-left")), Number(select.value)]);
      });
      return pairs.length ? pairs : null;
    }
    if (type === "ordering") {
      return Array.from(node.querySelectorAll(".order-item")).map(function (item) {
        return Number(item.getAttribute("data-item"));
      });
    }
    if (type === "categorisation") {
      var placed = [];
      this.q.sort_items.forEach(function (_, n) {
        var input = node.querySelector('.sort-item[data-item="' + n + '"] :checked');
        if (input) placed.push([n, Number(input.value)]);
      });
      return placed.length ? placed : null;
    }
    return null;
  };

  /* Show a saved answer (or none). */
  QuestionView.prototype.write = function (response) {
    var node = this.node;
    var type = this.q.type;
    if (type === "single" || type === "multiple" || type === "hotspot") {
      node.querySelectorAll(".options input").forEach(function (input) {
        input.checked = Array.isArray(response) && response.indexOf(Number(input.value)) >= 0;
      });
    } else if (type === "true-false") {
      node.querySelectorAll(".options input").forEach(function (input) {
        input.checked = typeof response === "boolean" && String(response) === input.value;
      });
    } else if (type === "fill-in") {
      node.querySelector(".fill-in-input").value = typeof response === "string" ? response : "";
    } else if (type === "matching") {
      node.querySelectorAll(".match-select").forEach(function (select) {
        var left = Number(select.getAttribute("data-left"));
        var pair = (Array.isArray(response) ? response : []).filter(function (p) { return p[0] === left; })[0];
        select.value = pair ? String(pair[1]) : "";
      });
    } else if (type === "ordering" && Array.isArray(response)) {
      this.setOrder(response);
    } else if (type === "categorisation") {
      node.querySelectorAll(".sort-item input").forEach(function (input) {
        var n = Number(input.closest(".sort-item").getAttribute("data-item"));
        input.checked = Array.isArray(response) && response.some(function (p) { return p[0] === n && p[1] === Number(input.value); });
      });
    }
  };

  /* Checked answers stay as readable as before: options and typed answers keep their look and are
     only marked unavailable (a disabled native control turns grey); menus and move buttons, which
     cannot otherwise be held still, are disabled. */
  QuestionView.prototype.lock = function (locked) {
    this.node.classList.toggle("is-locked", !!locked);
    this.inputs().forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (locked) input.setAttribute("aria-disabled", "true");
        else input.removeAttribute("aria-disabled");
      } else if (input.classList.contains("fill-in-input")) {
        input.readOnly = !!locked;
      } else {
        input.disabled = !!locked;
      }
    });
    if (!locked && this.q.type === "ordering") this.updateOrderButtons();
  };

  QuestionView.prototype.setNumber = function (n, total) {
    var label = this.node.querySelector(".question-number");
    if (label) label.textContent = t("question_of", { n: n, total: total });
  };

  QuestionView.prototype.setActions = function () {
    var actions = this.actions;
    if (!actions) return;
    actions.textContent = "";
    Array.prototype.forEach.call(arguments, function (button) { if (button) actions.appendChild(button); });
  };

  /* Remove marks and feedback (before a retry). */
  QuestionView.prototype.clear = function () {
    var node = this.node;
    node.classList.remove("is-correct", "is-incorrect", "is-locked", "is-unanswered");
    node.querySelectorAll(".mark, .sort-marks, .option-feedback, .order-answer, .order-answer-title").forEach(function (x) {
      x.remove();
    });
    node.querySelectorAll(".is-chosen, .is-answer, .is-right, .is-wrong").forEach(function (x) {
      x.classList.remove("is-chosen", "is-answer", "is-right", "is-wrong");
    });
    this.feedback.hidden = true;
    this.feedback.textContent = "";
    this.say("");
  };

  /* A visible status message under the question (e.g. "Choose an answer first"). */
  QuestionView.prototype.say = function (text) {
    this.message.textContent = text;
  };

  function mark(kind, text) {
    return el("span", { class: "mark mark--" + kind }, CW.icon(kind === "wrong" ? "incorrect" : kind === "answer" ? "correct" : "info"), el("span", { class: "mark-text" }, text));
  }

  /* Marks on the learner's choices (and the correct answers when `reveal`), feedback and
     explanation. */
  QuestionView.prototype.showFeedback = function (response, reveal) {
    var q = this.q;
    var node = this.node;
    var correct = CW.questions.isCorrect(q, response);
    this.clear();
    this.lock(true);
    node.classList.add(correct ? "is-correct" : "is-incorrect");

    if (q.type === "single" || q.type === "multiple" || q.type === "true-false" || q.type === "hotspot") {
      var choices = (q.type === "hotspot" ? q.regions : q.options) || [];
      node.querySelectorAll(".option").forEach(function (option) {
        var raw = option.getAttribute("data-index");
        var chosen = q.type === "true-false" ? String(response) === raw : (response || []).indexOf(Number(raw)) >= 0;
        var isAnswer = q.type === "true-false" ? String(q.answer) === raw : !!(choices[Number(raw)] || {}).correct;
        if (chosen) {
          // The learner's own answer, right or wrong: never the same neutral tag for both.
          var right = isAnswer;
          option.classList.add("is-chosen", right ? "is-right" : "is-wrong");
          option.appendChild(mark(right ? "answer" : "wrong", t(right ? "mark_your_right" : "mark_your_wrong")));
        }
        if (reveal && isAnswer && !chosen) {
          option.classList.add("is-answer");
          option.appendChild(mark("answer", t("mark_correct_answer")));
        }
        var feedback = reveal && q.type !== "true-false" && chosen && (choices[Number(raw)] || {}).feedback_html;
        if (feedback) option.appendChild(el("div", { class: "option-feedback", html: feedback }));
      });
    } else if (q.type === "fill-in") {
      var box0 = node.querySelector(".fill-in");
      box0.appendChild(mark(correct ? "answer" : "wrong", t(correct ? "mark_your_right" : "mark_your_wrong")));
      if (reveal && !correct) box0.appendChild(mark("info", t("mark_accepted", { answer: (q.answers || []).join(" / ") })));
    } else if (q.type === "matching") {
      node.querySelectorAll(".match-row").forEach(function (row) {
        var left = Number(row.getAttribute("data-left"));
        var pair = (response || []).filter(function (p) { return p[0] === left; })[0];
        var right = pair && q.pairs[pair[1]];
        var ok = !!right && right.right === q.pairs[left].right;
        row.classList.add(ok ? "is-right" : "is-wrong");
        row.appendChild(mark(ok ? "answer" : "wrong", ok ? t("mark_right") : t("mark_wrong")));
        if (reveal && !ok) row.appendChild(mark("info", t("mark_match", { answer: q.pairs[left].right })));
      });
    } else if (q.type === "categorisation") {
      node.querySelectorAll(".sort-item").forEach(function (item) {
        var n = Number(item.getAttribute("data-item"));
        var wanted = q.sort_items[n].group;
        var ok = (response || []).some(function (p) { return p[0] === n && p[1] === wanted; });
        item.classList.add(ok ? "is-right" : "is-wrong");
        var marks = el("span", { class: "sort-marks" }, mark(ok ? "answer" : "wrong", t(ok ? "sort_right" : "sort_wrong")));
        if (reveal && !ok) marks.appendChild(mark("info", t("sort_belongs", { group: q.groups[wanted].text })));
        item.querySelector("fieldset").appendChild(marks);
      });
    } else if (q.type === "ordering") {
      node.querySelectorAll(".order-item").forEach(function (item, position) {
        var ok = q.items[Number(item.getAttribute("data-item"))] === q.items[position];
        item.classList.add(ok ? "is-right" : "is-wrong");
        item.appendChild(mark(ok ? "answer" : "wrong", ok ? t("mark_right_place") : t("mark_wrong_place")));
      });
      if (reveal && !correct) {
        var list = el("ol", { class: "order-answer" });
        (q.items_html || q.items).forEach(function (html) { list.appendChild(el("li", { html: html })); });
        node.querySelector(".order").after(el("p", { class: "order-answer-title" }, t("mark_correct_order")), list);
      }
    }

    var box = this.feedback;
    box.appendChild(el("p", { class: "feedback-verdict" },
      CW.icon(correct ? "correct" : "incorrect"),
      el("strong", {}, correct ? t("feedback_correct") : t("feedback_incorrect"))));
    // While attempts remain in an assessment, nothing that gives the right answer away: the
    // feedback and the explanation come with the last attempt or the pass.
    var specific = correct ? q.feedback_correct_html : q.feedback_incorrect_html;
    if (!reveal && !correct) {
      box.appendChild(el("p", { class: "feedback-held" }, t("feedback_held_back")));
    } else if (specific) {
      box.appendChild(el("div", { class: "feedback-text", html: specific }));
    }
    if (q.explanation_html && (reveal || correct)) {
      box.appendChild(el("div", { class: "feedback-explanation" },
        el("p", { class: "feedback-explanation-title" }, t("feedback_explanation")),
        el("div", { html: q.explanation_html })));
    }
    box.hidden = false;
    return correct;
  };

  QuestionView.prototype.reset = function (layout) {
    this.clear();
    this.write(null);
    this.lock(false);
    if (layout) this.applyLayout(layout);
  };

  CW.QuestionView = QuestionView;
})(globalThis);
