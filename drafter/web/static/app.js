// drafter serve: show the state's law as soon as a state is typed (the form works without this).
(function () {
  var input = document.getElementById("state");
  var box = document.getElementById("law");
  if (!input || !box) { return; }
  var timer = null;
  function update() {
    var url = input.getAttribute("data-law-url") + "?state=" + encodeURIComponent(input.value);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () {});
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 300); });
  input.addEventListener("change", update);
})();
var problems = document.getElementById("problems");
if (problems) { problems.focus(); }
