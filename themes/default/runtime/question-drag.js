/* Drag and drop for matching and ordering questions, with a mouse, a pen or a finger (pointer
   events). It adds a way; it replaces none: each matching row keeps its menu and each ordering item
   its move up and move down buttons, which the keyboard and screen readers use, and every drop is
   announced as those are. A matching row shows the full text of the answer matched to it, before
   and after checking, so a long answer is never cut off by its menu. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var el = CW.el;
  var t = CW.t;
  var View = CW.QuestionView;
  var proto = View.prototype;

  function locked(view) { return view.node.classList.contains("is-locked"); }
  function text(node) { return node ? node.textContent.trim() : ""; }
  function label(select, value) {
    var option = select.querySelector('option[value="' + value + '"]');
    return option ? option.textContent.trim() : "";
  }

  /* The part of the window a drop can reach: between the sticky header and the sticky bars at the
     bottom (the quiz's Check bar, above a phone's pager) where they are stuck, since what they cover
     cannot be seen, nor dropped on. The bars at the foot are taken from the window's edge up. */
  function inView() {
    var band = { top: 0, bottom: innerHeight };
    var boxes = [];
    document.querySelectorAll(".site-header, .quiz-bar, .pager").forEach(function (bar) {
      var position = getComputedStyle(bar).position;
      if (position !== "sticky" && position !== "fixed") return;
      var box = bar.getBoundingClientRect();
      if (box.height > 0) boxes.push(box);
    });
    boxes.sort(function (a, b) { return b.bottom - a.bottom; });
    boxes.forEach(function (box) {
      if (box.top <= 1 && box.bottom < innerHeight / 2) band.top = Math.max(band.top, box.bottom);
      else if (box.bottom >= band.bottom - 1 && box.top > innerHeight / 2) band.bottom = Math.min(band.bottom, box.top);
    });
    return band;
  }

  /* A drag from `handle`: `move` runs with each pointer position, `drop` once at the end (not
     after a cancel). The page does not scroll under a finger that drags (touch-action in the CSS).
     The moves are followed on the document: the dragged node may be moved in the page meanwhile. */
  function track(handle, start, move, drop) {
    handle.addEventListener("pointerdown", function (event) {
      if (event.button > 0 || !start(event)) return;
      event.preventDefault();
      var id = event.pointerId;
      function mine(listener) {
        return function (e) { if (e.pointerId === id) listener(e); };
      }
      var onMove = mine(function (e) {
        // near the top or bottom of what is in view, the page scrolls to bring the rest into reach
        var band = inView();
        var edge = Math.min(48, (band.bottom - band.top) / 8);
        if (e.clientY > band.bottom - edge) root.scrollBy(0, 24);
        else if (e.clientY < band.top + edge) root.scrollBy(0, -24);
        move(e);
      });
      var onUp = mine(function (e) { stop(); drop(e, true); });
      var onCancel = mine(function (e) { stop(); drop(e, false); });
      function stop() {
        document.removeEventListener("pointermove", onMove);
        document.removeEventListener("pointerup", onUp);
        document.removeEventListener("pointercancel", onCancel);
      }
      document.addEventListener("pointermove", onMove);
      document.addEventListener("pointerup", onUp);
      document.addEventListener("pointercancel", onCancel);
    });
  }

  /* Ordering: the position number is the grip; the item follows the pointer through the list. */
  function dragOrdering(view) {
    var list = view.node.querySelector(".order");
    list.querySelectorAll(".order-item").forEach(function (item) {
      var grip = item.querySelector(".order-position");
      if (!grip) return;
      grip.classList.add("drag-grip");
      var before = -1;
      track(grip, function () {
        if (locked(view)) return false;
        before = Array.prototype.indexOf.call(list.children, item);
        item.classList.add("is-dragging");
        return true;
      }, function (event) {
        var next = Array.from(list.children).filter(function (other) {
          if (other === item) return false;
          var box = other.getBoundingClientRect();
          return event.clientY < box.top + box.height / 2;
        })[0];
        if ((next || null) !== item.nextElementSibling) {
          list.insertBefore(item, next || null);
          view.updateOrderButtons();
        }
      }, function () {
        item.classList.remove("is-dragging");
        var items = Array.from(list.children);
        var position = items.indexOf(item);
        if (position === before) return;
        view.announce(t("order_moved", { item: text(item.querySelector(".order-text")), n: position + 1, total: items.length }));
        view.onChange(view);
      });
    });
  }

  /* Matching: a card for every answer, in the menus' order, to drag onto a row; each row shows the
     answer it holds in full. */
  function dragMatching(view) {
    var node = view.node;
    var selects = node.querySelectorAll(".match-select");
    if (!selects.length) return;
    var pool = el("div", { class: "match-pool", "aria-hidden": "true" });
    node.querySelector(".match").before(el("p", { class: "match-pool-hint", "aria-hidden": "true" }, t("match_drag_hint")), pool);
    selects.forEach(function (select) {
      select.closest(".match-row").appendChild(el("p", { class: "match-chosen", hidden: true }));
    });
    view.refreshMatches = function () {
      pool.textContent = "";
      selects[0].querySelectorAll("option[value]:not([value=''])").forEach(function (option) {
        var card = el("span", { class: "match-card", "data-value": option.value }, option.textContent.trim());
        pool.appendChild(card);
        dragCard(view, card);
      });
      selects.forEach(function (select) {
        var chosen = select.closest(".match-row").querySelector(".match-chosen");
        chosen.hidden = select.value === "";
        chosen.textContent = select.value === "" ? "" : label(select, select.value);
      });
    };
    node.addEventListener("change", function (event) {
      if (event.target.matches(".match-select")) view.refreshMatches();
    });
    view.refreshMatches();
  }

  function dragCard(view, card) {
    dropOnto(view, card, card, ".match-row", function (row) {
      var select = row.querySelector(".match-select");
      select.value = card.getAttribute("data-value");
      select.dispatchEvent(new Event("change", { bubbles: true }));
      view.announce(t("match_dropped", { left: text(row.querySelector(".match-left")), right: text(card) }));
    });
  }

  /* A drag of `handle` that carries a copy of `shown` under the pointer and drops it on the element
     matching `selector` (in the question) under the pointer, which is highlighted on the way. */
  function dropOnto(view, handle, shown, selector, drop) {
    var ghost = null;
    var target = null;
    track(handle, function (event) {
      if (locked(view)) return false;
      var box = shown.getBoundingClientRect();
      ghost = shown.cloneNode(true);
      ghost.removeAttribute("id");
      ghost.classList.add("match-ghost");
      ghost.style.inlineSize = Math.min(box.width, 320) + "px";
      document.body.appendChild(ghost);
      handle.classList.add("is-dragging");
      place(event);
      return true;
    }, place, function (_, done) {
      if (ghost) ghost.remove();
      ghost = null;
      handle.classList.remove("is-dragging");
      if (target) target.classList.remove("is-drop-target");
      var found = done ? target : null;  // where the last move was: a lifted finger has no position
      target = null;
      if (found && view.node.contains(found)) drop(found);
    });
    function place(event) {
      if (!ghost) return;
      // a transform from the ghost's start corner: right to left, that corner is the right one
      var rtl = getComputedStyle(ghost).direction === "rtl";
      var x = event.clientX + 8 - (rtl ? document.documentElement.clientWidth - ghost.offsetWidth : 0);
      ghost.style.transform = "translate(" + x + "px, " + (event.clientY + 8) + "px)";
      ghost.hidden = true;
      var under = document.elementFromPoint(event.clientX, event.clientY);
      ghost.hidden = false;
      var found = under && under.closest(selector);
      if (found !== target) {
        if (target) target.classList.remove("is-drop-target");
        target = found && view.node.contains(found) ? found : null;
        if (target) target.classList.add("is-drop-target");
      }
    }
  }
  CW.dropOnto = dropOnto;

  var write = proto.write;
  proto.write = function (response) {
    write.call(this, response);
    if (this.refreshMatches) this.refreshMatches();
  };

  CW.QuestionView = function (node, question, onChange) {
    View.call(this, node, question, onChange);
    if (question.type === "ordering") dragOrdering(this);
    if (question.type === "matching") dragMatching(this);
  };
  CW.QuestionView.prototype = proto;
})(globalThis);
