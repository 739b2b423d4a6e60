// crossbrief: small accessibility fixes to Material's page chrome. Local, no network.
(function () {
  // Material's search panel is a dialog without a name; screen readers announce it as "Search".
  var search = document.querySelector('.md-search[role="dialog"]');
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
})();
