// The API's interactive documentation (Swagger UI, served by this app).
"use strict";
window.addEventListener("load", () => {
  const el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: el.dataset.spec, dom_id: "#swagger-ui", deepLinking: true });
});
