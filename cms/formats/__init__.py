"""Number and date formats where Django's own locale files don't suit the committee."""
