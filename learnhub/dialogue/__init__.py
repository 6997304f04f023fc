"""Questions and discussion under each lesson, answers, the module's FAQ, and moderation."""
