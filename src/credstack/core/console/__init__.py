"""The operator's console, its pure rules: the corporate number's check digit, what an
application to join may carry, which events the platform's figures count, how often one
address may report a programme."""
