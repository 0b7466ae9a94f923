"""Pure feature functions: (account, posts, now) -> named numbers. Training and serving call the same ones."""
