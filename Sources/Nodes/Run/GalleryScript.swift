/// The gallery's inline style sheet and script, written here by hand: the page must open from
/// disk, offline, as one file, so nothing is loaded from elsewhere.
///
/// The script (plain ES2015, no libraries):
/// - moves each lane plot's playhead (`svg[data-follows]`) with its video's currentTime: on
///   seeks and time updates, and every animation frame while the video plays;
/// - seeks a video when its lanes are clicked, and when a chapter or contact-sheet cell
///   (`[data-seek]`) is;
/// - opens the page at a moment: `index.html?v=<video id>&t=<seconds>` loads that video and seeks
///   it once its metadata is in (a link to a moment, and how the browser test drives a seek).
enum GalleryScript {
    static let css = """
    body{margin:0;padding:24px;background:#0d0e12;color:#e6e6e6;font:14px/1.4 sans-serif}
    h1{margin:0 0 4px;font-size:24px}h2{margin:0 0 8px;font-size:18px}.meta{color:#8a8f9c;margin-bottom:24px}
    section{background:#17191f;border-radius:8px;padding:16px;margin-bottom:24px;max-width:1000px}
    video,img.poster{display:block;width:100%;max-width:960px;height:auto;background:#000;border-radius:4px}
    .row{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px;align-items:flex-start}
    .row figure{margin:0}.row img{display:block;max-width:100%;height:auto;border-radius:4px}
    figcaption{color:#8a8f9c;font-size:12px;margin-top:4px}
    svg.lanes{display:block;width:100%;max-width:960px;margin-top:8px;border-radius:4px;cursor:pointer}
    ol.chapters{margin:12px 0 0;padding:0;list-style:none;columns:2}ol.chapters li{padding:2px 0}
    ol.chapters a{text-decoration:none}ol.chapters .at{color:#8a8f9c;font-variant-numeric:tabular-nums;margin-right:8px}
    dl.settings{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:12px 0 0;font-size:13px}
    dl.settings dt{color:#8a8f9c}dl.settings dd{margin:0}
    .swatch{display:inline-block;width:14px;height:14px;border-radius:2px;vertical-align:-2px;margin-right:2px}
    .sheet{position:relative;display:inline-block}.sheet img{display:block}
    .sheet a.cell{position:absolute;display:block}.sheet a.cell:hover{outline:2px solid #4fc3f7}
    .sheet a.cell span{position:absolute;left:3px;bottom:3px;background:rgba(0,0,0,.7);color:#fff;font-size:11px;padding:0 4px;border-radius:2px}
    details summary{cursor:pointer;font-size:18px;font-weight:bold}
    table{border-collapse:collapse;font-size:12px;margin-top:8px}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #262931}
    td.built{color:#f5b942}td.reused{color:#7bd88f}a{color:#4fc3f7}
    """

    static let js = """
    (function () {
      function byId(id) { return id ? document.getElementById(id) : null; }
      function seek(video, t) { if (video && isFinite(t)) { video.currentTime = Math.max(0, t); } }
      document.querySelectorAll('svg[data-follows]').forEach(function (svg) {
        var video = byId(svg.getAttribute('data-follows'));
        var head = svg.querySelector('.playhead');
        if (!video || !head) { return; }
        var left = +svg.getAttribute('data-left'), width = +svg.getAttribute('data-width');
        var seconds = +svg.getAttribute('data-seconds'), viewWidth = svg.viewBox.baseVal.width;
        var frame = 0;
        function place() {
          var t = video.currentTime || 0;
          var x = (left + Math.max(0, Math.min(1, t / seconds)) * width).toFixed(1);
          head.setAttribute('x1', x); head.setAttribute('x2', x);
          head.setAttribute('data-time', t.toFixed(3));
        }
        function follow() { place(); frame = video.paused ? 0 : requestAnimationFrame(follow); }
        ['timeupdate', 'seeking', 'seeked', 'loadedmetadata', 'pause', 'ended'].forEach(function (e) { video.addEventListener(e, place); });
        video.addEventListener('play', function () { if (!frame) { frame = requestAnimationFrame(follow); } });
        svg.addEventListener('click', function (event) {
          var box = svg.getBoundingClientRect();
          var x = (event.clientX - box.left) / box.width * viewWidth;
          if (x >= left && x <= left + width) { seek(video, (x - left) / width * seconds); }
        });
        place();
      });
      document.querySelectorAll('[data-seek]').forEach(function (link) {
        link.addEventListener('click', function (event) {
          var video = byId(link.getAttribute('data-video'));
          if (!video) { return; }
          event.preventDefault();
          seek(video, parseFloat(link.getAttribute('data-seek')));
          var playing = video.play();
          if (playing && playing.catch) { playing.catch(function () {}); }
        });
      });
      var query = new URLSearchParams(location.search);
      var target = byId(query.get('v')), at = parseFloat(query.get('t'));
      if (target && isFinite(at)) {
        if (target.readyState > 0) { seek(target, at); return; }
        target.addEventListener('loadedmetadata', function () { seek(target, at); }, { once: true });
        target.preload = 'auto';
        target.load();
      }
    })();
    """
}
