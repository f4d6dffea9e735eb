// Zoom buttons for the evidence viewer on the staff review page
// (templates/practitioners/credentials/_evidence_viewer.html). Without this script the buttons
// stay hidden and each image links to its full-size version instead.
document.addEventListener("DOMContentLoaded", () => {
  // Each level is a class in static/css/site.css (the Content-Security-Policy allows no
  // inline styles); level 0 fits the images to the frame's width.
  const LEVELS = [
    { className: "", label: "Fit to width" },
    { className: "rb-zoom-150", label: "Zoomed to 150%" },
    { className: "rb-zoom-200", label: "Zoomed to 200%" },
    { className: "rb-zoom-300", label: "Zoomed to 300%" },
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
      status.textContent = LEVELS[level].label;
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
