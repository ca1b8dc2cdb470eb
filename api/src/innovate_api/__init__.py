"""Innovate task-board REST API: Flask + SQLAlchemy Core on PostgreSQL."""
