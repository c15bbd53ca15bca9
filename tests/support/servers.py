"""Real servers on loopback for tests: SMTP and the SMS gateway stand-in."""
