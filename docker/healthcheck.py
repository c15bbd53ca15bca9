"""Health check of the web role: GET /healthz on loopback, as the reverse proxy would ask.

It names a host from ALLOWED_HOSTS and says the request came over HTTPS, so neither the host
check nor the HTTPS redirect answers instead of the view. 200 means the database answers
and a worker beat within WORKER_HEARTBEAT_MAX_AGE.
"""

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    hosts = [h.strip().lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((h for h in hosts if h and h != "*"), "localhost")
    request = urllib.request.Request(  # noqa: S310 - a fixed http URL on loopback
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz",
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
