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

// A list that refreshes itself (data-live) waits while text is selected in it: replacing its
// rows would drop the selection. Keyboard focus survives the refresh by itself (htmx gives it
// back to the element with the same id).
document.addEventListener("htmx:confirm", function (event) {
  var live = event.detail.elt;
  var selection = document.getSelection();
  if (live.hasAttribute("data-live") && selection && !selection.isCollapsed && live.contains(selection.anchorNode)) {
    event.preventDefault();
  }
});

// Boosted navigation swaps the body only: take the new page's language from its
// Content-Language header, so that screen readers read it right.
document.addEventListener("htmx:afterSwap", function (event) {
  var xhr = event.detail.xhr;
  var lang = xhr && xhr.getResponseHeader("Content-Language");
  if (lang && event.detail.boosted) {
    document.documentElement.lang = lang;
  }
});
