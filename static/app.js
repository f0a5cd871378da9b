// Every htmx request carries the page's CSRF token; forms also post it as a hidden field.
document.addEventListener("htmx:configRequest", function (event) {
  var holder = document.getElementById("csrf-token");
  if (holder) {
    event.detail.headers["X-CSRF-Token"] = holder.dataset.token;
  }
});

// Buttons marked data-confirm ask before their form is sent.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A flash message can be dismissed.
document.addEventListener("click", function (event) {
  var close = event.target.closest("[data-dismiss]");
  if (close) {
    close.closest(".flash").remove();
  }
});
