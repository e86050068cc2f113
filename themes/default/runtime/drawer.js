/* The contents as a drawer on narrow screens, under the header: while it is open, Tab and Shift+Tab
   go round the drawer and its menu button (which closes it again), a close button and a tap beside
   it close it, and focus goes back to the menu button. (Escape is the navigation's: it closes the
   drawer the same way.) */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex='-1'])";

  function visible(node) {
    return !!(node.offsetWidth || node.offsetHeight || node.getClientRects().length);
  }

  /* `close()` closes the drawer (the navigation's menu(false)) and puts focus back on its button. */
  function Drawer(panel, button, close) {
    var self = this;
    this.panel = panel;
    this.button = button;
    this.closeButton = CW.el("button", { type: "button", class: "btn btn-small toc-close js-only" },
      CW.icon("close"), CW.el("span", null, CW.t("drawer_close")));
    panel.insertBefore(this.closeButton, panel.firstChild);
    this.closeButton.addEventListener("click", function () { close(); });
    function onKey(event) {
      if (event.key === "Tab" && self.isOpen()) self.trap(event);
    }
    panel.addEventListener("keydown", onKey);
    button.addEventListener("keydown", onKey);
    document.addEventListener("click", function (event) {
      if (self.isOpen() && !panel.contains(event.target) && !button.contains(event.target)) close();
    });
  }

  /* Open as a drawer only where it covers the page (the close button shows there). */
  Drawer.prototype.isOpen = function () {
    return document.body.classList.contains("toc-open") && visible(this.closeButton);
  };

  Drawer.prototype.trap = function (event) {
    var items = [this.button].concat(Array.from(this.panel.querySelectorAll(FOCUSABLE)).filter(visible));
    var first = items[0];
    var last = items[items.length - 1];
    var active = document.activeElement;
    if (event.shiftKey && active === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || active === first) && items.length > 1) {
      event.preventDefault();
      (active === last ? first : items[1]).focus();
    }
  };

  CW.Drawer = Drawer;
})(globalThis);
