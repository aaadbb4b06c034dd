// Starts the vendored Swagger UI on /api/v1/docs (no inline script: the CSP forbids it).
const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
const csrfToken = document.body.dataset.csrfToken;
settings.dom_id = "#swagger-ui";
settings.presets = [SwaggerUIBundle.presets.apis];
settings.requestInterceptor = (request) => {
  if (csrfToken) request.headers["X-CSRFToken"] = csrfToken;
  return request;
};
SwaggerUIBundle(settings);
