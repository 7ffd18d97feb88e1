import json
from functools import wraps

from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import redirect

from desk import conf
from desk.models import Ticket


def check_status(check_staff=False):
    """helpdesk's shape: the test is built by a factory, its flags in the closure."""
    def check_user_status(u):
        is_ok = u.is_authenticated and u.is_active
        if check_staff:
            return is_ok and u.is_staff
        return is_ok
    return check_user_status


def staff_check(user):
    """todo's shape: a setting read through a helper."""
    if conf.setting("STAFF_ONLY"):
        return user.is_staff
    return True


staff_member_required = user_passes_test(check_status(True))
member_required = user_passes_test(check_status(), login_url="login", redirect_field_name="back")


class HttpResponseUnauthorized(HttpResponse):
    status_code = 401


def auth_required(func):
    """postman's shape."""
    @wraps(func)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return func(request, *args, **kwargs)
        return HttpResponseUnauthorized()
    return wrapper


def superuser_required(view_func):
    """helpdesk's shape: a named redirect, then PermissionDenied."""
    @wraps(view_func)
    def _wrapped_view(request, *args, **kwargs):
        if not request.user.is_authenticated and not request.user.is_active:
            return redirect("login")
        if not request.user.is_superuser:
            raise PermissionDenied()
        return view_func(request, *args, **kwargs)
    return _wrapped_view


def hidden_from_anonymous(view_func):
    @wraps(view_func)
    def _wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and conf.ANON_RAISES_404:
            raise Http404
        return view_func(request, *args, **kwargs)
    return _wrapped


def check_objects(function):
    """schedule's shape: a setting that is off makes it a pass-through."""
    @wraps(function)
    def decorator(request, *args, **kwargs):
        if conf.CHECK_OBJECTS:
            if not Ticket.objects.exists():
                return HttpResponseNotFound("<h1>Page not found</h1>")
        return function(request, *args, **kwargs)
    return decorator


def role_required(staff=False, message="staff only"):
    """A factory with literal arguments answering JSON."""
    def decorator(view_func):
        @wraps(view_func)
        def _wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return JsonResponse({"error": "not logged in"}, status=401)
            if staff and not request.user.is_staff:
                return JsonResponse({"error": message}, status=403)
            return view_func(request, *args, **kwargs)
        return _wrapped
    return decorator


def login_required_ajax(f):
    """django-nyt's shape: a header decides."""
    @wraps(f)
    def wrapper(request, *args, **kwargs):
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            if not request.user or not request.user.is_authenticated:  # django-nyt's own answer, as it writes it
                return nyt_json_view(lambda *a, **kw: {"error": "not logged in"})(request, status=403)
            return f(request, *args, **kwargs)
        return login_required(f)(request, *args, **kwargs)
    return wrapper


def json_view(f):
    """Answers with what the view returns: JsonResponse(dict) (the view reader reads the dict as the answer)."""
    @wraps(f)
    def wrapper(request, *args, **kwargs):
        data = f(request, *args, **kwargs)
        return JsonResponse(data)
    return wrapper


def owner_only(f):
    """Reads the database: reported."""
    @wraps(f)
    def wrapper(request, *args, **kwargs):
        if not Ticket.objects.filter(pk=kwargs["pk"]).exists():
            raise Http404
        return f(request, *args, **kwargs)
    return wrapper


def data2jsonresponse(data, **kwargs):
    json_data = json.dumps(data, ensure_ascii=False)
    response = HttpResponse(content_type="application/json", status=kwargs.get("status", 200))
    response.write(json_data)
    return response


def nyt_json_view(f):
    """django-nyt's json_view: json.dumps(ensure_ascii=False) into a JSON response, the status from the URL kwargs."""
    @wraps(f)
    def wrapper(request, *args, **kwargs):
        data = f(request, *args, **kwargs)
        return data2jsonresponse(data, **kwargs)
    return wrapper
