"""The member's study path: home, module page, lesson page and progress."""
