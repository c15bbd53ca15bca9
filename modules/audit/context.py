"""Who is acting right now: the request's user, or the person a task or command acts for."""

import contextlib
import contextvars

_request = contextvars.ContextVar("audit_request", default=None)
_actor = contextvars.ContextVar("audit_actor", default=None)


def current_actor():
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    # DRF authenticates inside the view and writes the user back onto the Django request.
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and user.is_authenticated:
        return user
    return None


@contextlib.contextmanager
def acting_as(user):
    """Attribute changes made inside the block (in a task or a command) to `user`."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def bound_request(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)
