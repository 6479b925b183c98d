/* The article edit form: rows ordered with up/down buttons, and the summary's length.
 *
 * Without this script the form still works: each row's "Order" number is typed in, and
 * the server refuses a summary over its limit. With it, the number inputs are hidden
 * (still sent) and numbered 1, 2, 3... in the order the rows stand on the page, after
 * every move and again on submit. Rows the admin's "Add another" adds get buttons too.
 */
(function () {
  "use strict";

  // A row of a formset: "<prefix>-<n>" (the admin's empty template row is "<prefix>-empty").
  function isRow(element) {
    return element.nodeType === 1 && /-\d+$/.test(element.id) && element.querySelector("input.row-position");
  }

  function rowOf(element) {
    while (element && !isRow(element)) element = element.parentElement;
    return element;
  }

  function rowsBeside(row) {
    return Array.from(row.parentElement.children).filter(isRow);
  }

  function renumber(anyRow) {
    rowsBeside(anyRow).forEach(function (row, index) {
      row.querySelector("input.row-position").value = String(index + 1);
      var buttons = row.querySelectorAll(".row-order button");
      if (buttons.length === 2) {
        buttons[0].disabled = index === 0;
        buttons[1].disabled = index === rowsBeside(anyRow).length - 1;
      }
    });
  }

  function move(row, step) {
    var rows = rowsBeside(row);
    var target = rows[rows.indexOf(row) + step];
    if (!target) return;
    if (step < 0) {
      row.parentElement.insertBefore(row, target);
    } else {
      row.parentElement.insertBefore(row, target.nextSibling);
    }
    rows.forEach(function (each) { each.classList.remove("row-moved"); });
    row.classList.add("row-moved");
    renumber(row);
  }

  function button(label, text, step, row) {
    var control = document.createElement("button");
    control.type = "button";
    control.textContent = text;
    control.title = label;
    control.setAttribute("aria-label", label);
    control.addEventListener("click", function () {
      move(row, step);
      control.focus();
    });
    return control;
  }

  function addControls(row) {
    if (!isRow(row) || row.querySelector(".row-order")) return;
    var input = row.querySelector("input.row-position");
    input.hidden = true;  // still submitted: the server orders rows by it
    var controls = document.createElement("span");
    controls.className = "row-order";
    controls.appendChild(button("Move up", "\u2191", -1, row));
    controls.appendChild(button("Move down", "\u2193", 1, row));
    input.parentElement.insertBefore(controls, input);
    renumber(row);
  }

  function summaryCounter(form) {
    var summary = form.querySelector("#id_summary[data-max-length]");
    if (!summary) return;
    var limit = parseInt(summary.getAttribute("data-max-length"), 10);
    var counter = document.createElement("span");
    counter.className = "length-counter";
    counter.id = "summary-counter";
    counter.setAttribute("aria-live", "polite");
    summary.insertAdjacentElement("afterend", counter);
    function update() {
      var length = summary.value.length;
      counter.textContent = length + " / " + limit + (length > limit ? " \u2014 " + (length - limit) + " too many" : "");
      counter.classList.toggle("over", length > limit);
    }
    summary.addEventListener("input", update);
    update();
  }

  function start() {
    var form = document.getElementById("article_form");
    if (!form) return;
    function renumberAll() {
      form.querySelectorAll(".row-order").forEach(function (controls) { renumber(rowOf(controls)); });
    }
    form.querySelectorAll("input.row-position").forEach(function (input) {
      var row = rowOf(input);
      if (row) addControls(row);
    });
    // The help about typing order numbers is for the form without this script.
    form.querySelectorAll(".order-help").forEach(function (help) { help.hidden = true; });
    document.addEventListener("formset:added", function (event) { addControls(event.target); });
    document.addEventListener("formset:removed", renumberAll);
    form.addEventListener("submit", renumberAll);
    summaryCounter(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
