// crossbrief: small accessibility fixes to Material's page chrome. Local, no network.
(function () {
  // Material's search panel is a dialog without a name; screen readers announce it as "Search".
  var search = document.querySelector('.md-search[role="dialog"]');
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
})();
// The Changes feed's <link rel="alternate"> in the head is for feed readers, which fetch over HTTP. Material
// fetches sitemap.xml beside every alternate link (for language versions), which a page opened from disk
// (file://) is refused, with an error in the console: from disk there is no feed to follow, so the link goes
// before Material looks (this runs before DOMContentLoaded, when Material does).
(function () {
  if (location.protocol !== "file:") return;
  document.querySelectorAll('link[rel="alternate"][type="application/atom+xml"]').forEach(function (link) {
    link.remove();
  });
})();
