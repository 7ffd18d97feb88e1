from django.http import JsonResponse
from django.urls import path


def ping(request):
    return JsonResponse({"ok": True})


def forbidden(request, exception=None):
    return JsonResponse({"error": "forbidden"}, status=403)


handler403 = forbidden
urlpatterns = [path("ping/", ping)]
