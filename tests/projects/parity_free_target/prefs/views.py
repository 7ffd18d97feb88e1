from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import UserSettings


def create_settings(request, user_id):
    user = get_object_or_404(get_user_model(), pk=user_id)
    s = UserSettings.objects.create(user=user, tickets_per_page=50, theme="dark")
    return JsonResponse({"id": s.pk})
