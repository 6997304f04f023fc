"""Writing modules and quizzes in the browser: drafts, revisions, publishing, media and zips."""
