"""/healthz: placeholder until the foundation work fills it in."""

from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "unknown"}, status=503)
