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

// The time left on a held slot, counted down (the page says the minutes left without it).
for (const timer of document.querySelectorAll("[data-hold-expires]")) {
  const expires = Date.parse(timer.dataset.holdExpires);
  const tick = () => {
    const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    timer.textContent = left ? `${minutes}:${seconds} left` : "your hold has run out";
    if (left) setTimeout(tick, 1000);
  };
  tick();
}
