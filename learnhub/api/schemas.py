"""The JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of what the API sends and accepts.

The same dictionaries check request bodies (core.json_body), make the OpenAPI document
(openapi.py) and, in the tests, check every answer the API gives."""
from __future__ import annotations

from typing import Any

from learnhub.auth.models import Category, MemberStatus
from learnhub.orgs.models import UnitKind
from learnhub.plans.models import PlanStatus


def ref(name: str) -> dict[str, Any]:
    """A reference to one of the components below."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def page_of(name: str) -> dict[str, Any]:
    """A page of a list: the items and the address of the next page (null on the last)."""
    return {"type": "object", "required": ["items", "next"], "additionalProperties": False,
            "properties": {"items": {"type": "array", "items": ref(name)}, "next": nullable("string")}}


RATE = nullable("number", minimum=0, maximum=1)
DATE = {"type": "string", "format": "date"}
FIGURES = {"type": "object", "required": ["unit", "required", "completed", "on_time", "rate"],
           "properties": {"unit": {"type": "string"}, "required": {"type": "integer"},
                          "completed": {"type": "integer"}, "on_time": {"type": "integer"}, "rate": RATE,
                          "unit_id": {"type": "integer"}, "own_members": {"type": "boolean"}}}

COMPONENTS: dict[str, dict[str, Any]] = {
    "Problem": {
        "type": "object", "required": ["type", "title", "status"],
        "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                       "detail": {"type": "string"},
                       "errors": {"type": "object", "additionalProperties": {"type": "array",
                                                                              "items": {"type": "string"}}}},
    },
    "Unit": {
        "type": "object", "required": ["id", "name", "kind", "parent_id", "archived"], "additionalProperties": False,
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                       "kind": {"enum": [k.value for k in UnitKind]}, "parent_id": nullable("integer"),
                       "archived": {"type": "boolean"}},
    },
    "Member": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "username", "full_name", "unit_id", "category", "status", "active"],
        "properties": {"id": {"type": "integer"}, "username": {"type": "string"}, "full_name": {"type": "string"},
                       "unit_id": {"type": "integer"}, "category": {"enum": [c.value for c in Category]},
                       "status": {"enum": [s.value for s in MemberStatus]}, "active": {"type": "boolean"},
                       "party_card": nullable("string"), "phone": nullable("string"), "email": nullable("string"),
                       "birth_date": nullable("string", format="date"), "gender": nullable("string")},
    },
    "Plan": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "unit_id", "title", "number", "status", "opens_on", "due_on", "target_rate",
                     "criteria", "categories"],
        "properties": {"id": {"type": "integer"}, "unit_id": {"type": "integer"}, "title": {"type": "string"},
                       "number": nullable("string"), "status": {"enum": [s.value for s in PlanStatus]},
                       "opens_on": DATE, "due_on": DATE, "target_rate": {"type": "number"},
                       "criteria": {"type": "array", "items": {"type": "string"}},
                       "categories": {"type": "array", "items": {"type": "string"}}},
    },
    "Completion": {
        "type": "object",
        "required": ["plan", "plan_id", "unit", "target", "required", "completed", "on_time", "rate",
                     "categories", "units"],
        "properties": {"plan": {"type": "string"}, "plan_id": {"type": "integer"}, "unit": {"type": "string"},
                       "target": {"type": "number"}, "required": {"type": "integer"},
                       "completed": {"type": "integer"}, "on_time": {"type": "integer"}, "rate": RATE,
                       "categories": {"type": "object", "additionalProperties": FIGURES},
                       "units": {"type": "array", "items": FIGURES}},
    },
    "Steps": {
        "type": "object", "required": ["plan_id", "member_id", "completed", "steps"], "additionalProperties": False,
        "properties": {"plan_id": {"type": "integer"}, "member_id": {"type": "integer"},
                       "completed": {"type": "boolean"},
                       "steps": {"type": "array", "items": {
                           "type": "object", "required": ["kind", "text"],
                           "properties": {"kind": {"type": "string"}, "count": {"type": "integer"},
                                          "module": {"type": "string"}, "text": {"type": "string"}}}}},
    },
    "Conference": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "unit_id", "plan_id", "title", "starts_at", "ends_at", "cancelled", "attendance"],
        "properties": {"id": {"type": "integer"}, "unit_id": {"type": "integer"}, "plan_id": nullable("integer"),
                       "title": {"type": "string"}, "starts_at": {"type": "string", "format": "date-time"},
                       "ends_at": {"type": "string", "format": "date-time"}, "cancelled": {"type": "boolean"},
                       "attendance": {"type": "object",
                                      "required": ["invited", "present", "excused", "absent", "unmarked"],
                                      "additionalProperties": {"type": "integer"}}},
    },
    "Attendance": {
        "type": "object", "required": ["conference_id", "members"], "additionalProperties": False,
        "properties": {"conference_id": {"type": "integer"}, "members": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["member_id", "full_name", "username", "unit_id", "status", "method", "recorded_at"],
            "properties": {"member_id": {"type": "integer"}, "full_name": {"type": "string"},
                           "username": {"type": "string"}, "unit_id": {"type": "integer"},
                           "status": {"enum": ["present", "excused", "absent", None]},
                           "method": {"enum": ["roster", "self_check_in", None]},
                           "recorded_at": nullable("string", format="date-time")}}}},
    },
    "YearlyReport": {
        "type": "object", "required": ["unit", "unit_id", "year", "as_of", "conferences", "rate", "roster", "completed"],
        "properties": {"unit": {"type": "string"}, "unit_id": {"type": "integer"}, "year": {"type": "integer"},
                       "as_of": DATE, "conferences": {"type": "integer"}, "rate": RATE,
                       "roster": {"type": "integer"}, "completed": {"type": "integer"}},
    },
    "MemberIn": {
        "type": "object", "required": ["full_name", "category"], "additionalProperties": False,
        "description": "A row of the member import: the same conversions and matching (username, then party "
                       "card number, then full name with date of birth)",
        "properties": {"full_name": {"type": "string", "minLength": 1, "maxLength": 200},
                       "unit": {"type": "string", "maxLength": 300,
                                "description": "a unit's name or Parent/Child path under the base unit"},
                       "category": {"enum": [c.value for c in Category]},
                       "birth_date": {"type": "string", "format": "date"},
                       "gender": {"enum": ["male", "female"]},
                       "phone": {"type": "string", "maxLength": 30},
                       "email": {"type": "string", "maxLength": 254},
                       "username": {"type": "string", "minLength": 3, "maxLength": 80,
                                    "description": "the stable external id: created with it, updated by it"},
                       "party_card": {"type": "string", "maxLength": 30}},
    },
    "MemberSync": {
        "type": "object", "required": ["members"], "additionalProperties": False,
        "properties": {"unit_id": {"type": "integer", "minimum": 1,
                                   "description": "the base unit (default: the token owner's first unit)"},
                       "members": {"type": "array", "maxItems": 5000, "items": ref("MemberIn")}},
    },
    "SyncResult": {
        "type": "object", "required": ["created", "updated", "unchanged"], "additionalProperties": False,
        "properties": {"created": {"type": "integer"}, "updated": {"type": "integer"},
                       "unchanged": {"type": "integer"}},
    },
    "StatusChange": {
        "type": "object", "required": ["status", "effective_on", "reason"], "additionalProperties": False,
        "properties": {"status": {"enum": [s.value for s in MemberStatus]}, "effective_on": DATE,
                       "reason": {"type": "string", "minLength": 1, "maxLength": 500}},
    },
    "Move": {
        "type": "object", "required": ["unit_id", "effective_on"], "additionalProperties": False,
        "properties": {"unit_id": {"type": "integer", "minimum": 1}, "effective_on": DATE,
                       "reason": {"type": "string", "maxLength": 500}},
    },
}
