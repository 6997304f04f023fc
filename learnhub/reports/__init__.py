"""The yearly report ("báo cáo kết quả học tập, quán triệt") with every figure defined in docs/metrics.md."""
