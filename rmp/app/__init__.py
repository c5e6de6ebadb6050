"""Jobs: one function per command that takes its options as values and returns an `Outcome`
(what to print, where, and the exit code). The CLI only parses options and prints; a job is
callable and testable from Python without a terminal."""
