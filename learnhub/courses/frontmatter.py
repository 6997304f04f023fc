"""YAML front matter with the line of every top-level key, for `path:line: message` errors."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml


class FrontMatterError(ValueError):
    """A front matter problem at a 1-based line of the file: ``code`` and ``params`` name it in
    learnhub.courses.problems.MESSAGES, ``message`` says it in English."""

    def __init__(self, line: int, code: str, **params: Any) -> None:
        from learnhub.courses.problems import MESSAGES

        message = MESSAGES[code] % params if params else MESSAGES[code]
        super().__init__(message)
        self.line = line
        self.code = code
        self.params = params
        self.message = message


@dataclass
class FrontMatter:
    data: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int  # the file line on which the body starts
    nested_lines: dict[str, dict[str, int]] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of ``key``, or line 1 when the key is missing (as the format asks)."""
        return self.key_lines.get(key, 1)


def _bad_value_line(node: yaml.Node | None) -> int:
    """The 1-based line (within the YAML) of the first scalar PyYAML cannot construct."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(current)
            except ValueError:
                return current.start_mark.line + 1
        elif isinstance(current, yaml.MappingNode):
            stack.extend(value for pair in current.value for value in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return 1


def split_front_matter(text: str) -> FrontMatter:
    """Split ``---``-fenced YAML from the Markdown body and parse it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(1, "fm_no_start")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            break
    else:
        raise FrontMatterError(1, "fm_unclosed")
    yaml_text = "".join(lines[1:index])
    body = "".join(lines[index + 1 :])
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(yaml_text) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 2) if mark is not None else 1
        raise FrontMatterError(line, "fm_yaml", detail=str(exc.problem or exc)) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(1, "fm_yaml", detail=str(exc)) from None
    except ValueError as exc:  # a well-formed but impossible value, such as the date 2001-13-45
        raise FrontMatterError(_bad_value_line(node) + 1, "fm_value", detail=str(exc)) from None
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(2, "fm_mapping")
    key_lines: dict[str, int] = {}
    nested: dict[str, dict[str, int]] = {}
    for key_node, value_node in node.value if node is not None else []:
        key = str(key_node.value)
        key_lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.MappingNode):
            nested[key] = {str(k.value): k.start_mark.line + 2 for k, _ in value_node.value}
    return FrontMatter(
        data=data or {}, key_lines=key_lines, body=body, body_line=index + 2, nested_lines=nested
    )
