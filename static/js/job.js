// The job page without a page reload: while the job runs, fetch the page again every two
// seconds and put the fresh job section in place. Without JavaScript the "Update now" link
// does the same by hand. (No meta refresh: WCAG 2.2.1 asks that users control timed reloads.)
(function () {
  "use strict";
  var live = document.getElementById("job-live");
  if (!live) return;
  var note = document.getElementById("job-auto");
  if (note) note.hidden = false;

  function running() {
    return live.querySelector("[data-running]") !== null;
  }

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-live");
        if (fresh) {
          live.innerHTML = fresh.innerHTML;
          var said = live.querySelector("[data-announce] p");
          var announce = document.getElementById("job-announce");
          if (said && announce && announce.textContent !== said.textContent) {
            announce.textContent = said.textContent;
          }
          var auto = document.getElementById("job-auto");
          if (auto) auto.hidden = false;
        }
        if (running()) window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (running()) window.setTimeout(poll, 2000);
})();
