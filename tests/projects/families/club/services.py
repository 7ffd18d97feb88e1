from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.shortcuts import get_object_or_404

from club import get_member_model
from club.models import ClubEvent, Team, get_badge_model, get_team_model

Badge = get_badge_model()
Member = get_member_model()
Squad = apps.get_model(getattr(settings, "CLUB_SQUAD_MODEL", "club.Team"))


# 1. swappable getters, at module level and inline
def badges(label):
    return list(Badge.objects.filter(label=label))  # site: getter-module


def members_count():
    return get_member_model().objects.count()  # site: getter-inline


def badge_or_404(pk):
    return get_object_or_404(get_badge_model(), pk=pk)  # site: getter-404


def teams_named(name):
    return get_team_model().objects.filter(name=name).first()  # site: getter-literal


# 2. a model from a setting: found, its table decided at run time
def squads():
    return Squad.objects.count()  # site: setting-lookup


# 3. lambdas and async methods
def sorted_teams(teams):
    return sorted(teams, key=lambda t: Member.objects.filter(team=t).count())  # site: lambda


async def active_count():
    return await Member.objects.filter(active=True).acount()  # site: async


# 4. a model or QuerySet the tool cannot name
def object_of(ctype, pk):
    return get_object_or_404(ctype.model_class(), pk=pk)  # site: unnamed-404


def purge(queryset):
    return queryset.model.objects.filter(pk__gt=0).delete()  # site: queryset-model


# 5. shapes bound in branches: every shape is a site
def pick(flag, name):
    if flag:
        qs = Team.objects.filter(name=name)  # shown by the evaluation below
    else:
        qs = Team.objects.order_by("name")  # site: branch-else
    return list(qs)  # site: branch-eval


def pick_inline(flag):
    qs = Team.objects.all() if flag else Team.objects.none()  # site: ifexp-other
    return qs.count()  # site: ifexp-eval


# 6. QuerySets used as values: part of the outer query
def teams_with_active_members():
    active = Member.objects.filter(active=True)
    return list(Team.objects.filter(  # site: value-outer
        pk__in=active.values("team_id")))  # site: value-flow


def teams_with_members():
    return Team.objects.filter(  # site: value-exists-outer
        Exists(Member.objects.filter(team=OuterRef("pk")))).count()  # part of the outer site


# 7. instances typed by their receiver, form or name
def on_team_saved(sender, **kwargs):
    instance = kwargs["instance"]
    return instance.members.count()  # site: receiver-kwargs


post_save.connect(on_team_saved, Team)


@receiver(pre_save, sender=ClubEvent)
def on_event_saved(sender, instance, **kwargs):
    return instance.attendees.exists()  # site: receiver-param


def notify(new_team, event):
    n = new_team.members.count()  # site: named-last-word
    return n + event.attendees.count()  # site: named-after-model


def holders_of(special_badge):
    return special_badge.holders.count()  # site: named-m2m


# 8. uncalled methods, combinations, annotated locals
def cached_count(cache):
    return cache.get_or_set("teams", Team.objects.count)  # site: uncalled


def cached_filter(cache):
    return cache.get_or_set("teams", Team.objects.filter)  # site: uncalled-args


def either(a, b):
    first = Team.objects.filter(name=a)
    return list(first.union(  # site: union-outer
        Team.objects.filter(name=b)))  # part of the outer site


def annotated(load):
    team: Team = load()
    return team.members.count()  # site: annotated
