// The timetable without reloads: htmx (hx-boost on #timetable) fetches day tabs
// and filters and swaps the timetable in; this script only submits the filter
// form when a choice changes, and moves the focus to the new day's heading so a
// keyboard or screen-reader user lands on what changed.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form && event.target.matches("select")) {
      form.requestSubmit();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var detail = event.detail || {};
    var boosted = detail.boosted || (detail.requestConfig && detail.requestConfig.boosted);
    if (!boosted) {
      return; // a star swapped itself: the focus stays on it
    }
    var heading = document.getElementById("tt-day-heading");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  });
})();
