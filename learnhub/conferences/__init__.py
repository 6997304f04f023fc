"""Study conferences ("hội nghị học tập, quán triệt"): invitations, attendance and self check-in."""
