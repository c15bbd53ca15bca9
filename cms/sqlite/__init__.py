"""Django's SQLite backend, told the real limit on parameters per query.

Django assumes SQLite's old compile-time default of 999 bound parameters and splits bulk
inserts and updates into batches of that size: a 150-figure statistics form would take two
or three INSERTs on SQLite and one on PostgreSQL. SQLite 3.32 and later allow 32,766 (Debian
builds 250,000); the limit is read from the open connection instead.
"""
