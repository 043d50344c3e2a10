"""What ``/api/v3/openapi.json`` says beyond what each view declares.

Views declare their successful answers; the answers every operation may give come from the
wrapper and the handlers around them, so they are added here, to every operation that a view
has not documented itself:

- ``304 Not Modified`` for reads (:mod:`buddypages.api.v3.http`);
- problem details (:mod:`buddypages.api.v3.errors`): ``401``/``403`` where a token is needed
  (Wagtail's own write operations), ``404`` where the path names something, ``422`` where there
  is input, and any other ``4XX`` (unreadable, too large, too many requests);
- the ``302`` of Wagtail's ``find`` operations, whose own documents say ``200``.

So a client generated from the document, and Schemathesis in the tests, know every answer's
shape. Installed by :func:`buddypages.api.v3.api.get_api`; the document is built when asked for,
so routers added later (the ``register_buddypages_api_v3`` hook) are covered too.
"""

from copy import deepcopy

from buddypages.api.v3.errors import PROBLEM_JSON

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "A problem details answer (RFC 9457), in the language asked for.",
    "type": "object",
    "properties": {
        "type": {"type": "string", "examples": ["about:blank"]},
        "title": {"type": "string", "examples": ["Invalid input"]},
        "status": {"type": "integer", "examples": [422]},
        "detail": {"type": "string", "examples": ["Some fields are not filled in correctly."]},
        "errors": {
            "description": "One entry per invalid field or parameter.",
            "type": "array",
            "items": {"$ref": "#/components/schemas/FieldProblem"},
        },
    },
    "required": ["type", "title", "status"],
}
FIELD_PROBLEM_SCHEMA = {
    "title": "FieldProblem",
    "type": "object",
    "properties": {
        "loc": {
            "description": "Where: the part of the request, then the field's name.",
            "type": "array",
            "items": {"type": ["string", "integer"]},
            "examples": [["body", "email"]],
        },
        "msg": {"type": "string", "examples": ["This field is required."]},
        "type": {"type": "string", "examples": ["missing"]},
    },
    "required": ["msg"],
}
NOT_MODIFIED = {
    "description": "Not modified: the `ETag` sent in `If-None-Match` is still the current one "
    "(anonymous reads).",
}
# (status, which operations answer it, description)
PROBLEMS = (
    ("401", "token", "No valid API token: this operation needs one."),
    ("403", "token", "The token's user may not do this."),
    ("404", "path", "Nothing was found at this address."),
    ("422", "input", "Invalid input: one entry in `errors` per invalid field or parameter."),
    ("4XX", "any", "Any other problem with the request (unreadable, too large, too many)."),
)
# Wagtail's ``find`` operations redirect to what they found.
FINDS = ("pages_find", "redirects_find")
FOUND = {
    "description": "Found: `Location` is the item's address in this API.",
    "headers": {"Location": {"schema": {"type": "string"}}},
}


def _needs_token(operation: dict) -> bool:
    """Wagtail's public reads offer an ``AllowAnonymous`` alternative to the token."""
    security = operation.get("security")
    return bool(security) and all(
        requirement and "AllowAnonymous" not in requirement for requirement in security
    )


def complete(schema: dict) -> dict:
    """Add the answers described above to an OpenAPI document, in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Problem", deepcopy(PROBLEM_SCHEMA))
    components.setdefault("FieldProblem", deepcopy(FIELD_PROBLEM_SCHEMA))
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = {
                "any": True,
                "token": _needs_token(operation),
                "path": "{" in path,
                "input": bool(operation.get("parameters") or operation.get("requestBody")),
            }
            responses = operation["responses"]
            if method == "get":
                responses.setdefault("304", deepcopy(NOT_MODIFIED))
            if operation.get("operationId") in FINDS:
                responses.setdefault("302", deepcopy(FOUND))
            for status, which, description in PROBLEMS:
                if answers[which]:
                    responses.setdefault(
                        status, {"description": description, "content": deepcopy(content)}
                    )
    return schema


def install(api) -> None:
    """Complete every document ``api`` builds from now on."""
    build = api.get_openapi_schema

    def get_openapi_schema(**kwargs):
        return complete(build(**kwargs))

    api.get_openapi_schema = get_openapi_schema
