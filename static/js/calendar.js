// The calendar's drag and drop (templates/sessions/calendar/): drop a booking on an empty
// quarter hour and a dialog asks for the reason, then posts the same move form as the
// booking's Move link (sessions:booking-move), which answers with the calendar again or,
// if the move is refused, with the form, the refusal and what was typed. Without JavaScript,
// and from the keyboard, the Move link does all of this.
(() => {
  const calendar = document.querySelector("[data-calendar]");
  const dialog = document.querySelector("[data-move-dialog]");
  if (!calendar || !dialog || typeof dialog.showModal !== "function") return;
  const form = dialog.querySelector("form");
  let dragged = null;

  calendar.querySelectorAll("[data-move-url]").forEach((block) => {
    block.setAttribute("draggable", "true");
    block.addEventListener("dragstart", (event) => {
      dragged = block;
      block.classList.add("rb-cal-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", block.dataset.moveUrl);
    });
    block.addEventListener("dragend", () => {
      block.classList.remove("rb-cal-dragging");
    });
  });

  const cellOf = (event) => event.target.closest && event.target.closest("[data-start]");

  calendar.addEventListener("dragover", (event) => {
    const cell = cellOf(event);
    if (!dragged || !cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  });
  calendar.addEventListener("dragenter", (event) => {
    const cell = cellOf(event);
    if (dragged && cell) cell.classList.add("rb-cal-drop");
  });
  calendar.addEventListener("dragleave", (event) => {
    const cell = cellOf(event);
    if (cell) cell.classList.remove("rb-cal-drop");
  });
  calendar.addEventListener("drop", (event) => {
    const cell = cellOf(event);
    if (!dragged || !cell) return;
    event.preventDefault();
    cell.classList.remove("rb-cal-drop");
    form.action = dragged.dataset.moveUrl;
    form.elements.date.value = cell.dataset.date;
    form.elements.time.value = cell.dataset.time;
    // The cell's UTC instant: on the night the clocks go back, which 01:15 it is.
    form.elements.instant.value = cell.dataset.start;
    form.elements.outside_hours.checked = false;
    dialog.querySelector("[data-move-client]").textContent = dragged.dataset.client;
    dialog.querySelector("[data-move-when]").textContent = cell.dataset.when;
    dragged = null;
    dialog.showModal();
    form.elements.reason.focus();
  });

  dialog.querySelector("[data-move-cancel]").addEventListener("click", () => {
    dialog.close();
  });
})();
