"""Party documents: the form of HD 36-HD/VPTW around printed plans, reports, notices and evaluations,
each unit's settings for it, and the .docx helper."""
