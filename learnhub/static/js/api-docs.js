// The API page: reads /api/v1/openapi.json and lists each operation with its parameters and answer.
// Plain DOM building (textContent only), so nothing in the document can run as markup.
(function () {
  "use strict";
  var root = document.getElementById("api-operations");
  if (!root) { return; }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function schemaText(schema) {
    return JSON.stringify(schema, null, 2);
  }
  fetch(root.getAttribute("data-src"), { credentials: "omit" })
    .then(function (response) { return response.json(); })
    .then(function (doc) {
      root.textContent = "";
      Object.keys(doc.paths).forEach(function (path) {
        Object.keys(doc.paths[path]).forEach(function (method) {
          var op = doc.paths[path][method];
          var section = el("section", null, "lh-card");
          section.appendChild(el("h2", method.toUpperCase() + " " + path, "lh-heading-s"));
          section.appendChild(el("p", op.summary, "lh-body"));
          if (op.parameters && op.parameters.length) {
            var list = el("ul");
            op.parameters.forEach(function (p) {
              list.appendChild(el("li", p.name + " (" + p.in + ")" + (p.description ? ": " + p.description : "")));
            });
            section.appendChild(list);
          }
          var ok = op.responses["200"] || op.responses["201"];
          if (op.requestBody) {
            var body = el("details"); body.appendChild(el("summary", "Request body"));
            body.appendChild(el("pre", schemaText(op.requestBody.content["application/json"].schema)));
            section.appendChild(body);
          }
          if (ok) {
            var answer = el("details"); answer.appendChild(el("summary", "Answer"));
            answer.appendChild(el("pre", schemaText(ok.content["application/json"].schema)));
            section.appendChild(answer);
          }
          root.appendChild(section);
        });
      });
      var parts = el("details"); parts.appendChild(el("summary", "Schemas"));
      parts.appendChild(el("pre", schemaText(doc.components.schemas)));
      root.appendChild(parts);
    });
}());
