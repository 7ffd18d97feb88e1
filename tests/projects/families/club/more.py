"""Site families of issue 12 that had no test: admin get_queryset and list filters, django-filter FilterSets,
get_list_or_404, _default_manager on self.model, a project's re-export of get_user_model(), QuerySet
combinations (|, intersection, difference), QuerySets used as values (Subquery, Prefetch, add(*qs))."""

import django_filters
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_list_or_404
from django.views.generic import ListView

from .conf import Users
from .models import Member, Team

User = get_user_model()


def user_model():
    return get_user_model()


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_filter = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(name__startswith="a")  # site: admin-get-queryset


class ActiveFilter(admin.SimpleListFilter):
    title = "active"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("1", "yes")]

    def queryset(self, request, queryset):
        return queryset.filter(active=True)  # not found yet: `queryset` is the changelist's, of no known model (open)


class MemberFilter(django_filters.FilterSet):
    class Meta:
        model = Member
        fields = ["name"]


def filtered(data):
    return list(MemberFilter(data, queryset=Member.objects.filter(active=True)).qs)  # site: filterset-qs


def listed_or_404(team_id):
    return get_list_or_404(Member, team_id=team_id)  # site: list-or-404


class TeamList(ListView):
    model = Team

    def names(self):
        return list(self.model._default_manager.values_list("name", flat=True))  # site: default-manager


def user_count():
    return user_model().objects.count()  # site: user-model-wrapper


def user_reexported():
    return Users.objects.count()  # site: user-model-reexport


def users_named(name):
    return User.objects.filter(username=name).exists()  # site: user-model-module


def either(a, b):
    return list(Team.objects.filter(name=a) | Team.objects.filter(name=b))  # site: or-combined


def both(a):
    return list(Team.objects.filter(name=a).intersection(Team.objects.filter(events__title=a)))  # site: intersection


def only_first(a):
    return list(Team.objects.filter(name=a).difference(Team.objects.filter(events__title=a)))  # site: difference


def with_last_member():
    return list(Team.objects.annotate(last=Subquery(Member.objects.filter(team=OuterRef("pk")).values("name")[:1])))  # site: subquery-value


def with_active():
    return list(Team.objects.prefetch_related(Prefetch("members", queryset=Member.objects.filter(active=True))))  # site: prefetch-value


def attend(event, name):
    event.attendees.add(*Team.objects.filter(name=name))  # site: add-star


def user_plain_wrapper():
    from .conf import _plain

    return _plain().objects.count()  # site: user-model-alias
