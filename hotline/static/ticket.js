/* The ticket page: click a heard word to play the recording from where it was said. */
(function () {
  "use strict";
  var audio = document.getElementById("audio");
  var words = document.getElementById("words");
  if (!audio || !words) return;
  words.addEventListener("click", function (e) {
    var w = e.target.closest(".w");
    if (!w) return;
    audio.currentTime = parseFloat(w.dataset.start);
    audio.play();
  });
  audio.addEventListener("timeupdate", function () {
    var now = audio.currentTime;
    words.querySelectorAll(".w").forEach(function (w) {
      var next = w.nextElementSibling;
      var start = parseFloat(w.dataset.start);
      var end = next ? parseFloat(next.dataset.start) : Infinity;
      w.classList.toggle("playing", !audio.paused && now >= start && now < end);
    });
  });
})();
