/* Categorisation and hotspot questions brought to life. Each adds a way to answer; it replaces
   none: every categorisation item keeps its group buttons (radio buttons, which the keyboard and
   screen readers use), and every hotspot area its entry in the list under the picture.
   Categorisation: the template's box for each group holds the items placed in it; an item is
   dragged onto a box with a mouse, a pen or a finger, or its group chosen under its text. Hotspot:
   a click or tap on the picture chooses the area under it (the template's outlines, in a 100 × 100
   box over the picture, with each area's size from the course data) and a marker stands at the
   centre of each area chosen. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;
  var el = CW.el;
  var t = CW.t;
  var proto = CW.QuestionView.prototype;

  function text(node) { return node ? node.textContent.trim() : ""; }

  /* ---- Categorisation ---- */

  function sortable(view) {
    var node = view.node;
    var items = node.querySelectorAll(".sort-item");
    var boxes = node.querySelectorAll(".sort-box");  // the groups', then the pool of items still to sort
    var pool = boxes[boxes.length - 1];
    node.classList.add("is-sorting");

    view.refreshSort = function () {
      var focused = document.activeElement;
      items.forEach(function (item) {
        var input = item.querySelector(":checked");
        boxes[input ? input.value : boxes.length - 1].querySelector("ul").appendChild(item);
      });
      pool.hidden = !node.querySelector(".sort-items li");
      if (focused !== document.activeElement && node.contains(focused)) focused.focus({ preventScroll: true });
    };
    function placed(item, input) {
      view.refreshSort();
      view.announce(t("sort_placed", { item: text(item.querySelector("legend")), group: text(input.nextElementSibling) }));
    }
    node.addEventListener("change", function (event) {
      placed(event.target.closest(".sort-item"), event.target);
    });
    items.forEach(function (item) {
      var handle = item.querySelector("legend");
      CW.dropOnto(view, handle, handle, ".sort-box[data-group]", function (target) {
        var input = item.querySelector('input[value="' + target.getAttribute("data-group") + '"]');
        if (input.checked) return;
        input.checked = true;
        placed(item, input);
        view.onChange(view);
      });
    });
    view.refreshSort();
  }

  /* ---- Hotspot ---- */

  function spottable(view) {
    var node = view.node;
    var regions = view.q.regions;
    var stage = node.querySelector(".hotspot-stage");
    var image = stage.querySelector("img");
    var shapes = stage.querySelectorAll("polygon");
    var markers = stage.querySelector(".hotspot-markers");
    stage.classList.add("is-live");

    view.refreshMarkers = function () {
      markers.textContent = "";
      node.querySelectorAll(".hotspot-option :checked").forEach(function (box) {
        var at = regions[box.value].centre;
        var marker = el("span", { class: "hotspot-marker " + (shapes[box.value].classList[1] || ""), "data-index": box.value });
        // the stage is left to right: the picture is never mirrored
        marker.style.insetInlineStart = at[0] + "%";
        marker.style.insetBlockStart = at[1] + "%";
        markers.appendChild(marker);
      });
    };
    /* The outlines after checking: `kinds` is a class for each area ("" for none). */
    view.outline = function (kinds) {
      shapes.forEach(function (shape, i) { shape.setAttribute("class", "hotspot-region " + (kinds[i] || "")); });
    };

    stage.addEventListener("click", function (event) {
      if (node.classList.contains("is-locked")) return;
      var box = image.getBoundingClientRect();
      var at = [(event.clientX - box.left) / box.width * 100, (event.clientY - box.top) / box.height * 100];
      var found = -1;
      shapes.forEach(function (shape, i) {  // of areas inside one another, the smallest
        if (shape.isPointInFill(new DOMPoint(at[0], at[1])) && (found < 0 || regions[i].area < regions[found].area)) found = i;
      });
      view.say(found < 0 ? t("hotspot_miss") : "");
      if (found < 0) return;
      var choice = node.querySelector('.hotspot-option input[value="' + found + '"]');
      choice.checked = choice.type === "radio" || !choice.checked;
      view.refreshMarkers();
      view.announce(t(choice.checked ? "hotspot_chosen" : "hotspot_unchosen", { label: text(choice.nextElementSibling) }));
      view.onChange(view);
    });
    node.addEventListener("change", view.refreshMarkers);
  }

  /* ---- the view, extended ---- */

  var write = proto.write;
  proto.write = function (response) {
    write.call(this, response);
    if (this.refreshSort) this.refreshSort();
    if (this.refreshMarkers) this.refreshMarkers();
  };

  var clear = proto.clear;
  proto.clear = function () {
    clear.call(this);
    if (this.outline) this.outline([]);
  };

  /* After checking a hotspot: each chosen area outlined right or wrong, and the right ones when shown. */
  var showFeedback = proto.showFeedback;
  proto.showFeedback = function (response, reveal) {
    var correct = showFeedback.call(this, response, reveal);
    if (this.outline) {
      this.outline(this.q.regions.map(function (region, i) {
        return (response || []).indexOf(i) >= 0 ? (region.correct ? "is-right" : "is-wrong") : reveal && region.correct ? "is-answer" : "";
      }));
      this.refreshMarkers();
    }
    return correct;
  };

  var Base = CW.QuestionView;
  CW.QuestionView = function (node, question, onChange) {
    Base.call(this, node, question, onChange);
    if (question.type === "categorisation") sortable(this);
    if (question.type === "hotspot") spottable(this);
  };
  CW.QuestionView.prototype = proto;
})(globalThis);
