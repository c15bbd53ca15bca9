# Saudi government sites print figures with Latin digits, a point before the decimals and a
# comma between thousands (1,193,836 and 61.01), as the charts do. Django's Arabic locale has
# no grouping and a decimal comma, which reads as a different number.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
