// Zoom buttons for the evidence viewer on the staff review page
// (templates/practitioners/credentials/_evidence_viewer.html). Without this script the buttons
// stay hidden and each image links to its full-size version instead.
document.addEventListener("DOMContentLoaded", () => {
  // Each level is a class in static/css/site.css (the Content-Security-Policy allows no
  // inline styles); level 0 fits the images to the frame's width.
  // The labels come from the page (data-fit-label, data-zoomed-label), in its language.
  const LEVELS = [
    { className: "", percent: 0 },
    { className: "rb-zoom-150", percent: 150 },
    { className: "rb-zoom-200", percent: 200 },
    { className: "rb-zoom-300", percent: 300 },
  ];

  document.querySelectorAll("[data-evidence-viewer]").forEach((viewer) => {
    const controls = viewer.querySelector("[data-zoom-controls]");
    const frame = viewer.querySelector("[data-zoom-frame]");
    if (!controls || !frame) return;
    const status = controls.querySelector("[data-zoom-level]");
    const buttons = {
      in: controls.querySelector('[data-zoom="in"]'),
      out: controls.querySelector('[data-zoom="out"]'),
      fit: controls.querySelector('[data-zoom="fit"]'),
    };
    let level = 0;

    function show(next) {
      // Keep your place: the line at the top of the view stays at the top, and the middle
      // of the view across stays in the middle.
      const ratioX = (frame.scrollLeft + frame.clientWidth / 2) / frame.scrollWidth;
      const ratioY = frame.scrollTop / frame.scrollHeight;
      LEVELS.forEach(({ className }) => {
        if (className) frame.classList.remove(className);
      });
      level = next;
      if (LEVELS[level].className) frame.classList.add(LEVELS[level].className);
      frame.scrollLeft = ratioX * frame.scrollWidth - frame.clientWidth / 2;
      frame.scrollTop = ratioY * frame.scrollHeight;
      const { percent } = LEVELS[level];
      status.textContent = percent
        ? (status.dataset.zoomedLabel || "Zoomed to {percent}%").replace("{percent}", percent)
        : status.dataset.fitLabel || "Fit to width";
      buttons.out.disabled = level === 0;
      buttons.fit.disabled = level === 0;
      buttons.in.disabled = level === LEVELS.length - 1;
    }

    buttons.in.addEventListener("click", () => show(Math.min(level + 1, LEVELS.length - 1)));
    buttons.out.addEventListener("click", () => show(Math.max(level - 1, 0)));
    buttons.fit.addEventListener("click", () => show(0));
    controls.hidden = false;
    show(0);
  });
});
