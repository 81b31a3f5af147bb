// The API's docs page, from the Swagger UI files shipped in the package.
"use strict";
(function () {
  var el = document.getElementById("swagger-ui");
  if (!el || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: el.getAttribute("data-url"),
    dom_id: "#swagger-ui",
    requestInterceptor: function (req) { req.headers["X-CSRF-Token"] = HL.csrf(); return req; },
  });
})();
