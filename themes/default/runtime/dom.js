/* Small DOM helpers every part of the runtime builds with: an icon from the page's sprite, an element
   builder, a live region's announcement, and a button. */
(function (root) {
  "use strict";
  var CW = root.Coursewright;

  CW.icon = function (name, extraClass) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "icon" + (extraClass ? " " + extraClass : ""));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var use = document.createElementNS(ns, "use");
    use.setAttribute("href", "#i-" + name);
    svg.appendChild(use);
    return svg;
  };

  /* A small element builder: el("p", {class: "x"}, "text", child, ...). */
  CW.el = function (tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "html") node.innerHTML = value;
      else if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  };

  /* Say `text` through a live region (the page's #announcer unless another is given): emptied first
     and filled a moment later, so that the same words are said again. */
  CW.announce = function (text, region) {
    var live = region || document.getElementById("announcer");
    if (!live) return;
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 30);
  };

  CW.button = function (label, action, className) {
    return CW.el("button", { type: "button", class: "btn" + (className ? " " + className : ""), "data-action": action }, label);
  };
})(globalThis);
