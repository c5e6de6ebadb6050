"""Check reporters: each turns a finished check run into a string (`rmp.report.formats`)."""
