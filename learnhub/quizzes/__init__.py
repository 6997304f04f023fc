"""Comprehension quizzes: question banks, attempts graded on the server, item analysis."""
