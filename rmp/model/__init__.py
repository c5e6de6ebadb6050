"""The plan's vocabulary, paths into a plan, and the one read-only view every command derives
facts from (current and overall RoSH, overdue actions, items by kind)."""
