"""briefing: the monthly risk briefing, from the exports reliability and security teams have."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.1"
