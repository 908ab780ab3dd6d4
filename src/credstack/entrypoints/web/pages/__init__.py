"""The pages for people: server-rendered HTML in Japanese and English, one module per area."""
