// Progressive enhancement for booking; every page works without it.

// A visitor's time zone. Until they choose one, the zone selector is set to the browser's
// zone and the times are shown again in it; the length form sends it along.
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
for (const input of document.querySelectorAll("input[data-browser-zone]")) {
  input.value = browserZone;
}
for (const form of document.querySelectorAll("form[data-zone-detect]")) {
  const select = form.querySelector("select[name=tz]");
  const known = select && [...select.options].some((option) => option.value === browserZone);
  if (known && select.value !== browserZone) {
    select.value = browserZone;
    form.submit();
  }
}

// The minutes left on a held slot, kept current (the page says them as of loading without
// it). Whole minutes rounded up, as SlotHold.minutes_left says them: "10:00 left" read like
// a time of day.
for (const timer of document.querySelectorAll("[data-hold-expires]")) {
  const expires = Date.parse(timer.dataset.holdExpires);
  const tick = () => {
    const left = Math.max(0, expires - Date.now());
    const minutes = Math.ceil(left / 60000);
    // The words come from the page (data-hold-*), in its language.
    const many = timer.dataset.holdMany || "{minutes} minutes left";
    const text = left
      ? minutes === 1
        ? timer.dataset.holdOne || "1 minute left"
        : many.replace("{minutes}", minutes)
      : timer.dataset.holdOut || "your hold has run out";
    if (timer.textContent !== text) timer.textContent = text;
    if (left) setTimeout(tick, 1000);
  };
  tick();
}

// Booking for a client: show only the section the "Who is the session for?" choice names
// (without JavaScript both show, and the form says which one a mistake typed into).
for (const form of document.querySelectorAll("form[data-who-sections]")) {
  const show = () => {
    const chosen = form.querySelector("input[name=who]:checked");
    for (const section of form.querySelectorAll("[data-who-section]")) {
      section.hidden = Boolean(chosen) && section.dataset.whoSection !== chosen.value;
    }
  };
  form.addEventListener("change", (event) => {
    if (event.target.name === "who") show();
  });
  show();
}
