// Progressive enhancement shared by every page; every page works without it.
// After htmx swaps a region in (such as the next week of free times), move focus to the
// region's heading, so keyboard and screen-reader users learn that the content changed.
document.addEventListener("htmx:afterSettle", () => {
  const heading = document.querySelector("[data-focus-after-swap]");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});
