"""What every command's output shares: the JSON envelope, Markdown escaping and tables, and
the terminal's colour decision. Reporters and renderers build on these; none re-invents them."""
