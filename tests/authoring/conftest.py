"""The authoring tests' shared fixture: a module created in the browser (see test_authoring_pages)."""
from tests.authoring.test_authoring_pages import module  # noqa: F401 (a fixture, found by name)
