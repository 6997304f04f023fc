"""Study plans ("kế hoạch học tập, quán triệt") and the completion figures computed from them."""
