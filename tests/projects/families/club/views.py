from django.contrib.sites.models import Site
from django.shortcuts import get_object_or_404
from django.views.generic import View

from club.models import Section, Team


# contrib managers' own methods
def current_domain():
    return Site.objects.get_current().domain  # site: site-current


# django-mptt: a node's tree methods are QuerySets of its model
def section_tree(section: Section):
    return list(section.get_descendants().filter(name="x"))  # site: tree-descendants


def parent_children(section: Section):
    return section.parent.get_children().count()  # site: tree-children


# django-taggit: the tags manager of a row, and of the model
def section_tags(section: Section):
    return list(section.tags.all())  # site: tag-instance


def common_tags():
    return Section.tags.most_common()  # site: tag-model


# what a view's own method returns: a row of Team
class TeamView(View):
    def get_team(self):
        if not hasattr(self, "team"):
            self.team = get_object_or_404(Team, pk=self.kwargs["pk"])  # site: method-sets
        return self.team

    def get_context_data(self, **kwargs):
        return {"members": list(self.get_team().members.filter(active=True))}  # site: method-return
