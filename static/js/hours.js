// Weekly hours without a round trip: add, remove and copy ranges in the browser. Every button
// is a submit button the server also understands, so the page works without this script.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-hours-form]");
  if (!form) return;

  const days = () => Array.from(form.querySelectorAll("fieldset[data-day]"));
  const rowsOf = (day) => Array.from(day.querySelectorAll("[data-rows] > [data-row]"));
  const total = (day) => day.querySelector('input[name$="-TOTAL_FORMS"]');
  const changed = () => form.dispatchEvent(new Event("change", { bubbles: true }));

  // Name each row "Monday range 2" after rows come and go; the Add button goes at the maximum.
  function renumber(day) {
    // The words come from the page (data-row-label, "{n}" for the number), in its language.
    const label = day.dataset.rowLabel || `${day.dataset.dayName} range {n}`;
    rowsOf(day).forEach((row, index) => {
      const name = label.replace("{n}", index + 1);
      row.setAttribute("aria-label", name);
      const hidden = row.querySelector("[data-row-name]");
      if (hidden) hidden.textContent = ` ${name}`;
    });
    const add = day.querySelector("[data-add-range]");
    if (add) add.hidden = rowsOf(day).length >= Number(day.dataset.maxRows);
  }

  // A new row from the day's template, numbered after every row posted so far (removed rows
  // leave gaps, which the server reads as empty rows and skips).
  function addRow(day, values) {
    const counter = total(day);
    const index = Number(counter.value);
    const html = day.querySelector("template[data-empty-row]").innerHTML
      .replaceAll("__prefix__", String(index));
    day.querySelector("[data-rows]").insertAdjacentHTML("beforeend", html);
    counter.value = String(index + 1);
    const row = rowsOf(day).at(-1);
    if (values) {
      row.querySelector('input[name$="-starts"]').value = values.starts;
      row.querySelector('input[name$="-ends"]').value = values.ends;
    }
    renumber(day);
    return row;
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const day = button.closest("fieldset[data-day]");
    if (button.matches("[data-add-range]")) {
      event.preventDefault();
      addRow(day).querySelector("input").focus();
      changed();
    } else if (button.matches("[data-remove-range]")) {
      event.preventDefault();
      button.closest("[data-row]").remove();
      if (!rowsOf(day).length) addRow(day);
      renumber(day);
      (day.querySelector("[data-add-range]:not([hidden])") || day.querySelector("input")).focus();
      changed();
    } else if (button.matches("[data-copy-monday]")) {
      event.preventDefault();
      const [monday, ...others] = days();
      const targets = button.dataset.copyTo.split(" ");
      const ranges = rowsOf(monday).map((row) => ({
        starts: row.querySelector('input[name$="-starts"]').value,
        ends: row.querySelector('input[name$="-ends"]').value,
      }));
      others.filter((day) => targets.includes(day.dataset.day)).forEach((day) => {
        rowsOf(day).forEach((row) => row.remove());
        ranges.forEach((values) => addRow(day, values));
        if (!ranges.length) addRow(day);
      });
      changed();
    }
  });
});

// Time off: the time fields matter only for "part of a day"; hide them for whole days.
document.addEventListener("DOMContentLoaded", () => {
  const times = document.querySelector("[data-part-of-day-only]");
  const choices = document.querySelectorAll('input[type="radio"][name="length"]');
  if (!times || !choices.length) return;
  const show = () => {
    const checked = document.querySelector('input[type="radio"][name="length"]:checked');
    times.hidden = !checked || checked.value !== "times";
  };
  choices.forEach((choice) => choice.addEventListener("change", show));
  show();
});
