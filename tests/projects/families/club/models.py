from django.apps import apps
from django.db import models
from mptt.models import MPTTModel, TreeForeignKey
from taggit.managers import TaggableManager

from .conf import club_settings


class Team(models.Model):
    name = models.CharField(max_length=50)

    @classmethod
    def named(cls, name):
        return cls.objects.filter(name=name).first()  # site: classmethod

    def active_members(self):
        return self.members.filter(active=True)  # site: method-qs-def

    def active_count(self):
        return self.active_members().order_by("name").count()  # site: method-qs


class AbstractMember(models.Model):
    name = models.CharField(max_length=50)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True


class Member(AbstractMember):
    class Meta(AbstractMember.Meta):
        swappable = "CLUB_MEMBER_MODEL"


class AbstractBadge(models.Model):
    label = models.CharField(max_length=20)
    holders = models.ManyToManyField(Team, related_name="%(class)s_set")

    class Meta:
        abstract = True


class Badge(AbstractBadge):
    class Meta(AbstractBadge.Meta):
        swappable = "CLUB_BADGE_MODEL"


class SpecialBadge(AbstractBadge):  # its setting ends with _BADGE_MODEL too: the shorter name wins
    class Meta(AbstractBadge.Meta):
        swappable = "CLUB_SPECIAL_BADGE_MODEL"


class ClubEvent(models.Model):
    title = models.CharField(max_length=50)
    attendees = models.ManyToManyField(Team, related_name="events")


class Section(MPTTModel):  # a django-mptt tree, tagged with django-taggit
    name = models.CharField(max_length=50)
    parent = TreeForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    tags = TaggableManager(blank=True)


def get_badge_model():
    return apps.get_model(club_settings.BADGE_MODEL)


def get_team_model():
    return apps.get_model("club", "Team")
