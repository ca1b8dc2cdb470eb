"""Where a request's identifiers live while it is handled: keys of the WSGI environ.

The request envelope (``http.envelope``) sets them; log lines (``observability.logging``) and error responses
(``problems``) read them. This module imports nothing of the app, so those packages depend on it rather than on each
other (``tests/test_import_layers.py`` fails on an import cycle between packages).
"""

from __future__ import annotations

REQUEST_ID = "innovate_api.request_id"  # echoed as X-Request-Id
TRACE_ID = "innovate_api.trace_id"  # fixed at its first use (observability.tracing.request_trace_id)
