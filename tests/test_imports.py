"""Who may import whom: shared modules never import a feature, and no module imports another's routes."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "learnhub"
FEATURES = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
# root modules every feature may use; they must not reach back into a feature (even inside a function)
SHARED = ["settings.py", "config.py", "db.py", "extensions.py", "exports.py", "figures.py",
          "numbers.py", "forms.py", "markdown.py", "text.py", "qr.py", "archives.py", "audit.py", "mail.py",
          "phones.py"]


def _imports(path: Path) -> list[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("name", SHARED)
def test_shared_modules_import_no_feature(name):
    features = sorted({module.split(".")[1] for module in _imports(PACKAGE / name)
                       if module.startswith("learnhub.") and module.split(".")[1] in FEATURES})
    assert features == [], f"{name} imports {features}"


def test_security_builds_only_on_the_tree_and_the_accounts():
    """security.py holds authorisation's primitives: it reads the unit tree and the accounts (their
    models) and nothing of a feature, so every feature's access.py can build on it."""
    features = sorted({module for module in _imports(PACKAGE / "security.py")
                       if module.startswith("learnhub.") and module.split(".")[1] in FEATURES
                       and not module.startswith(("learnhub.auth.models", "learnhub.orgs.models"))})
    assert features == []


def test_only_the_app_factory_and_blueprint_functions_import_view_modules():
    """A view module is imported by the app factory or its own package's blueprint(), never by
    another module (that made circles: routes importing roster_routes importing routes' bp)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "__init__.py":
            continue
        own_package = "learnhub." + ".".join(path.relative_to(PACKAGE).parent.parts)
        for module in _imports(path):
            last = module.rsplit(".", 1)[-1]
            if last == "routes" or last.endswith("_routes"):
                if path.name == "__init__.py" and module.rsplit(".", 1)[0] == own_package:
                    continue
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []
