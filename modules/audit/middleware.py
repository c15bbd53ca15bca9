from .context import bound_request


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bound_request(request):
            return self.get_response(request)
