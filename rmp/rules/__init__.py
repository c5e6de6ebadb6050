"""rules: the rule catalogue (`rmp.rules.catalogue`), one module per family of rules."""
